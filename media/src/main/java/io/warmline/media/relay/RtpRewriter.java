package io.warmline.media.relay;

import io.netty.buffer.ByteBuf;
import io.warmline.media.rtp.RtpHeader;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Rewrites the RTP headers of one output stream in place so that the receiver sees a single, continuous source
 * (RFC 3550 §5.1, §8, RFC 7667 §3.2.1.3 translator behaviour): our own SSRC, and a sequence number and timestamp
 * that continue across changes of the input SSRC and across jumps of the input sequence.
 *
 * <p>Within one input stream the offsets are fixed, so gaps and reordering pass through unchanged. When the input
 * SSRC changes, or its sequence jumps beyond RFC 3550 A.1's limits (MAX_DROPOUT 3000 ahead, MAX_MISORDER 100
 * behind), or an in-order packet's timestamp moves back, or ahead of the wall clock, by more than
 * {@link #MAX_TIMESTAMP_LEAD_SECONDS}, the stream is rebased: the sequence continues at last+1, the timestamp
 * advances by the wall time elapsed since the last packet at the clock rate, and the marker bit is set (the start
 * of a talkspurt, RFC 3551 §4.1).
 *
 * <p>Payload types are mapped through a table (input PT → output PT); a packet whose PT has no mapping is left
 * untouched and refused, for the caller to drop and count.
 *
 * <p>Not thread-safe: confined to the event loop of the legs it serves.
 */
public final class RtpRewriter {

    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    static final int MAX_TIMESTAMP_LEAD_SECONDS = 5;

    private final long ssrc;
    private final int[] payloadTypes = new int[128];

    private boolean started;
    private long inSsrc;
    private int lastInSeq;
    private long lastInTs;
    private int seqOffset;
    private long tsOffset;
    private int lastOutSeq;
    private long lastOutTs;
    private long lastNanos;

    /**
     * @param ssrc our SSRC for this stream
     * @param initialSequence output sequence number of the first packet
     * @param initialTimestamp output timestamp of the first packet
     */
    public RtpRewriter(long ssrc, int initialSequence, long initialTimestamp) {
        this.ssrc = ssrc & 0xFFFFFFFFL;
        this.lastOutSeq = (initialSequence - 1) & 0xFFFF;
        this.lastOutTs = initialTimestamp & 0xFFFFFFFFL;
        Arrays.fill(payloadTypes, -1);
    }

    /** Random initial sequence number and timestamp (RFC 3550 §5.1) for the given SSRC. */
    public static RtpRewriter create(long ssrc, RandomGenerator random) {
        return new RtpRewriter(ssrc, random.nextInt(0x10000), random.nextLong() & 0xFFFFFFFFL);
    }

    public long ssrc() {
        return ssrc;
    }

    /** Packets with payload type {@code in} leave with {@code out}. */
    public void mapPayloadType(int in, int out) {
        if (in < 0 || in > 127 || out < 0 || out > 127) {
            throw new IllegalArgumentException("payload type out of range: " + in + " -> " + out);
        }
        payloadTypes[in] = out;
    }

    public void clearPayloadTypes() {
        Arrays.fill(payloadTypes, -1);
    }

    /** The output payload type for {@code in}, or -1 when unmapped. */
    public int outputPayloadType(int in) {
        return payloadTypes[in & 0x7F];
    }

    /**
     * Rewrites SSRC, sequence number, timestamp, payload type and (on a rebase) the marker of a valid RTP packet at
     * {@code packet}'s readerIndex. Indices and reference count are unchanged.
     *
     * @param clockRate RTP clock rate of the stream, in Hz (used to carry wall time into the timestamp on a rebase)
     * @param nowNanos arrival time of the packet
     * @return false (packet untouched) when its payload type has no mapping
     */
    public boolean rewrite(ByteBuf packet, int clockRate, long nowNanos) {
        int outPt = payloadTypes[RtpHeader.payloadType(packet)];
        if (outPt < 0) {
            return false;
        }
        long pktSsrc = RtpHeader.ssrc(packet);
        int seq = RtpHeader.sequence(packet);
        long ts = RtpHeader.timestamp(packet);

        boolean rebase;
        boolean inOrder;
        if (!started || pktSsrc != inSsrc) {
            rebase = true;
            inOrder = true;
        } else {
            int seqDelta = (short) (seq - lastInSeq);
            if (seqDelta > 0) {
                rebase = seqDelta > MAX_DROPOUT || timestampJumped(ts, clockRate, nowNanos);
                inOrder = true;
            } else {
                rebase = -seqDelta > MAX_MISORDER;
                inOrder = rebase;
            }
        }

        if (rebase) {
            long advance = started ? Math.max(1L, elapsedSamples(clockRate, nowNanos)) : 0L;
            int outSeq = (lastOutSeq + 1) & 0xFFFF;
            long outTs = (lastOutTs + advance) & 0xFFFFFFFFL;
            seqOffset = outSeq - seq;
            tsOffset = outTs - ts;
            inSsrc = pktSsrc;
            started = true;
            RtpHeader.setMarker(packet, true);
        }

        int outSeq = (seq + seqOffset) & 0xFFFF;
        long outTs = (ts + tsOffset) & 0xFFFFFFFFL;
        if (inOrder) {
            lastInSeq = seq;
            lastInTs = ts;
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastNanos = nowNanos;
        }
        RtpHeader.setSsrc(packet, ssrc);
        RtpHeader.setSequence(packet, outSeq);
        RtpHeader.setTimestamp(packet, outTs);
        RtpHeader.setPayloadType(packet, outPt);
        return true;
    }

    private boolean timestampJumped(long ts, int clockRate, long nowNanos) {
        long tsDelta = (int) (ts - lastInTs);
        long tolerance = (long) MAX_TIMESTAMP_LEAD_SECONDS * clockRate;
        // RFC 4733 §2.5.1.1: event packets keep the event's start timestamp, so a small step back is normal.
        return tsDelta < -tolerance || tsDelta > elapsedSamples(clockRate, nowNanos) + tolerance;
    }

    private long elapsedSamples(int clockRate, long nowNanos) {
        long elapsed = Math.max(0L, nowNanos - lastNanos);
        return elapsed / 1_000_000L * clockRate / 1000L;
    }
}
