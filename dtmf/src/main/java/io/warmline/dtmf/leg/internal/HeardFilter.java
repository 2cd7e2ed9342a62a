package io.warmline.dtmf.leg.internal;

import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;

/**
 * Decides whether a press heard on a leg is new. A far end may send one press two ways at once (RFC 4733 events and
 * the tone left in the audio, or an INFO and the tone); each reported press absorbs at most one press of the same key
 * from each other source whose time overlaps it, so the press is reported once, by whichever source told first. A
 * press of a key this leg was itself sending, heard by media while or just after it sounded, is the far end echoing
 * it back (an echoing peer, a hairpinned trunk) and is dropped too.
 *
 * <p>Time overlap allows for the in-band path being later than the event path by the jitter buffer's delay and the
 * detector's end-of-tone delay. Not thread-safe: the leg's event loop owns it.
 */
public final class HeardFilter {

    public enum Verdict { REPORT, DUPLICATE, ECHO }

    /** Slack on each side of a press when matching it with another source's (jitter buffer plus detection delay). */
    public static final long OVERLAP_SLACK_NANOS = 300_000_000L;
    /** How long after a key this leg sent a media copy of it counts as echo. */
    public static final long ECHO_TAIL_NANOS = 500_000_000L;
    /** A media copy may begin this much before the key was due on the wire (tick alignment). */
    private static final long ECHO_LEAD_NANOS = 50_000_000L;
    private static final long KEEP_NANOS = 5_000_000_000L;
    private static final int HEARD = 8;
    private static final int SENT = 4;

    private final DtmfDigit[] heardDigit = new DtmfDigit[HEARD];
    private final int[] heardSourceBits = new int[HEARD];
    private final long[] heardStart = new long[HEARD];
    private final long[] heardEnd = new long[HEARD];
    private final long[] heardAt = new long[HEARD];
    private int heardNext;

    private final DtmfDigit[] sentDigit = new DtmfDigit[SENT];
    private final long[] sentStart = new long[SENT];
    private final long[] sentEnd = new long[SENT];
    private int sentNext;

    /** Notes a key this leg starts sending in media (RFC 4733 or in-band) from {@code start} to {@code end}. */
    public void sending(DtmfDigit digit, long start, long end) {
        sentDigit[sentNext] = digit;
        sentStart[sentNext] = start;
        sentEnd[sentNext] = end;
        sentNext = (sentNext + 1) % SENT;
    }

    public Verdict judge(DtmfDigit digit, DtmfMode source, long start, int durationMillis, long now) {
        long end = start + durationMillis * 1_000_000L;
        if (source != DtmfMode.INFO) {
            for (int i = 0; i < SENT; i++) {
                if (sentDigit[i] == digit && start >= sentStart[i] - ECHO_LEAD_NANOS
                        && start <= sentEnd[i] + ECHO_TAIL_NANOS) {
                    return Verdict.ECHO;
                }
            }
        }
        int bit = 1 << source.ordinal();
        int match = -1;
        for (int i = 0; i < HEARD; i++) {
            if (heardDigit[i] != digit || now - heardAt[i] > KEEP_NANOS || (heardSourceBits[i] & bit) != 0) {
                continue;
            }
            if (start <= heardEnd[i] + OVERLAP_SLACK_NANOS && heardStart[i] <= end + OVERLAP_SLACK_NANOS
                    && (match < 0 || heardStart[i] < heardStart[match])) {
                match = i;
            }
        }
        if (match >= 0) {
            heardSourceBits[match] |= bit;
            return Verdict.DUPLICATE;
        }
        heardDigit[heardNext] = digit;
        heardSourceBits[heardNext] = bit;
        heardStart[heardNext] = start;
        heardEnd[heardNext] = end;
        heardAt[heardNext] = now;
        heardNext = (heardNext + 1) % HEARD;
        return Verdict.REPORT;
    }
}
