package io.warmline.media.transport;

import java.io.IOException;
import java.net.BindException;
import java.util.BitSet;

/**
 * Hands out RTP port pairs from an inclusive range: an even RTP port and RTCP on the next odd one (RFC 3550 §11).
 * Round-robin, so a port released by an ended call is reused as late as possible (stray packets for the old call
 * do not reach the new one).
 *
 * <p>Thread-safe: shared by all calls. Allocation happens once per call, never per packet, so it is synchronized.
 */
public final class RtpPortAllocator {

    /** Binds the sockets of one pair; throws {@link BindException} when a port is taken by another process. */
    @FunctionalInterface
    public interface Binder<T> {
        T bind(int rtpPort) throws IOException;
    }

    private final int firstPort;
    private final int capacity;
    private final BitSet used;
    private int cursor;
    private int inUse;

    /**
     * @param minPort lowest port of the range (inclusive); rounded up to even
     * @param maxPort highest port of the range (inclusive); a pair whose RTCP port would exceed it is not used
     * @throws IllegalArgumentException if the range holds no pair or lies outside 1..65535
     */
    public RtpPortAllocator(int minPort, int maxPort) {
        if (minPort < 1 || maxPort > 65535 || minPort > maxPort) {
            throw new IllegalArgumentException("bad RTP port range " + minPort + "-" + maxPort);
        }
        this.firstPort = (minPort + 1) & ~1;
        this.capacity = firstPort + 1 > maxPort ? 0 : (maxPort - firstPort + 1) / 2;
        if (capacity == 0) {
            throw new IllegalArgumentException("RTP port range " + minPort + "-" + maxPort + " holds no even/odd pair");
        }
        this.used = new BitSet(capacity);
    }

    /** Reserves the next free pair and returns its RTP (even) port. */
    public synchronized int allocate() throws PortsExhaustedException {
        if (inUse == capacity) {
            throw new PortsExhaustedException(capacity);
        }
        int index = used.nextClearBit(cursor);
        if (index >= capacity) {
            index = used.nextClearBit(0);
        }
        used.set(index);
        inUse++;
        cursor = index + 1 == capacity ? 0 : index + 1;
        return firstPort + 2 * index;
    }

    /**
     * Reserves pairs in turn and lets {@code binder} bind them; a pair that throws {@link BindException} is given
     * back and the next one tried, at most {@link #capacity()} times. The result stays reserved until
     * {@link #release(int)}.
     *
     * @throws PortsExhaustedException if no pair is free or none of the free ones could be bound
     * @throws IOException any other failure of {@code binder} (the pair is given back)
     */
    public <T> T allocate(Binder<T> binder) throws PortsExhaustedException, IOException {
        for (int attempt = 0; attempt < capacity; attempt++) {
            int port = allocate();
            boolean ok = false;
            try {
                T bound = binder.bind(port);
                ok = true;
                return bound;
            } catch (BindException taken) {
                // another process holds it: try the next pair
            } finally {
                if (!ok) {
                    release(port);
                }
            }
        }
        throw new PortsExhaustedException(capacity);
    }

    /**
     * Gives a pair back. Releasing a port that is not reserved (or not in the range) is ignored, so a double
     * release on a teardown path does no harm.
     *
     * @return whether the port was reserved
     */
    public synchronized boolean release(int rtpPort) {
        int offset = rtpPort - firstPort;
        if (offset < 0 || (offset & 1) != 0 || offset / 2 >= capacity || !used.get(offset / 2)) {
            return false;
        }
        used.clear(offset / 2);
        inUse--;
        return true;
    }

    public synchronized int inUse() {
        return inUse;
    }

    /** Number of pairs in the range. */
    public int capacity() {
        return capacity;
    }
}
