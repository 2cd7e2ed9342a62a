package io.warmline.media.sdp;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The {@code o=} state of one call leg: a fixed session id and a version that goes up by one each time the leg
 * sends a description that differs from the previous one, and stays the same when it repeats it (RFC 3264 §8,
 * RFC 8866 §5.2).
 *
 * <p>Not thread-safe: confined to the event loop of the call that owns the leg.
 */
public final class SdpOrigin {

    private final String username;
    private final String sessionId;
    private long nextVersion;
    private SessionDescription last;

    /**
     * @param username the o= username ({@code -} when there is none)
     * @param sessionId the session id, fixed for the leg
     * @param initialVersion the version of the first description stamped
     */
    public SdpOrigin(String username, long sessionId, long initialVersion) {
        this.username = Objects.requireNonNull(username, "username");
        if (sessionId < 0 || initialVersion < 0) {
            throw new IllegalArgumentException("session id and version must not be negative");
        }
        this.sessionId = Long.toString(sessionId);
        this.nextVersion = initialVersion;
    }

    /** A new leg's origin with a random session id (also the first version), as RFC 8866 §5.2 suggests. */
    public static SdpOrigin random(RandomGenerator random) {
        long id = random.nextLong(1, 1L << 48);
        return new SdpOrigin("-", id, id);
    }

    /**
     * Gives {@code draft} this leg's origin, keeping the draft's address: the same version as the previous call
     * when nothing but the origin changed, the next version otherwise.
     */
    public SessionDescription stamp(SessionDescription draft) {
        Origin previous = last == null ? null : last.origin();
        if (previous != null && sameContent(last, draft)) {
            return draft.withOrigin(previous);
        }
        Origin origin = new Origin(username, sessionId, nextVersion, draft.origin().addressType(),
                draft.origin().address());
        nextVersion++;
        last = draft.withOrigin(origin);
        return last;
    }

    /** The origin of the last description stamped, or null before the first. */
    public Origin current() {
        return last == null ? null : last.origin();
    }

    private static boolean sameContent(SessionDescription a, SessionDescription b) {
        return a.origin().address().equals(b.origin().address())
                && a.origin().addressType().equals(b.origin().addressType())
                && a.sessionName().equals(b.sessionName())
                && Objects.equals(a.connection(), b.connection())
                && a.sessionAttributes().equals(b.sessionAttributes())
                && a.media().equals(b.media());
    }
}
