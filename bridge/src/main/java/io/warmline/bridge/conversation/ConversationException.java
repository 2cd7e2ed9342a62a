package io.warmline.bridge.conversation;

import io.warmline.dtmf.leg.DialRejectedException;

/** Why a conversation operation was refused; each kind knows its HTTP status and problem code. */
public final class ConversationException extends RuntimeException {

    public enum Kind {
        NO_SUCH_CONVERSATION(404, "no-such-conversation"),
        NO_SUCH_LEG(404, "no-such-leg"),
        NO_SUCH_ESCALATION(404, "no-such-escalation"),
        TOO_MANY_LEGS(409, "too-many-legs"),
        ESCALATION_IN_PROGRESS(409, "escalation-in-progress"),
        /** The offer is malformed or lacks what WebRTC requires (ICE credentials, a fingerprint). */
        OFFER_REFUSED(400, "offer-refused"),
        /** A valid offer asking for what this node does not serve (no audio, no common codec, SDES...). */
        OFFER_UNSUPPORTED(422, "offer-unsupported"),
        BAD_CANDIDATE(400, "bad-candidate"),
        /** {@code If-Match} names another ICE session than the leg's (RFC 9725 §4.3.1, RFC 9110 §13.1.1). */
        ETAG_MISMATCH(412, "etag-mismatch"),
        NOT_ACCEPTING(503, "not-accepting"),
        /** Keys asked for a leg the conversation does not have live (no answered escalation, an unknown leg id). */
        NO_LIVE_LEG(409, "no-live-leg"),
        /** The keys are not a valid DTMF sequence (the detail names the position). */
        BAD_DTMF_SEQUENCE(400, "bad-dtmf-sequence"),
        DTMF_TOO_LONG(400, "dtmf-too-long"),
        /** The leg's key rate or queue is used up for now (with Retry-After). */
        DTMF_RATE_LIMITED(429, "dtmf-rate-limited"),
        /** The leg cannot send keys in its mode (rfc4733 without telephone-event, a WebRTC leg without it). */
        DTMF_UNAVAILABLE(409, "dtmf-unavailable"),
        MEDIA_UNAVAILABLE(503, "media-unavailable"),
        /** A recording was asked to start while one runs. */
        ALREADY_RECORDING(409, "already-recording"),
        /** A recording was asked to stop while none runs. */
        NOT_RECORDING(409, "not-recording"),
        /** The node has no recording section in its config. */
        RECORDING_NOT_CONFIGURED(409, "recording-not-configured");

        private final int httpStatus;
        private final String code;

        Kind(int httpStatus, String code) {
            this.httpStatus = httpStatus;
            this.code = code;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public String code() {
            return code;
        }
    }

    private final Kind kind;
    private final long retryAfterSeconds;

    public ConversationException(Kind kind, String detail) {
        this(kind, detail, 0);
    }

    public ConversationException(Kind kind, String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A leg's refusal to press keys, as the API reports it (rate and queue limits with a retry time). */
    public static ConversationException dtmfRefused(DialRejectedException e) {
        Kind kind = switch (e.reason()) {
            case BAD_SEQUENCE -> Kind.BAD_DTMF_SEQUENCE;
            case TOO_LONG -> Kind.DTMF_TOO_LONG;
            case RATE_LIMITED, QUEUE_FULL -> Kind.DTMF_RATE_LIMITED;
            case LEG_ENDED -> Kind.NO_LIVE_LEG;
            case MODE_UNAVAILABLE -> Kind.DTMF_UNAVAILABLE;
        };
        long retry = e.retryable() ? Math.max(1, (e.retryAfterMillis() + 999) / 1000) : 0;
        return new ConversationException(kind, e.getMessage(), retry);
    }

    public Kind kind() {
        return kind;
    }

    /** Seconds after which trying again may succeed (a Retry-After header), or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
