package io.warmline.webrtc.ice;

import java.util.Objects;

/** What to do with one STUN packet given to {@link IceLiteAgent#handleStun}. */
public sealed interface StunVerdict {

    /**
     * Send {@code message} back on {@code path} (the path it came from): a success or an error response.
     *
     * @param leg the leg the request belongs to, or null for an error answered before any leg was known (400)
     */
    record Reply(byte[] message, IcePath path, IceLeg leg) implements StunVerdict {
        public Reply {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(path, "path");
        }
    }

    /** Nothing to send; the packet was counted under {@code reason}. */
    record Drop(IceDropReason reason) implements StunVerdict {
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
