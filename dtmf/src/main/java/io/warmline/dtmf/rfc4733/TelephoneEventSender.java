package io.warmline.dtmf.rfc4733;

import io.netty.buffer.ByteBuf;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.media.rtp.RtpHeader;
import java.util.Objects;

/**
 * Sends one DTMF event as RFC 4733 telephone-event packets, sans-IO: {@link #start} arms it, the owner calls
 * {@link #poll} at or after {@link #nextDeadlineNanos()} and transmits what it writes.
 *
 * <p>Schedule (RFC 4733 §2.5.1): the first packet carries the marker bit (§2.5.1.2); one update follows every packet
 * time, each with the duration so far; the final packet has the E bit and is sent three times, one packet time apart
 * (§2.5.1.4). Every packet of the event carries the event's start timestamp (§2.5.1.1). An event longer than 0xFFFF
 * timestamp units is split into segments (§2.5.1.3): a segment's last packet has duration 0xFFFF and is sent three
 * times without the E bit; the next segment starts at timestamp + 0xFFFF without the marker bit.
 *
 * <p>Redundant copies get their own sequence numbers (the owner passes one per packet), so SRTP replay protection does
 * not drop them. Not thread-safe: one owner, one leg. Nothing is allocated after construction.
 */
public final class TelephoneEventSender {

    /** Payload length of one event block (RFC 4733 §2.3). */
    public static final int PAYLOAD_LENGTH = 4;
    public static final int PACKET_LENGTH = RtpHeader.FIXED_HEADER_LENGTH + PAYLOAD_LENGTH;
    /** Largest duration one segment can carry (RFC 4733 §2.5.1.3). */
    public static final int MAX_SEGMENT_DURATION = 0xFFFF;
    /** Copies of each final packet (RFC 4733 §2.5.1.4). */
    public static final int FINAL_COPIES = 3;
    /** Longest event accepted: a minute is far beyond any key press. */
    public static final int MAX_DURATION_MILLIS = 60_000;

    private final int payloadType;
    private final int clockRate;
    private final int ptimeSamples;
    private final long ptimeNanos;

    private boolean active;
    private int event;
    private int volume;
    private long totalSamples;
    private long startTimestamp;
    private long segmentStart;
    private long elapsed;
    private long nextNanos;
    private boolean first;
    /** Copies of a final packet still to send, when the next is due, and what they carry. */
    private int pendingCopies;
    private long copyDueNanos;
    private long copyTimestamp;
    private int copyDuration;
    private boolean copyEnd;
    private boolean finished;

    /**
     * @param payloadType the negotiated telephone-event payload type (96–127 in practice, 0–127 accepted)
     * @param clockRate 8000, or 48000 on Opus legs (RFC 4733 §2.1: the rate of the audio it accompanies)
     * @param ptimeMillis packet time of the updates, 10–100 ms
     */
    public TelephoneEventSender(int payloadType, int clockRate, int ptimeMillis) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (clockRate != 8000 && clockRate != 16000 && clockRate != 48000) {
            throw new IllegalArgumentException("telephone-event clock rate must be 8000, 16000 or 48000: " + clockRate);
        }
        if (ptimeMillis < 10 || ptimeMillis > 100) {
            throw new IllegalArgumentException("packet time must be 10..100 ms: " + ptimeMillis);
        }
        this.payloadType = payloadType;
        this.clockRate = clockRate;
        this.ptimeSamples = clockRate / 1000 * ptimeMillis;
        this.ptimeNanos = ptimeMillis * 1_000_000L;
    }

    /**
     * Arms one event.
     *
     * @param rtpTimestamp the stream's RTP timestamp at the event's start (RFC 4733 §2.5.1.1)
     * @param durationMillis tone length, 10..{@link #MAX_DURATION_MILLIS}
     * @param volume power level 0..63, in -dBm0 (RFC 4733 §2.3.2)
     * @throws IllegalStateException if an event is still being sent
     */
    public void start(DtmfDigit digit, long rtpTimestamp, int durationMillis, int volume, long nowNanos) {
        Objects.requireNonNull(digit, "digit");
        if (active) {
            throw new IllegalStateException("an event is still being sent");
        }
        if (durationMillis < 10 || durationMillis > MAX_DURATION_MILLIS) {
            throw new IllegalArgumentException("duration must be 10.." + MAX_DURATION_MILLIS + " ms: " + durationMillis);
        }
        if (volume < 0 || volume > 63) {
            throw new IllegalArgumentException("volume must be 0..63: " + volume);
        }
        this.active = true;
        this.event = digit.event();
        this.volume = volume;
        this.totalSamples = (long) durationMillis * clockRate / 1000;
        this.startTimestamp = rtpTimestamp & 0xFFFFFFFFL;
        this.segmentStart = 0;
        this.elapsed = 0;
        this.nextNanos = nowNanos;
        this.first = true;
        this.pendingCopies = 0;
        this.finished = false;
    }

    public boolean isActive() {
        return active;
    }

    /** When {@link #poll} next has a packet to write; {@link Long#MAX_VALUE} when idle. */
    public long nextDeadlineNanos() {
        if (!active) {
            return Long.MAX_VALUE;
        }
        long deadline = finished ? Long.MAX_VALUE : nextNanos;
        return pendingCopies > 0 ? Math.min(deadline, copyDueNanos) : deadline;
    }

    /**
     * Writes the packet due at {@code nowNanos}, if any, at {@code dst}'s writerIndex ({@link #PACKET_LENGTH} bytes).
     * Call again until it returns false: after a segment boundary a redundant copy and an update fall due together.
     *
     * @param sequence the RTP sequence number for this packet; the owner advances it only when true is returned
     * @return true if a packet was written
     */
    public boolean poll(long nowNanos, ByteBuf dst, int sequence, long ssrc) {
        if (!active) {
            return false;
        }
        if (pendingCopies > 0 && nowNanos >= copyDueNanos) {
            write(dst, false, sequence, copyTimestamp, copyDuration, copyEnd, ssrc);
            pendingCopies--;
            copyDueNanos += ptimeNanos;
            if (finished && pendingCopies == 0) {
                active = false;
            }
            return true;
        }
        if (finished || nowNanos < nextNanos) {
            return false;
        }
        long tick = nextNanos;
        nextNanos += ptimeNanos;
        elapsed = Math.min(elapsed + ptimeSamples, totalSamples);
        long timestamp = (startTimestamp + segmentStart) & 0xFFFFFFFFL;
        long inSegment = elapsed - segmentStart;
        boolean end = elapsed == totalSamples && inSegment <= MAX_SEGMENT_DURATION;
        int duration = (int) Math.min(inSegment, MAX_SEGMENT_DURATION);
        write(dst, first, sequence, timestamp, duration, end, ssrc);
        first = false;
        if (end || inSegment >= MAX_SEGMENT_DURATION) {
            pendingCopies = FINAL_COPIES - 1;
            copyDueNanos = tick + ptimeNanos;
            copyTimestamp = timestamp;
            copyDuration = duration;
            copyEnd = end;
            finished = end;
            if (!end) {
                segmentStart += MAX_SEGMENT_DURATION;
            }
        }
        return true;
    }

    /** Stops at once without sending the end packets; the far end closes the event by its own timeout. */
    public void abort() {
        active = false;
    }

    private void write(ByteBuf dst, boolean marker, int sequence, long timestamp, int duration, boolean end,
                       long ssrc) {
        RtpHeader.writeHeader(dst, payloadType, marker, sequence, timestamp, ssrc);
        dst.writeByte(event);
        dst.writeByte((end ? 0x80 : 0) | volume);
        dst.writeShort(duration);
    }
}
