package io.warmline.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.warmline.media.time.ManualClock;
import io.warmline.webrtc.sdp.IceCredentials;
import io.warmline.webrtc.stun.StunClass;
import io.warmline.webrtc.stun.StunDecoder;
import io.warmline.webrtc.stun.StunMessage;
import io.warmline.webrtc.stun.StunParseResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {

    private static final IceCredentials LOCAL = new IceCredentials("ourUfragAAAAAAAA", "ourPasswordBBBBBBBBBBBBBBBBBBBBB");
    private static final IceCredentials REMOTE = new IceCredentials("brws", "browserPasswordCCCCCCCC");
    private static final IcePath A = IcePath.udp(address("192.0.2.10", 50000));
    private static final IcePath B = IcePath.udp(address("198.51.100.7", 61000));
    private static final IcePath V6 = IcePath.udp(address("2001:db8::42", 50002));

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private IceLiteAgent agent;
    private IceLeg leg;

    @BeforeEach
    void setUp() {
        agent = new IceLiteAgent(IceLiteOptions.defaults(), new SplittableRandom(7));
        leg = agent.addLeg("leg-1", LOCAL, REMOTE, now());
    }

    @Test
    void answersAValidCheckWithXorMappedAddressIntegrityAndFingerprint() {
        for (IcePath from : List.of(A, V6, IcePath.tcp(address("203.0.113.5", 40000)))) {
            BrowserCheck check = check();
            StunMessage reply = reply(handle(check, from), from);
            assertEquals(StunMessage.BINDING_SUCCESS, reply.messageType());
            assertArrayEquals(check.transactionId, reply.transactionId());
            assertEquals(from.remote(), reply.xorMappedAddress());
            assertTrue(reply.fingerprintValid());
            assertTrue(reply.integrityMatches(LOCAL.pwd().getBytes(StandardCharsets.UTF_8)));
            assertTrue(leg.isValidated(from));
            assertSame(leg, agent.legFor(from));
        }
        assertEquals(IceLegState.CHECKED, leg.state());
        assertNull(agent.pollEvent());
        assertNull(leg.sendPath(now()), "no media before nomination");
        assertEquals(3, agent.stats().requests());
    }

    @Test
    void aCheckedLegMayCarryDataBeforeNominationUntilItsWaitRunsOut() {
        assertFalse(leg.validBeforeNomination(now()), "no check yet");
        handle(check(), A);
        assertTrue(leg.validBeforeNomination(now()));
        assertNull(leg.sendPath(now()), "the agent itself names no path before nomination");
        clock.advance(IceLiteOptions.DEFAULT_CONSENT_TIMEOUT);
        assertFalse(leg.validBeforeNomination(now()), "the wait for nomination holds consent only so long");
        handle(check(), A);
        assertTrue(leg.validBeforeNomination(now()), "a new check renews it");
        handle(check().useCandidate(), A);
        assertFalse(leg.validBeforeNomination(now()), "after nomination only the selected path counts");
        assertEquals(A, leg.sendPath(now()));
    }

    @Test
    void useCandidateNominatesThePath() {
        handle(check(), A);
        assertNull(leg.selectedPath());
        handle(check().useCandidate(), A);
        assertEquals(new IceEvent.Nominated(leg, A), agent.pollEvent());
        assertNull(agent.pollEvent());
        assertEquals(IceLegState.NOMINATED, leg.state());
        assertEquals(A, leg.sendPath(now()));
        assertTrue(leg.acceptsMediaFrom(A, now()));
        assertFalse(leg.acceptsMediaFrom(B, now()));
        // Renominating the same path is not news.
        handle(check().useCandidate(), A);
        assertNull(agent.pollEvent());
        assertEquals(1, agent.stats().nominations());
    }

    @Test
    void nominationOfIpv6Path() {
        handle(check().useCandidate(), V6);
        assertEquals(new IceEvent.Nominated(leg, V6), agent.pollEvent());
        assertEquals(V6, leg.sendPath(now()));
    }

    @Test
    void mediaFollowsANewNominationButNotAMereCheck() {
        handle(check().useCandidate(), A);
        agent.pollEvent();
        handle(check(), B);
        assertNull(agent.pollEvent());
        assertEquals(A, leg.sendPath(now()), "a check alone does not move media");
        assertTrue(leg.isValidated(B));

        handle(check().useCandidate(), B);
        assertEquals(new IceEvent.Nominated(leg, B), agent.pollEvent());
        assertEquals(B, leg.sendPath(now()));
        assertFalse(leg.acceptsMediaFrom(A, now()));
        assertTrue(leg.acceptsMediaFrom(B, now()));
        assertEquals(2, agent.stats().nominations());
    }

    @Test
    void consentLapsesThirtySecondsAfterTheLastCheckOnTheSelectedPath() {
        handle(check().useCandidate(), A);
        agent.pollEvent();
        clock.advance(Duration.ofSeconds(20));
        handle(check(), A);
        assertEquals(now() + Duration.ofSeconds(30).toNanos(), leg.consentDeadline());
        long lastConsent = now();
        clock.advance(Duration.ofSeconds(15));
        // Checks on another path do not renew consent for the selected one (RFC 7675: consent is per pair).
        handle(check(), B);
        assertTrue(agent.nextDeadline() <= lastConsent + Duration.ofSeconds(30).toNanos());
        agent.handleTimeout(now());
        assertNull(agent.pollEvent());
        assertEquals(lastConsent + Duration.ofSeconds(30).toNanos(), agent.nextDeadline());

        clock.advance(Duration.ofSeconds(15).minusNanos(1));
        assertEquals(A, leg.sendPath(now()));
        clock.advanceNanos(1);
        assertNull(leg.sendPath(now()), "sending stops at the deadline, before the timer has run");
        assertFalse(leg.acceptsMediaFrom(A, now()));

        agent.handleTimeout(now());
        assertEquals(new IceEvent.ConsentLost(leg, A), agent.pollEvent());
        assertEquals(IceLegState.ENDED, leg.state());
        assertNull(leg.selectedPath());
        assertNull(agent.legFor(A));
        assertNull(agent.legFor(B));
        assertEquals(Long.MAX_VALUE, agent.nextDeadline());
        assertEquals(1, agent.stats().consentLost());

        // A late check is not answered: the leg is over.
        assertEquals(new StunVerdict.Drop(IceDropReason.LEG_ENDED), handle(check(), A));
    }

    @Test
    void aLegNeverCheckedEndsAfterTheTimeout() {
        IceLiteAgent fast = new IceLiteAgent(IceLiteOptions.defaults().withConsentTimeout(Duration.ofSeconds(5)),
                new SplittableRandom(1));
        IceLeg quiet = fast.addLeg("quiet", LOCAL, REMOTE, now());
        assertEquals(now() + Duration.ofSeconds(5).toNanos(), fast.nextDeadline());
        clock.advance(Duration.ofSeconds(5));
        fast.handleTimeout(now());
        assertEquals(new IceEvent.ConsentLost(quiet, null), fast.pollEvent());
        assertEquals(IceLegState.ENDED, quiet.state());
    }

    @Test
    void wrongIntegrityIsAnswered401WithoutIntegrityAndCounted() {
        BrowserCheck check = check();
        check.password = "notTheRightPasswordXXXXXX";
        StunMessage reply = reply(handle(check.useCandidate(), A), A);
        assertEquals(StunMessage.BINDING_ERROR, reply.messageType());
        assertEquals(401, reply.errorCode());
        assertFalse(reply.hasIntegrity());
        assertTrue(reply.fingerprintValid());
        assertEquals(1, agent.stats().badIntegrity());
        assertEquals(IceLegState.WAITING, leg.state());
        assertFalse(leg.isValidated(A));
        assertNull(agent.legFor(A));
        assertNull(agent.pollEvent());
    }

    @Test
    void missingUsernameIntegrityOrFingerprintIsA400() {
        BrowserCheck noUser = check();
        noUser.username = null;
        StunVerdict.Reply r = assertInstanceOf(StunVerdict.Reply.class, handle(noUser, A));
        assertNull(r.leg());
        assertEquals(400, parse(r.message()).errorCode());

        BrowserCheck noIntegrity = check();
        noIntegrity.integrity = false;
        assertEquals(400, reply(handle(noIntegrity, A), A).errorCode());

        BrowserCheck noFingerprint = check();
        noFingerprint.fingerprint = false;
        StunMessage m = reply(handle(noFingerprint, A), A);
        assertEquals(400, m.errorCode());
        assertFalse(m.hasIntegrity());

        assertEquals(3, agent.stats().badRequests());
        assertFalse(leg.isValidated(A));
    }

    @Test
    void aBadFingerprintIsDroppedSilently() {
        byte[] bytes = check().bytes();
        bytes[bytes.length - 1] ^= 1;
        assertEquals(new StunVerdict.Drop(IceDropReason.BAD_FINGERPRINT), handle(bytes, A));
        assertEquals(1, agent.stats().dropped(IceDropReason.BAD_FINGERPRINT));
    }

    @Test
    void unknownUfragIsCountedAndDropped() {
        BrowserCheck stranger = new BrowserCheck("nobodyKnowsMe", "brws", LOCAL.pwd());
        assertEquals(new StunVerdict.Drop(IceDropReason.UNKNOWN_UFRAG), handle(stranger, A));
        BrowserCheck noColon = check();
        noColon.username = LOCAL.ufrag();
        assertEquals(new StunVerdict.Drop(IceDropReason.UNKNOWN_UFRAG), handle(noColon, A));
        assertEquals(2, agent.stats().dropped(IceDropReason.UNKNOWN_UFRAG));
        assertNull(agent.legFor(A));
    }

    @Test
    void theRemoteUfragMustMatchOnceKnown() {
        BrowserCheck other = new BrowserCheck(LOCAL.ufrag(), "else", LOCAL.pwd());
        assertEquals(401, reply(handle(other, A), A).errorCode());
        assertEquals(1, agent.stats().wrongRemoteUfrag());

        IceLeg early = agent.addLeg("early", new IceCredentials("earlyUfrag", "earlyPasswordDDDDDDDDDDDD"), null, now());
        BrowserCheck before = new BrowserCheck("earlyUfrag", "anything", "earlyPasswordDDDDDDDDDDDD");
        assertEquals(StunMessage.BINDING_SUCCESS, reply(handle(before, B), B).messageType());
        agent.setRemoteCredentials(early, REMOTE);
        assertEquals(401, reply(handle(before, B), B).errorCode());
        BrowserCheck after = new BrowserCheck("earlyUfrag", REMOTE.ufrag(), "earlyPasswordDDDDDDDDDDDD");
        assertEquals(StunMessage.BINDING_SUCCESS, reply(handle(after, B), B).messageType());
    }

    @Test
    void roleConflictWeWinIsA487AndWeStayControlled() {
        BrowserCheck conflicting = check().useCandidate();
        conflicting.controlling = null;
        assertTrue(Long.compareUnsigned(leg.tiebreaker(), 5) > 0, "the seeded tiebreaker is above 5");
        conflicting.controlled = 5L;
        StunMessage reply = reply(handle(conflicting, A), A);
        assertEquals(487, reply.errorCode());
        assertTrue(reply.integrityMatches(LOCAL.pwd().getBytes(StandardCharsets.UTF_8)));
        assertEquals(IceRole.CONTROLLED, leg.role());
        assertNull(agent.pollEvent());
        assertFalse(leg.isValidated(A));

        conflicting.controlled = leg.tiebreaker(); // a tie: ours is "larger or equal"
        assertEquals(487, reply(handle(conflicting, A), A).errorCode());
        assertEquals(2, agent.stats().roleConflicts());
    }

    @Test
    void roleConflictWeLoseSwitchesUsToControllingAndBack() {
        BrowserCheck conflicting = check();
        conflicting.controlling = null;
        conflicting.controlled = -1L; // the largest unsigned value: we lose unless ours is equal
        assertTrue(leg.tiebreaker() != -1L, "the seeded tiebreaker is below the maximum");
        assertEquals(StunMessage.BINDING_SUCCESS, reply(handle(conflicting, A), A).messageType());
        assertEquals(IceRole.CONTROLLING, leg.role());
        assertEquals(1, agent.stats().roleSwitches());
        // As the controlling lite agent we select the first validated path ourselves (RFC 8445 §8.2).
        assertEquals(new IceEvent.Nominated(leg, A), agent.pollEvent());

        // Now controlling: a peer that also claims control with a smaller tiebreaker gets a 487...
        BrowserCheck small = check();
        small.controlling = 0L;
        assertEquals(487, reply(handle(small, A), A).errorCode());
        assertEquals(IceRole.CONTROLLING, leg.role());
        // ...and one with a larger tiebreaker takes control back; its USE-CANDIDATE then counts.
        BrowserCheck large = check().useCandidate();
        large.controlling = -1L;
        assertEquals(StunMessage.BINDING_SUCCESS, reply(handle(large, B), B).messageType());
        assertEquals(IceRole.CONTROLLED, leg.role());
        assertEquals(new IceEvent.Nominated(leg, B), agent.pollEvent());
    }

    @Test
    void unknownComprehensionRequiredAttributeIsA420() {
        BrowserCheck check = check();
        check.extraAttribute = 0x7F33;
        StunMessage reply = reply(handle(check, A), A);
        assertEquals(420, reply.errorCode());
        assertArrayEquals(new int[] {0x7F33}, reply.unknownAttributes());
        assertTrue(reply.integrityMatches(LOCAL.pwd().getBytes(StandardCharsets.UTF_8)));
        assertFalse(leg.isValidated(A));

        BrowserCheck optional = check();
        optional.extraAttribute = 0xC057; // GOOG-NETWORK-INFO, comprehension-optional
        assertEquals(StunMessage.BINDING_SUCCESS, reply(handle(optional, A), A).messageType());
    }

    @Test
    void indicationsResponsesAndGarbageAreDroppedAndCounted() {
        byte[] indication = new io.warmline.webrtc.stun.StunMessageBuilder(StunMessage.BINDING_INDICATION,
                new byte[12]).fingerprint().build();
        assertEquals(new StunVerdict.Drop(IceDropReason.INDICATION), handle(indication, A));
        byte[] response = new io.warmline.webrtc.stun.StunMessageBuilder(StunMessage.BINDING_SUCCESS, new byte[12])
                .xorMappedAddress(A.remote()).build();
        assertEquals(new StunVerdict.Drop(IceDropReason.UNEXPECTED_RESPONSE), handle(response, A));
        assertEquals(new StunVerdict.Drop(IceDropReason.MALFORMED), handle(new byte[] {0, 1, 0, 0}, A));
        byte[] allocate = new io.warmline.webrtc.stun.StunMessageBuilder(StunClass.REQUEST.messageType(0x003),
                new byte[12]).build();
        assertEquals(new StunVerdict.Drop(IceDropReason.UNSUPPORTED_METHOD), handle(allocate, A));
        IceLiteStats s = agent.stats();
        assertEquals(1, s.dropped(IceDropReason.INDICATION));
        assertEquals(1, s.dropped(IceDropReason.UNEXPECTED_RESPONSE));
        assertEquals(1, s.dropped(IceDropReason.MALFORMED));
        assertEquals(1, s.dropped(IceDropReason.UNSUPPORTED_METHOD));
    }

    private static final IceCredentials NEW_LOCAL =
            new IceCredentials("restartedUfragAA", "restartedPasswordDDDDDDDDDDDDDDD");
    private static final IceCredentials NEW_REMOTE = new IceCredentials("brw2", "browserPasswordTwoEEEEE");

    private static BrowserCheck newCheck() {
        return new BrowserCheck(NEW_LOCAL.ufrag(), NEW_REMOTE.ufrag(), NEW_LOCAL.pwd());
    }

    @Test
    void mediaAndConsentContinueOnTheOldPairWhileARestartIsUnderWay() {
        handle(check().useCandidate(), A);
        handle(check(), B);
        agent.pollEvent();
        clock.advance(Duration.ofSeconds(10));

        agent.restart(leg, NEW_LOCAL, NEW_REMOTE);
        assertEquals(1, agent.stats().restarts());
        assertEquals(NEW_LOCAL, leg.localCredentials());
        assertEquals(LOCAL, leg.previousLocalCredentials());
        assertSame(leg, agent.leg(NEW_LOCAL.ufrag()));
        assertSame(leg, agent.leg(LOCAL.ufrag()), "the old ufrag still names the leg (RFC 8445 §9)");
        assertEquals(1, agent.legCount());
        assertEquals(A, leg.sendPath(now()), "media stays on the selected path during the restart");
        assertSame(leg, agent.legFor(B), "paths validated before the restart still route");

        // The browser keeps checking on the old pair with the old credentials: answered with the old password,
        // and consent holds far past its 30 s.
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(5));
            StunMessage ok = reply(handle(check(), A), A);
            assertEquals(StunMessage.BINDING_SUCCESS, ok.messageType());
            assertTrue(ok.integrityMatches(LOCAL.pwd().getBytes(StandardCharsets.UTF_8)));
            agent.handleTimeout(now());
            assertNull(agent.pollEvent());
            assertEquals(A, leg.sendPath(now()));
        }
        // The credentials are not mixed: new ufrag with the old password, old ufrag with the new one, or the
        // browser's old ufrag with our new one are all refused, and none completes the restart.
        assertEquals(401, reply(handle(new BrowserCheck(NEW_LOCAL.ufrag(), NEW_REMOTE.ufrag(), LOCAL.pwd()), A), A)
                .errorCode());
        assertEquals(401, reply(handle(new BrowserCheck(LOCAL.ufrag(), REMOTE.ufrag(), NEW_LOCAL.pwd()), A), A)
                .errorCode());
        assertEquals(401, reply(handle(new BrowserCheck(NEW_LOCAL.ufrag(), REMOTE.ufrag(), NEW_LOCAL.pwd()), A), A)
                .errorCode(), "the browser's old ufrag is refused with our new one");
        assertEquals(401, reply(handle(new BrowserCheck(LOCAL.ufrag(), NEW_REMOTE.ufrag(), LOCAL.pwd()), A), A)
                .errorCode(), "the browser's new ufrag is refused with our old one");
        assertEquals(LOCAL, leg.previousLocalCredentials());
        assertEquals(0, agent.stats().restartsCompleted());
    }

    @Test
    void theFirstPassingCheckWithTheNewCredentialsRetiresTheOldOnes() {
        IcePath c = IcePath.udp(address("192.0.2.99", 40000));
        handle(check().useCandidate(), A);
        handle(check(), B);
        agent.pollEvent();
        agent.restart(leg, NEW_LOCAL, NEW_REMOTE);

        StunMessage ok = reply(handle(newCheck(), c), c);
        assertEquals(StunMessage.BINDING_SUCCESS, ok.messageType());
        assertTrue(ok.integrityMatches(NEW_LOCAL.pwd().getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, agent.stats().restartsCompleted());
        assertNull(leg.previousLocalCredentials());
        assertNull(agent.leg(LOCAL.ufrag()), "the old ufrag names no leg once the new one has worked");
        assertEquals(new StunVerdict.Drop(IceDropReason.UNKNOWN_UFRAG), handle(check(), A));
        assertEquals(A, leg.sendPath(now()), "media stays on the old pair until the new checks nominate");
        assertSame(leg, agent.legFor(A));
        assertSame(leg, agent.legFor(c));
        assertNull(agent.legFor(B), "a path validated only under the old credentials must be checked again");
        assertFalse(leg.isValidated(B));
        assertEquals(1, agent.legCount());

        // From now on only the new credentials renew consent (RFC 7675).
        clock.advance(Duration.ofSeconds(25));
        handle(newCheck(), A);
        clock.advance(Duration.ofSeconds(25));
        agent.handleTimeout(now());
        assertNull(agent.pollEvent());
        assertEquals(A, leg.sendPath(now()));

        // A new nomination moves media.
        handle(newCheck().useCandidate(), c);
        assertEquals(new IceEvent.Nominated(leg, c), agent.pollEvent());
        assertEquals(c, leg.sendPath(now()));

        assertThrows(IllegalArgumentException.class, () -> agent.restart(leg, NEW_LOCAL, NEW_REMOTE));
        agent.removeLeg(leg);
        assertNull(agent.leg(NEW_LOCAL.ufrag()));
        assertEquals(0, agent.legCount());
        assertThrows(IllegalStateException.class, () -> agent.restart(leg, LOCAL, REMOTE));
    }

    @Test
    void aRestartTheBrowserNeverCompletesEndsOnlyWhenConsentLapses() {
        handle(check().useCandidate(), A);
        agent.pollEvent();
        agent.restart(leg, NEW_LOCAL, NEW_REMOTE);
        // The browser checks the old pair for a while, then is gone.
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(1));
            handle(check(), A);
            agent.handleTimeout(now());
        }
        assertNull(agent.pollEvent());
        assertEquals(A, leg.sendPath(now()));
        clock.advance(Duration.ofSeconds(29));
        agent.handleTimeout(now());
        assertNull(agent.pollEvent());
        assertEquals(A, leg.sendPath(now()));
        clock.advance(Duration.ofSeconds(1));
        assertNull(leg.sendPath(now()), "sending stops the moment consent expires");
        agent.handleTimeout(now());
        assertEquals(new IceEvent.ConsentLost(leg, A), agent.pollEvent());
        assertEquals(IceLegState.ENDED, leg.state());
        assertEquals(new StunVerdict.Drop(IceDropReason.LEG_ENDED), handle(check(), A));
        agent.removeLeg(leg);
        assertNull(agent.leg(LOCAL.ufrag()));
        assertNull(agent.leg(NEW_LOCAL.ufrag()));
        assertEquals(0, agent.legCount());
    }

    @Test
    void aSecondRestartBeforeTheFirstCompletedReplacesOnlyThePendingCredentials() {
        IceCredentials third = new IceCredentials("thirdUfragCCCCCC", "thirdPasswordFFFFFFFFFFFFFFFFFFF");
        IceCredentials thirdRemote = new IceCredentials("brw3", "browserPasswordThreeGGG");
        handle(check().useCandidate(), A);
        agent.pollEvent();
        agent.restart(leg, NEW_LOCAL, NEW_REMOTE);
        agent.restart(leg, third, thirdRemote);
        assertEquals(LOCAL, leg.previousLocalCredentials());
        assertNull(agent.leg(NEW_LOCAL.ufrag()), "the abandoned restart's ufrag names no leg");
        assertEquals(new StunVerdict.Drop(IceDropReason.UNKNOWN_UFRAG), handle(newCheck(), A));
        assertEquals(StunMessage.BINDING_SUCCESS, reply(handle(check(), A), A).messageType());
        assertEquals(1, agent.legCount());

        handle(new BrowserCheck(third.ufrag(), thirdRemote.ufrag(), third.pwd()), A);
        assertNull(agent.leg(LOCAL.ufrag()));
        assertSame(leg, agent.leg(third.ufrag()));
        assertEquals(1, agent.legCount());
        assertEquals(A, leg.sendPath(now()));
    }

    @Test
    void legsAreToldApartByUfragThenByPath() {
        IceCredentials otherLocal = new IceCredentials("secondLegUfrag", "secondLegPasswordEEEEEEEEE");
        IceLeg second = agent.addLeg("leg-2", otherLocal, REMOTE, now());
        handle(check().useCandidate(), A);
        handle(new BrowserCheck(otherLocal.ufrag(), REMOTE.ufrag(), otherLocal.pwd()).useCandidate(), B);
        assertSame(leg, agent.legFor(A));
        assertSame(second, agent.legFor(B));
        assertEquals(A, leg.sendPath(now()));
        assertEquals(B, second.sendPath(now()));
        // Our password for leg 1 does not open leg 2.
        assertEquals(401, reply(handle(new BrowserCheck(otherLocal.ufrag(), REMOTE.ufrag(), LOCAL.pwd()), A), A)
                .errorCode());

        agent.removeLeg(leg);
        assertEquals(IceLegState.ENDED, leg.state());
        assertNull(agent.legFor(A));
        assertNull(agent.leg(LOCAL.ufrag()));
        assertEquals(new StunVerdict.Drop(IceDropReason.UNKNOWN_UFRAG), handle(check(), A));
        assertSame(second, agent.legFor(B));
        assertEquals(1, agent.legCount());
    }

    @Test
    void anAddressBelongsToTheLegThatLastValidatedIt() {
        IceCredentials otherLocal = new IceCredentials("secondLegUfrag", "secondLegPasswordEEEEEEEEE");
        IceLeg second = agent.addLeg("leg-2", otherLocal, REMOTE, now());
        handle(check().useCandidate(), A);
        handle(new BrowserCheck(otherLocal.ufrag(), REMOTE.ufrag(), otherLocal.pwd()), A);
        assertSame(second, agent.legFor(A));
        assertFalse(leg.isValidated(A));
        assertNull(leg.sendPath(now()));
        assertEquals(IceLegState.CHECKED, leg.state());
    }

    @Test
    void validatedPathsAreBounded() {
        IceLiteAgent small = new IceLiteAgent(new IceLiteOptions(Duration.ofSeconds(30), 2, 2), new SplittableRandom(3));
        IceLeg l = small.addLeg("l", LOCAL, REMOTE, now());
        small.handleStun(check().useCandidate().buf(), A, now());
        small.handleStun(check().buf(), B, now());
        small.handleStun(check().buf(), V6, now());
        assertEquals(java.util.Set.of(A, V6), java.util.Set.copyOf(l.validatedPaths()));
        assertTrue(l.isValidated(A), "the selected path is never evicted");
        assertFalse(l.isValidated(B));
        assertNull(small.legFor(B));
        assertEquals(A, l.sendPath(now()));

        small.addLeg("m", new IceCredentials("mmmmmm", "mPasswordFFFFFFFFFFFFFFFF"), null, now());
        assertThrows(IllegalStateException.class,
                () -> small.addLeg("n", new IceCredentials("nnnnnn", "nPasswordFFFFFFFFFFFFFFFF"), null, now()));
        assertThrows(IllegalArgumentException.class, () -> small.addLeg("dup", LOCAL, null, now()));
    }

    @Test
    void thePacketIsReadNotConsumed() {
        ByteBuf buf = check().buf();
        try {
            int before = buf.readableBytes();
            agent.handleStun(buf, A, now());
            assertEquals(0, buf.readerIndex());
            assertEquals(before, buf.readableBytes());
            assertEquals(1, buf.refCnt());
        } finally {
            buf.release();
        }
    }

    @Test
    void theFuzzSeedCheckReachesNomination() throws Exception {
        // The seed keeps the fuzz target's agent path honest: it must pass authentication and nominate.
        byte[] seed;
        try (var in = getClass().getResourceAsStream(
                "/io/warmline/webrtc/stun/StunFuzzTestInputs/decode/ice-check-use-candidate")) {
            seed = in.readAllBytes();
        }
        IceLiteAgent fuzz = new IceLiteAgent(IceLiteOptions.defaults(), new SplittableRandom(1));
        IceLeg l = fuzz.addLeg("fuzz", new IceCredentials("evtj", "VOkJxbRl1RmTxUk/WvJxBt"), null, now());
        ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(seed);
        try {
            assertEquals(StunMessage.BINDING_SUCCESS, reply(fuzz.handleStun(buf, A, now()), A).messageType());
        } finally {
            buf.release();
        }
        assertEquals(new IceEvent.Nominated(l, A), fuzz.pollEvent());
    }

    private BrowserCheck check() {
        return new BrowserCheck(LOCAL.ufrag(), REMOTE.ufrag(), LOCAL.pwd());
    }

    private StunVerdict handle(BrowserCheck check, IcePath from) {
        return handle(check.bytes(), from);
    }

    private StunVerdict handle(byte[] bytes, IcePath from) {
        ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
        try {
            return agent.handleStun(buf, from, now());
        } finally {
            buf.release();
        }
    }

    private static StunMessage reply(StunVerdict verdict, IcePath to) {
        StunVerdict.Reply r = assertInstanceOf(StunVerdict.Reply.class, verdict, verdict::toString);
        assertEquals(to, r.path());
        return parse(r.message());
    }

    private static StunMessage parse(byte[] bytes) {
        StunParseResult p = StunDecoder.decode(bytes, 0, bytes.length);
        StunMessage m = assertInstanceOf(StunParseResult.Parsed.class, p).message();
        assertTrue(m.fingerprintValid());
        return m;
    }

    private long now() {
        return clock.nanoTime();
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
