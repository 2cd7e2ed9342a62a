package io.warmline.webrtc.ice;

import io.netty.buffer.ByteBuf;
import io.warmline.webrtc.sdp.IceCredentials;
import io.warmline.webrtc.stun.StunClass;
import io.warmline.webrtc.stun.StunDecoder;
import io.warmline.webrtc.stun.StunMessage;
import io.warmline.webrtc.stun.StunMessageBuilder;
import io.warmline.webrtc.stun.StunParseResult;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ICE-lite agent (RFC 8445 §2.5) of one shared port: it answers the browsers' connectivity checks for every
 * registered WebRTC leg, learns which path each leg's peer nominates, and ends a leg whose consent lapses (RFC 7675).
 * A lite agent sends no checks of its own, so consent is the peer's authenticated checks arriving on the selected path.
 *
 * <p>Sans-IO: the owner feeds it STUN packets ({@link #handleStun}) and timeouts ({@link #handleTimeout}) with the
 * current time, sends the {@link StunVerdict.Reply replies} on the path they name, drains {@link #pollEvent() events}
 * after each call, and arms one timer for {@link #nextDeadline()}. It reads no clock and owns no socket.
 *
 * <p>Legs are found by the local ufrag in USERNAME ("ourUfrag:theirUfrag", RFC 8445 §7.2.2) and afterwards, for
 * DTLS and SRTP, by the remote path ({@link #legFor}). Not thread-safe: one event loop owns the agent.
 */
public final class IceLiteAgent {

    private static final Logger log = LoggerFactory.getLogger(IceLiteAgent.class);

    private final IceLiteOptions options;
    private final long consentNanos;
    private final RandomGenerator random;
    private final Map<String, IceLeg> byUfrag = new HashMap<>();
    private final Map<IcePath, IceLeg> byPath = new HashMap<>();
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>();
    /** A lower bound of the live legs' deadlines: a timer that fires early finds nothing due and recomputes. */
    private long deadlineBound = Long.MAX_VALUE;
    private boolean deadlineBoundValid = true;

    private long requests;
    private long badRequests;
    private long badIntegrity;
    private long wrongRemoteUfrag;
    private long unknownAttributes;
    private long roleConflicts;
    private long roleSwitches;
    private long nominations;
    private long consentLost;
    private long restarts;
    private long restartsCompleted;
    /** Legs registered under their pending restart's ufrag as well. */
    private int pendingRestarts;
    private final long[] dropped = new long[IceDropReason.values().length];

    /** @param random source of the per-leg tiebreakers (RFC 8445 §7.1.3) */
    public IceLiteAgent(IceLiteOptions options, RandomGenerator random) {
        this.options = Objects.requireNonNull(options, "options");
        this.consentNanos = options.consentTimeout().toNanos();
        this.random = Objects.requireNonNull(random, "random");
    }

    public IceLiteAgent(IceLiteOptions options) {
        this(options, new SecureRandom());
    }

    /**
     * Registers a leg. Its local ufrag must be unique on this agent; {@code remote} may be null until the peer's
     * credentials are known (checks are verified with the local password only). The leg ends unless a check arrives
     * and a path is nominated within the consent timeout.
     *
     * @throws IllegalArgumentException when the local ufrag is already registered
     * @throws IllegalStateException when {@link IceLiteOptions#maxLegs()} legs are registered
     */
    public IceLeg addLeg(String id, IceCredentials local, IceCredentials remote, long nowNanos) {
        if (byUfrag.containsKey(local.ufrag())) {
            throw new IllegalArgumentException("ice-ufrag already registered: " + local.ufrag());
        }
        if (legCount() >= options.maxLegs()) {
            throw new IllegalStateException("ICE agent full: " + options.maxLegs() + " legs");
        }
        IceLeg leg = new IceLeg(id, local, remote, random.nextLong(), options.maxPathsPerLeg(), nowNanos + consentNanos);
        byUfrag.put(local.ufrag(), leg);
        lowerDeadlineBound(leg.consentDeadline());
        return leg;
    }

    /** Sets the peer's credentials once known (RFC 8445 §7.3: checks may arrive before them). */
    public void setRemoteCredentials(IceLeg leg, IceCredentials remote) {
        leg.remote(Objects.requireNonNull(remote, "remote"));
    }

    /**
     * Restarts ICE on a live leg (RFC 8445 §9, RFC 9725 §4.3.3) with our {@code newLocal} and the peer's
     * {@code newRemote}. Until a check with the new credentials passes, the old ones stay valid too: the peer keeps
     * using the old pair while it restarts (§9), its checks there keep consent (RFC 7675 §5.1), and a restart it never
     * completes leaves the leg as it was. The first passing check with the new credentials retires the old ones (their
     * ufrag then names no leg) and the paths validated only under them; the selected path keeps carrying media until
     * the new checks nominate one. The role stays as it is (a lite agent is controlled, §6.1.1).
     *
     * @throws IllegalArgumentException when {@code newLocal}'s ufrag is already registered
     * @throws IllegalStateException when the leg is not registered or has ended
     */
    public void restart(IceLeg leg, IceCredentials newLocal, IceCredentials newRemote) {
        Objects.requireNonNull(newRemote, "newRemote");
        String old = leg.localCredentials().ufrag();
        if (byUfrag.get(old) != leg || leg.state() == IceLegState.ENDED) {
            throw new IllegalStateException("ICE leg " + leg.id() + " is not live");
        }
        if (byUfrag.containsKey(newLocal.ufrag())) {
            throw new IllegalArgumentException("ice-ufrag already registered: " + newLocal.ufrag());
        }
        IceCredentials replaced = leg.restart(newLocal, newRemote);
        if (replaced != null) {
            byUfrag.remove(replaced.ufrag(), leg);
        } else {
            pendingRestarts++;
        }
        byUfrag.put(newLocal.ufrag(), leg);
        restarts++;
        log.info("ICE leg {}: ICE restart to ufrag {}; ufrag {} and path {} kept until a check with the new one",
                leg.id(), newLocal.ufrag(), leg.previousLocalCredentials().ufrag(), leg.selectedPath());
    }

    /** Forgets a leg; it ends without an event. Unknown or already removed legs are ignored. */
    public void removeLeg(IceLeg leg) {
        if (byUfrag.get(leg.localCredentials().ufrag()) != leg) {
            return;
        }
        byUfrag.remove(leg.localCredentials().ufrag());
        IceCredentials previous = leg.previousLocalCredentials();
        if (previous != null) {
            byUfrag.remove(previous.ufrag(), leg);
            pendingRestarts--;
        }
        end(leg);
    }

    /** The leg registered with this local ufrag, or null. */
    public IceLeg leg(String localUfrag) {
        return byUfrag.get(localUfrag);
    }

    /** The live leg whose peer passed an authenticated check from {@code path}, or null: routes DTLS and SRTP. */
    public IceLeg legFor(IcePath path) {
        return byPath.get(path);
    }

    /** Registered legs (a leg in the middle of a restart is registered under two ufrags and counts once). */
    public int legCount() {
        return byUfrag.size() - pendingRestarts;
    }

    /**
     * Handles one STUN packet (as classified by the RFC 7983 demultiplexer) that arrived on {@code from}. Reads the
     * packet's readable bytes without moving its indices or taking ownership: the caller still releases it.
     */
    public StunVerdict handleStun(ByteBuf packet, IcePath from, long nowNanos) {
        StunParseResult parsed = StunDecoder.decode(packet);
        if (!(parsed instanceof StunParseResult.Parsed p)) {
            return drop(IceDropReason.MALFORMED);
        }
        StunMessage m = p.message();
        StunClass cls = m.messageClass();
        if (cls == StunClass.INDICATION) {
            return drop(IceDropReason.INDICATION);
        }
        if (cls != StunClass.REQUEST) {
            return drop(IceDropReason.UNEXPECTED_RESPONSE);
        }
        if (m.hasFingerprint() && !m.fingerprintValid()) {
            return drop(IceDropReason.BAD_FINGERPRINT);
        }
        if (m.method() != StunMessage.METHOD_BINDING) {
            return drop(IceDropReason.UNSUPPORTED_METHOD);
        }
        String username = m.username();
        if (username == null) {
            // RFC 8489 §9.1.3: no USERNAME → 400, without MESSAGE-INTEGRITY (there is no key to use).
            badRequests++;
            return new StunVerdict.Reply(error(m, 400, "Bad Request", null), from, null);
        }
        int colon = username.indexOf(':');
        IceLeg leg = colon > 0 ? byUfrag.get(username.substring(0, colon)) : null;
        if (leg == null) {
            return drop(IceDropReason.UNKNOWN_UFRAG);
        }
        if (leg.state() == IceLegState.ENDED) {
            return drop(IceDropReason.LEG_ENDED);
        }
        if (!m.hasIntegrity() || !m.hasFingerprint()) {
            // RFC 8489 §9.1.3 (MESSAGE-INTEGRITY) and RFC 8445 §7.2.2 (FINGERPRINT is mandatory for checks).
            badRequests++;
            return new StunVerdict.Reply(error(m, 400, "Bad Request", null), from, leg);
        }
        // During a restart the ufrag says which credentials the check uses: the new ones, or those still in force.
        boolean current = username.regionMatches(0, leg.localCredentials().ufrag(), 0, colon)
                && colon == leg.localCredentials().ufrag().length();
        byte[] key = current ? leg.key() : leg.previousKey();
        if (key == null || !m.integrityMatches(key)) {
            // RFC 8489 §9.1.3: wrong MESSAGE-INTEGRITY → 401, without MESSAGE-INTEGRITY.
            badIntegrity++;
            return new StunVerdict.Reply(error(m, 401, "Unauthenticated", null), from, leg);
        }
        IceCredentials remote = current ? leg.remoteCredentials() : leg.previousRemoteCredentials();
        if (remote != null && !username.substring(colon + 1).equals(remote.ufrag())) {
            wrongRemoteUfrag++;
            return new StunVerdict.Reply(error(m, 401, "Unauthenticated", null), from, leg);
        }
        int[] unknown = m.unknownComprehensionRequired();
        if (unknown.length > 0) {
            // RFC 8489 §6.3.1.1; authenticated, so the answer carries MESSAGE-INTEGRITY (§9.1.3).
            unknownAttributes++;
            byte[] reply = new StunMessageBuilder(StunMessage.BINDING_ERROR, m.transactionId())
                    .errorCode(420, "Unknown Attribute").unknownAttributes(unknown)
                    .messageIntegrity(key).fingerprint().build();
            return new StunVerdict.Reply(reply, from, leg);
        }
        if (roleConflict(leg, m)) {
            roleConflicts++;
            return new StunVerdict.Reply(error(m, 487, "Role Conflict", key), from, leg);
        }
        if (current && leg.previousLocalCredentials() != null) {
            retirePrevious(leg, from);
        }
        accept(leg, from, m.useCandidate(), nowNanos);
        requests++;
        byte[] reply = new StunMessageBuilder(StunMessage.BINDING_SUCCESS, m.transactionId())
                .xorMappedAddress(from.remote()).messageIntegrity(key).fingerprint().build();
        return new StunVerdict.Reply(reply, from, leg);
    }

    /** RFC 8445 §9: the first check with the new credentials passed, so the restart is under way for the peer too. */
    private void retirePrevious(IceLeg leg, IcePath checked) {
        java.util.List<IcePath> dropped = new java.util.ArrayList<>();
        IceCredentials old = leg.retirePrevious(checked, dropped);
        byUfrag.remove(old.ufrag(), leg);
        pendingRestarts--;
        for (IcePath p : dropped) {
            byPath.remove(p, leg);
        }
        restartsCompleted++;
        log.info("ICE leg {}: ICE restart completed by a check from {}; ufrag {} retired", leg.id(), checked,
                old.ufrag());
    }

    /** Ends every live leg whose consent deadline has passed, with a {@link IceEvent.ConsentLost} each. */
    public void handleTimeout(long nowNanos) {
        long bound = Long.MAX_VALUE;
        for (IceLeg leg : byUfrag.values()) {
            if (leg.state() == IceLegState.ENDED) {
                continue;
            }
            if (nowNanos - leg.consentDeadline() >= 0) {
                IcePath was = leg.selectedPath();
                end(leg);
                consentLost++;
                log.info("ICE leg {}: consent lost{}", leg.id(), was != null ? " on " + was : " before nomination");
                events.add(new IceEvent.ConsentLost(leg, was));
            } else if (leg.consentDeadline() - bound < 0 || bound == Long.MAX_VALUE) {
                bound = leg.consentDeadline();
            }
        }
        deadlineBound = bound;
        deadlineBoundValid = true;
    }

    /** When {@link #handleTimeout} should next run (it may find nothing due), or {@link Long#MAX_VALUE} for never. */
    public long nextDeadline() {
        if (!deadlineBoundValid) {
            handleTimeoutBound();
        }
        return deadlineBound;
    }

    /** The next event, or null when there is none. Drain after every call that takes input. */
    public IceEvent pollEvent() {
        return events.poll();
    }

    public IceLiteStats stats() {
        return new IceLiteStats(requests, badRequests, badIntegrity, wrongRemoteUfrag, unknownAttributes,
                roleConflicts, roleSwitches, nominations, consentLost, restarts, restartsCompleted, dropped);
    }

    /**
     * RFC 8445 §7.3.1.1. We are controlled (lite, §6.1.1) until a conflict we lose says otherwise. A conflict we win
     * (our tiebreaker is larger or equal, unsigned) is answered 487 and we keep our role; one we lose switches it.
     */
    private boolean roleConflict(IceLeg leg, StunMessage m) {
        if (leg.role() == IceRole.CONTROLLED && m.hasIceControlled()) {
            if (Long.compareUnsigned(leg.tiebreaker(), m.iceControlled()) >= 0) {
                return true;
            }
            switchRole(leg, IceRole.CONTROLLING);
        } else if (leg.role() == IceRole.CONTROLLING && m.hasIceControlling()) {
            if (Long.compareUnsigned(leg.tiebreaker(), m.iceControlling()) >= 0) {
                return true;
            }
            switchRole(leg, IceRole.CONTROLLED);
        }
        return false;
    }

    private void switchRole(IceLeg leg, IceRole role) {
        roleSwitches++;
        log.info("ICE leg {}: role conflict lost, now {}", leg.id(), role);
        leg.role(role);
    }

    /**
     * A valid check from {@code path}: the path is validated (RFC 8445 §7.3.1.4), consent is refreshed when it is the
     * selected one (RFC 7675 §5.1), and USE-CANDIDATE from a controlling peer nominates it (§7.3.1.5); the most recent
     * nomination wins, so a peer that moves to another address takes its media with it. When we are the controlling
     * side (after a lost conflict) nobody nominates for us, so as a lite agent we select the first validated path
     * (§8.2: the lite controlling agent picks the pair without checks of its own).
     */
    private void accept(IceLeg leg, IcePath path, boolean useCandidate, long nowNanos) {
        leg.checked(useCandidate, nowNanos);
        IceLeg previous = byPath.put(path, leg);
        if (previous != null && previous != leg) {
            // One address, one leg: the leg that last proved it holds the password owns the path.
            previous.forget(path);
            if (path.equals(previous.selectedPath())) {
                previous.select(null);
                previous.state(IceLegState.CHECKED);
            }
        }
        IcePath evicted = leg.validate(path);
        if (evicted != null && byPath.get(evicted) == leg) {
            byPath.remove(evicted);
        }
        if (leg.state() == IceLegState.WAITING) {
            transition(leg, IceLegState.CHECKED);
        }
        boolean nominate = leg.role() == IceRole.CONTROLLED ? useCandidate : leg.selectedPath() == null;
        if (nominate && !path.equals(leg.selectedPath())) {
            leg.select(path);
            transition(leg, IceLegState.NOMINATED);
            nominations++;
            events.add(new IceEvent.Nominated(leg, path));
            refreshConsent(leg, nowNanos);
        } else if (path.equals(leg.selectedPath()) || leg.state() == IceLegState.CHECKED) {
            // Before nomination any valid check shows the peer is still there.
            refreshConsent(leg, nowNanos);
        }
    }

    private void refreshConsent(IceLeg leg, long nowNanos) {
        leg.consentDeadline(nowNanos + consentNanos);
    }

    private void transition(IceLeg leg, IceLegState to) {
        IceLegState from = leg.state();
        if (from == IceLegState.ENDED) {
            throw new IllegalStateException("leg " + leg.id() + " has ended");
        }
        if (from != to) {
            log.debug("ICE leg {}: {} -> {}", leg.id(), from, to);
        }
        leg.state(to);
        if (to == IceLegState.NOMINATED) {
            log.info("ICE leg {}: nominated {}", leg.id(), leg.selectedPath());
        }
    }

    private void end(IceLeg leg) {
        if (leg.state() != IceLegState.ENDED) {
            log.debug("ICE leg {}: {} -> ENDED", leg.id(), leg.state());
        }
        leg.state(IceLegState.ENDED);
        leg.select(null);
        for (IcePath path : leg.paths()) {
            byPath.remove(path, leg);
        }
        leg.clearPaths();
        deadlineBoundValid = false;
    }

    private void handleTimeoutBound() {
        long bound = Long.MAX_VALUE;
        for (IceLeg leg : byUfrag.values()) {
            if (leg.state() != IceLegState.ENDED && (bound == Long.MAX_VALUE || leg.consentDeadline() - bound < 0)) {
                bound = leg.consentDeadline();
            }
        }
        deadlineBound = bound;
        deadlineBoundValid = true;
    }

    private void lowerDeadlineBound(long deadline) {
        if (deadlineBound == Long.MAX_VALUE || deadline - deadlineBound < 0) {
            deadlineBound = deadline;
        }
    }

    private StunVerdict drop(IceDropReason reason) {
        dropped[reason.ordinal()]++;
        return new StunVerdict.Drop(reason);
    }

    private static byte[] error(StunMessage request, int code, String reason, byte[] key) {
        StunMessageBuilder b = new StunMessageBuilder(StunMessage.BINDING_ERROR, request.transactionId())
                .errorCode(code, reason);
        if (key != null) {
            b.messageIntegrity(key);
        }
        return b.fingerprint().build();
    }
}
