package io.warmline.bridge.conversation;

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
        NOT_ACCEPTING(503, "not-accepting"),
        MEDIA_UNAVAILABLE(503, "media-unavailable");

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

    public ConversationException(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
