package io.warmline.webrtc.ice;

import java.util.Objects;

/** What the agent tells its owner, from {@link IceLiteAgent#pollEvent()}. */
public sealed interface IceEvent {

    IceLeg leg();

    /** The peer nominated {@code path} (RFC 8445 §7.3.1.5): from now media goes there, and only there. */
    record Nominated(IceLeg leg, IcePath path) implements IceEvent {
        public Nominated {
            Objects.requireNonNull(leg, "leg");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * No authenticated check arrived in time (RFC 7675 §5.1): the leg has ended and must not send. {@code path} is the
     * path that was selected, or null when the leg was never nominated.
     */
    record ConsentLost(IceLeg leg, IcePath path) implements IceEvent {
        public ConsentLost {
            Objects.requireNonNull(leg, "leg");
        }
    }
}
