package io.warmline.webrtc.stun;

import java.util.Objects;

/** The outcome of {@link StunDecoder#decode}: a message, or the reason the input was refused. Never an exception. */
public sealed interface StunParseResult {

    /** A structurally valid STUN message; integrity and fingerprint are for the caller to judge. */
    record Parsed(StunMessage message) implements StunParseResult {
        public Parsed {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Input refused; {@code attributeType} names the offending attribute for {@link StunMalformation#BAD_ATTRIBUTE}, else -1. */
    record Malformed(StunMalformation reason, int attributeType) implements StunParseResult {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
