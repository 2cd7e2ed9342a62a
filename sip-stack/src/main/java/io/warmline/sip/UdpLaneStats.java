package io.warmline.sip;

import java.util.List;

/**
 * The UDP listener's worker lanes, summed over the UDP listening points. Each datagram is queued on the lane of its
 * Call-ID (one lane per SIP worker thread), so one dialog's requests are processed in order; a datagram is dropped
 * when its lane is full, or when it waited longer than the stack's congestion timeout before a worker took it.
 *
 * @param fullDrops  datagrams refused since start because their lane was full
 * @param staleDrops datagrams dropped since start because they waited too long in their lane
 * @param capacity   datagrams one lane holds
 * @param peakDepth  the most datagrams one lane has held at once since start
 * @param depths     datagrams waiting in each lane now, by lane number
 * @param processed  datagrams handed to a worker since start
 * @param busyNanos  time workers spent on the datagrams they finished: from taking one until asking for the next
 *                   (parsing, the stack, the listener, sending answers, and waiting for a core meanwhile)
 * @param slow       datagrams a worker spent more than 100 ms on; each held up its whole lane that long
 * @param slowestNanos the longest a worker spent on one datagram since start
 */
public record UdpLaneStats(long fullDrops, long staleDrops, int capacity, int peakDepth, List<Integer> depths,
                           long processed, long busyNanos, long slow, long slowestNanos) {

    /** No UDP listening point (or the service is not started). */
    public static final UdpLaneStats NONE = new UdpLaneStats(0, 0, 0, 0, List.of(), 0, 0, 0, 0);

    public UdpLaneStats {
        depths = List.copyOf(depths);
    }

    /** Number of lanes (the SIP worker threads of UDP). */
    public int lanes() {
        return depths.size();
    }
}
