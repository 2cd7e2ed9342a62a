package io.warmline.dtmf.rfc4733;

import io.netty.buffer.ByteBuf;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.internal.PressQueue;
import io.warmline.media.rtp.RtpHeader;

/**
 * Turns received RFC 4733 telephone-event packets into {@link DigitPress}es, sans-IO: the owner hands it each packet
 * of the negotiated telephone-event payload type with {@link #onPacket}, calls {@link #onTimeout} at
 * {@link #nextDeadlineNanos()}, and drains {@link #poll()} after either.
 *
 * <p>An event is identified by its RTP timestamp (RFC 4733 §2.5.2.1), never by the marker bit or the sequence number,
 * so a lost start packet, a sequence wrap or the same-sequence end copies some senders use change nothing. A press is
 * reported once: when its first E-bit packet arrives, when a newer event supersedes it, or when no packet came for the
 * inactivity timeout (RFC 4733 §2.5.2.2). Redundant end packets and late packets of a reported event are dropped as
 * duplicates by comparing timestamps in 32-bit serial arithmetic, so a timestamp wrap is harmless. Segments of a long
 * event (§2.5.1.3: same code, no E bit, the next timestamp about 0xFFFF later) are joined into one press.
 *
 * <p>Malformed packets and events other than the sixteen DTMF keys are counted and dropped. Not thread-safe: one owner,
 * one leg. Nothing is allocated per packet except the reported {@link DigitPress}.
 */
public final class TelephoneEventReceiver {

    /** A reported event's timestamp is remembered this long for de-duplication. */
    private static final long REMEMBER_NANOS = 10_000_000_000L;
    private static final int QUEUE = 4;

    private final int clockRate;
    private final long timeoutNanos;
    private final long maxSegmentGap;

    private boolean active;
    private long activeSsrc;
    private int activeEvent;
    private long activeTimestamp;
    /** Duration of the segments before the current one, in timestamp units. */
    private long priorSegments;
    private int segmentDuration;
    private long activeStartNanos;
    private long lastPacketNanos;

    private boolean remembered;
    private long reportedSsrc;
    private long reportedTimestamp;
    private long reportedNanos;

    private final PressQueue queue = new PressQueue(QUEUE);

    private long packets;
    private long malformed;
    private long duplicates;
    private long nonDtmf;
    private long timedOut;

    /**
     * @param clockRate the telephone-event clock rate (8000, or 48000 on Opus legs)
     * @param timeoutMillis how long an event lasts without packets before it is closed (RFC 4733 §2.5.2.2 leaves it
     *     to the receiver; a few packet times beyond the redundancy, 200–5000 ms)
     */
    public TelephoneEventReceiver(int clockRate, int timeoutMillis) {
        if (clockRate != 8000 && clockRate != 16000 && clockRate != 48000) {
            throw new IllegalArgumentException("telephone-event clock rate must be 8000, 16000 or 48000: " + clockRate);
        }
        if (timeoutMillis < 200 || timeoutMillis > 5000) {
            throw new IllegalArgumentException("timeout must be 200..5000 ms: " + timeoutMillis);
        }
        this.clockRate = clockRate;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.maxSegmentGap = clockRate / 5;
    }

    /**
     * Takes one RTP packet (readerIndex to writerIndex) already classified as telephone-event. The buffer is only
     * read; its indices and reference count are left alone.
     */
    public void onPacket(ByteBuf rtp, long nowNanos) {
        packets++;
        if (!RtpHeader.isValid(rtp) || RtpHeader.payloadLength(rtp) < TelephoneEventSender.PAYLOAD_LENGTH) {
            malformed++;
            return;
        }
        int at = RtpHeader.payloadOffset(rtp);
        onEvent(RtpHeader.ssrc(rtp), RtpHeader.timestamp(rtp), rtp.getUnsignedByte(at),
                (rtp.getByte(at + 1) & 0x80) != 0, rtp.getUnsignedShort(at + 2), nowNanos);
    }

