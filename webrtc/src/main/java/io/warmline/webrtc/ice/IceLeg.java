package io.warmline.webrtc.ice;

import io.warmline.webrtc.sdp.IceCredentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * One WebRTC leg as the lite agent sees it: its credentials, the remote paths that passed an authenticated check,
 * the selected (nominated) path and its consent. Made by {@link IceLiteAgent#addLeg}; changed only by the agent, on
 * the agent's event loop. {@link #state()}, {@link #selectedPath()}, {@link #sendPath} and {@link #acceptsMediaFrom}
 * may be read from the leg's own media event loop too (single writer, volatile fields, no locks); the rest belongs to
 * the agent's loop.
 */
public final class IceLeg {

    private final String id;
    private IceCredentials local;
    private byte[] key;
    private final long tiebreaker;
    private final int maxPaths;
    /** Validated paths, least recently validated first. */
    private final LinkedHashMap<IcePath, Boolean> validated = new LinkedHashMap<>(4, 0.75f, true);
    private IceCredentials remote;
    /** The credentials before a restart that no check with the new ones has completed yet (RFC 8445 §9), or null. */
    private IceCredentials previousLocal;
    private byte[] previousKey;
    private IceCredentials previousRemote;
    private IceRole role = IceRole.CONTROLLED;
    private volatile IceLegState state = IceLegState.WAITING;
    private volatile IcePath selected;
    private volatile long consentDeadline;
    private volatile long firstCheckNanos = Long.MIN_VALUE;
    private volatile long firstUseCandidateNanos = Long.MIN_VALUE;

    IceLeg(String id, IceCredentials local, IceCredentials remote, long tiebreaker, int maxPaths, long deadline) {
        this.id = Objects.requireNonNull(id, "id");
        this.local = Objects.requireNonNull(local, "local");
        // RFC 8489 §9.1.1: the short-term key is OpaqueString(password); ice-chars are ASCII, so that is the bytes.
        this.key = local.pwd().getBytes(StandardCharsets.UTF_8);
        this.remote = remote;
        this.tiebreaker = tiebreaker;
        this.maxPaths = maxPaths;
        this.consentDeadline = deadline;
    }

    /** The owner's name for the leg (for logs). */
    public String id() {
        return id;
    }

    public IceCredentials localCredentials() {
        return local;
    }

    /** The peer's credentials, or null while unknown. */
    public IceCredentials remoteCredentials() {
        return remote;
    }

    public IceLegState state() {
        return state;
    }

    public IceRole role() {
        return role;
    }

    /** The nominated path, or null before nomination and after the leg ended. */
    public IcePath selectedPath() {
        return selected;
    }

    /**
     * Where media may be sent at {@code nowNanos}: the selected path while consent holds, else null. Checks the consent
     * deadline itself, so sending stops at once when consent expires even before the owner's timer runs (RFC 7675 §5.1).
     */
    public IcePath sendPath(long nowNanos) {
        IcePath path = selected;
        return path != null && state == IceLegState.NOMINATED && nowNanos - consentDeadline < 0 ? path : null;
    }

    /** True when media from {@code path} may be accepted: it is the selected path and consent holds. */
    public boolean acceptsMediaFrom(IcePath path, long nowNanos) {
        IcePath p = sendPath(nowNanos);
        return p != null && p.equals(path);
    }

    /**
     * True while the leg's peer has passed an authenticated check but not yet nominated, and the wait for nomination
     * holds: a pair validated by the peer's check may carry data before nomination (RFC 8445 §12.1; as the lite
     * agent our only pairs are those the peer's checks validated, §7.3.1.4). Which validated path to use is the
     * caller's choice (the path the peer's DTLS came from).
     */
    public boolean validBeforeNomination(long nowNanos) {
        return state == IceLegState.CHECKED && nowNanos - consentDeadline < 0;
    }

    /** True when an authenticated check came from {@code path} (DTLS may start there before nomination). */
    public boolean isValidated(IcePath path) {
        return state != IceLegState.ENDED && validated.containsKey(path);
    }

    /** The validated paths, least recently checked first. */
    public List<IcePath> validatedPaths() {
        return new ArrayList<>(validated.keySet());
    }

    /** When consent (or, before nomination, the wait for a check) runs out, in the agent's nanosecond time. */
    public long consentDeadline() {
        return consentDeadline;
    }

    /** When the first authenticated check passed, in the agent's time, or {@link Long#MIN_VALUE} before it. */
    public long firstCheckNanos() {
        return firstCheckNanos;
    }

    /** When the first passed check carried USE-CANDIDATE, or {@link Long#MIN_VALUE} before it. */
    public long firstUseCandidateNanos() {
        return firstUseCandidateNanos;
    }

    @Override
    public String toString() {
        return "IceLeg{" + id + ", " + state + (selected != null ? ", " + selected : "") + "}";
    }

    byte[] key() {
        return key;
    }

    long tiebreaker() {
        return tiebreaker;
    }

    void remote(IceCredentials credentials) {
        this.remote = credentials;
    }

    /**
     * The credentials in force before an ICE restart that has not completed (no check with the new ones has passed),
     * or null when no restart is pending.
     */
    public IceCredentials previousLocalCredentials() {
        return previousLocal;
    }

    byte[] previousKey() {
        return previousKey;
    }

    IceCredentials previousRemoteCredentials() {
        return previousRemote;
    }

    /**
     * New credentials for an ICE restart (RFC 8445 §9). The credentials in force stay valid beside the new ones until
     * a check with the new ones passes ({@link #retirePrevious}): the browser keeps checking, and so keeps consent,
     * on the old pair while it restarts, and a restart it never completes changes nothing. A second restart before the
     * first completed replaces the pending credentials, not those in force. Returns the pending local credentials
     * this replaced, or null.
     */
    IceCredentials restart(IceCredentials newLocal, IceCredentials newRemote) {
        IceCredentials replaced = null;
        if (previousLocal == null) {
            previousLocal = local;
            previousKey = key;
            previousRemote = remote;
        } else {
            replaced = local;
        }
        this.local = Objects.requireNonNull(newLocal, "newLocal");
        this.key = newLocal.pwd().getBytes(StandardCharsets.UTF_8);
        this.remote = newRemote;
        return replaced;
    }

    /**
     * The restart completed with a check from {@code checked}: the old credentials open nothing any more, and of the
     * paths validated under them only the selected one (media stays there until a new nomination) and
     * {@code checked} remain. Returns the old local credentials and fills {@code dropped} with the paths no longer
     * validated.
     */
    IceCredentials retirePrevious(IcePath checked, List<IcePath> dropped) {
        IceCredentials old = previousLocal;
        previousLocal = null;
        previousKey = null;
        previousRemote = null;
        for (Iterator<IcePath> it = validated.keySet().iterator(); it.hasNext(); ) {
            IcePath p = it.next();
            if (!p.equals(selected) && !p.equals(checked)) {
                it.remove();
                dropped.add(p);
            }
        }
        return old;
    }

    void checked(boolean useCandidate, long nowNanos) {
        if (firstCheckNanos == Long.MIN_VALUE) {
            firstCheckNanos = nowNanos;
        }
        if (useCandidate && firstUseCandidateNanos == Long.MIN_VALUE) {
            firstUseCandidateNanos = nowNanos;
        }
    }

    void role(IceRole newRole) {
        this.role = newRole;
    }

    void state(IceLegState newState) {
        this.state = newState;
    }

    void select(IcePath path) {
        this.selected = path;
    }

    void consentDeadline(long deadline) {
        this.consentDeadline = deadline;
    }

    /** Marks {@code path} validated; returns the path evicted to stay within the bound, or null. */
    IcePath validate(IcePath path) {
        validated.put(path, Boolean.TRUE);
        if (validated.size() <= maxPaths) {
            return null;
        }
        for (Iterator<IcePath> it = validated.keySet().iterator(); it.hasNext(); ) {
            IcePath oldest = it.next();
            if (!oldest.equals(selected)) {
                it.remove();
                return oldest;
            }
        }
        return null;
    }

    void forget(IcePath path) {
        validated.remove(path);
    }

    Iterable<IcePath> paths() {
        return validated.keySet();
    }

    void clearPaths() {
        validated.clear();
    }
}
