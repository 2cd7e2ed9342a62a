package io.warmline.sip.internal;

/**
 * The session-timer negotiation of RFC 4028 (§7 UAC, §9 UAS), in seconds. Pure functions.
 */
public final class SessionTimerPolicy {

    /** Who sends the refreshes (the {@code refresher} parameter, RFC 4028 §4). */
    public enum Refresher {
        UAC, UAS;

        public String token() {
            return this == UAC ? "uac" : "uas";
        }

        /** Null for an absent or unknown parameter. */
        public static Refresher parse(String token) {
            if ("uac".equalsIgnoreCase(token)) {
                return UAC;
            }
            if ("uas".equalsIgnoreCase(token)) {
                return UAS;
            }
            return null;
        }
    }

    /** What the UAS does with an INVITE. */
    public sealed interface UasDecision {
        /** Answer 422 with {@code Min-SE: minSe} (RFC 4028 §9). */
        record TooSmall(long minSe) implements UasDecision {
        }

        /** No session timer on this dialog. */
        record NoTimer() implements UasDecision {
        }

        /** Put {@code Session-Expires: interval;refresher=...} in the 2xx; {@code Require: timer} when told. */
        record Run(long interval, Refresher refresher, boolean requireTimer) implements UasDecision {
        }
    }

    private SessionTimerPolicy() {
    }

    /**
     * @param requestSe       Session-Expires of the request, or null
     * @param requestMinSe    Min-SE of the request, or null
     * @param uacSupportsTimer the request's Supported (or Require) lists "timer"
     * @param ourMax          the longest interval we want
     * @param ourMinSe        the shortest interval we accept
     */
    public static UasDecision uas(Long requestSe, Refresher requestRefresher, Long requestMinSe,
                                  boolean uacSupportsTimer, long ourMax, long ourMinSe) {
        long floor = Math.max(ourMinSe, requestMinSe == null ? 0 : requestMinSe);
        if (requestSe == null) {
            // §9: without Session-Expires the UAS may still ask for a timer, with the UAC refreshing, only when
            // the UAC supports the extension.
            return uacSupportsTimer
                    ? new UasDecision.Run(Math.max(ourMax, floor), Refresher.UAC, true)
                    : new UasDecision.NoTimer();
        }
        if (requestSe < ourMinSe) {
            return new UasDecision.TooSmall(ourMinSe);
        }
        long interval = Math.max(Math.min(requestSe, ourMax), floor);
        Refresher refresher;
        if (!uacSupportsTimer) {
            refresher = Refresher.UAS; // §9: a UAC without support cannot refresh
        } else if (requestRefresher != null) {
            refresher = requestRefresher;
        } else {
            refresher = Refresher.UAC;
        }
        return new UasDecision.Run(interval, refresher, uacSupportsTimer);
    }

    /**
     * The UAC's reading of a 2xx (§7.2): null when the 2xx has no Session-Expires (no timer). Without a refresher
     * parameter the UAC refreshes.
     */
    public static UasDecision.Run uac(Long responseSe, Refresher responseRefresher) {
        if (responseSe == null || responseSe <= 0) {
            return null;
        }
        return new UasDecision.Run(responseSe, responseRefresher == null ? Refresher.UAC : responseRefresher, false);
    }

    /** The Session-Expires to retry with after a 422 carrying {@code Min-SE: peerMinSe} (§7.4). */
    public static long retryAfter422(long ourSe, long peerMinSe) {
        return Math.max(ourSe, peerMinSe);
    }
}