    /** The same as {@link #onPacket} on already parsed fields (RFC 4733 §2.3). */
    public void onEvent(long ssrc, long timestamp, int event, boolean end, int duration, long nowNanos) {
        if (event > 15) {
            nonDtmf++;
            return;
        }
        timestamp &= 0xFFFFFFFFL;
        if (remembered && nowNanos - reportedNanos > REMEMBER_NANOS) {
            remembered = false;
        }
        if (remembered && ssrc == reportedSsrc && serialDiff(timestamp, reportedTimestamp) <= 0) {
            duplicates++;
            return;
        }
        if (active && ssrc == activeSsrc) {
            int diff = serialDiff(timestamp, activeTimestamp);
            if (diff < 0) {
                duplicates++;
                return;
            }
            if (diff == 0) {
                if (event != activeEvent) {
                    malformed++;
                    return;
                }
                segmentDuration = Math.max(segmentDuration, duration);
                lastPacketNanos = nowNanos;
                if (end) {
                    finish(true, nowNanos);
                }
                return;
            }
            if (event == activeEvent && isNextSegment(diff)) {
                priorSegments += diff;
                activeTimestamp = timestamp;
                segmentDuration = duration;
                lastPacketNanos = nowNanos;
                if (end) {
                    finish(true, nowNanos);
                }
                return;
            }
            finish(false, nowNanos);
        } else if (active) {
            finish(false, nowNanos);
        }
        active = true;
        activeSsrc = ssrc;
        activeEvent = event;
        activeTimestamp = timestamp;
        priorSegments = 0;
        segmentDuration = duration;
        activeStartNanos = nowNanos;
        lastPacketNanos = nowNanos;
        if (end) {
            finish(true, nowNanos);
        }
    }

    /** Closes an event whose packets stopped coming. */
    public void onTimeout(long nowNanos) {
        if (active && nowNanos - lastPacketNanos >= timeoutNanos) {
            timedOut++;
            finish(false, nowNanos);
        }
    }

    /** When {@link #onTimeout} has work; {@link Long#MAX_VALUE} when no event is open. */
    public long nextDeadlineNanos() {
        return active ? lastPacketNanos + timeoutNanos : Long.MAX_VALUE;
    }

    /** The next reported press, or null. */
    public DigitPress poll() {
        return queue.poll();
    }

    public long packets() {
        return packets;
    }

    public long malformed() {
        return malformed;
    }

    /** Redundant end packets and late packets of reported events. */
    public long duplicates() {
        return duplicates;
    }

    /** Events 16 and above (flash, tones of other registries), ignored. */
    public long nonDtmf() {
        return nonDtmf;
    }

    /** Presses closed by the inactivity timeout because no end packet arrived. */
    public long timedOut() {
        return timedOut;
    }

    /** A long event continues in a new segment about 0xFFFF units after the current one began (§2.5.1.3). */
    private boolean isNextSegment(int diff) {
        return diff <= TelephoneEventSender.MAX_SEGMENT_DURATION
                && diff >= segmentDuration
                && segmentDuration >= TelephoneEventSender.MAX_SEGMENT_DURATION - maxSegmentGap;
    }

    private void finish(boolean endSeen, long nowNanos) {
        active = false;
        remembered = true;
        reportedSsrc = activeSsrc;
        reportedTimestamp = activeTimestamp;
        reportedNanos = nowNanos;
        long samples = priorSegments + segmentDuration;
        int millis = (int) Math.min(Integer.MAX_VALUE, samples * 1000 / clockRate);
        // Overflow cannot happen with at most two reports per input, drained by the owner after each.
        queue.add(new DigitPress(DtmfDigit.fromEvent(activeEvent), activeStartNanos, millis, endSeen));
    }

    private static int serialDiff(long a, long b) {
        return (int) (a - b);
    }
}
