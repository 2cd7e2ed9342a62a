package io.warmline.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.srtp.SrtpKeys;
import io.warmline.webrtc.srtp.SrtpProfile;
import io.warmline.webrtc.srtp.SrtpSession;

class DtlsHandshakeTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(4);
    private static final DtlsConfig FAST = DtlsConfig.DEFAULT.withInitialRetransmit(Duration.ofMillis(40));

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    /** A client and a server over one link; B is the server. */
    private record Pair(DtlsHandshake client, DtlsHandshake server, LossyLink link) {
        static Pair start(LossyLink link, List<DtlsFingerprint> clientExpects, List<DtlsFingerprint> serverExpects,
                          DtlsConfig clientConfig, DtlsConfig serverConfig) {
            DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, serverExpects, SERVER_CERT, link.senderB(),
                    POOL, serverConfig);
            link.toB = server::offerDatagram;
            DtlsHandshake client = DtlsHandshake.start(DtlsRole.CLIENT, clientExpects, CLIENT_CERT, link.senderA(),
                    POOL, clientConfig);
            link.toA = client::offerDatagram;
            return new Pair(client, server, link);
        }

        static Pair start(LossyLink link, DtlsConfig config) {
            return start(link, List.of(SERVER_CERT.fingerprint()), List.of(CLIENT_CERT.fingerprint()), config, config);
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static DtlsHandshakeException failure(java.util.concurrent.CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(20, TimeUnit.SECONDS));
        return assertInstanceOf(DtlsHandshakeException.class, e.getCause());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void bothEndsDeriveTheSameKeysForEachProfile(SrtpProfile profile) throws Exception {
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, FAST.withSrtpProfiles(List.of(profile)));
            SrtpKeys client = await(p.client.keys());
            SrtpKeys server = await(p.server.keys());
            assertEquals(profile, client.profile());
            assertTrue(client.sameAs(server.mirrored()), "client's local keys are the server's remote keys");
            assertFalse(client.sameAs(server), "the two directions use different keys");
            assertEquals(DtlsState.ESTABLISHED, p.client.state());
            assertEquals(DtlsState.ESTABLISHED, p.server.state());
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void exportedKeysDriveSrtpBetweenTheTwoEnds(SrtpProfile profile) throws Exception {
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, FAST.withSrtpProfiles(List.of(profile)));
            try (SrtpSession client = SrtpSession.create(await(p.client.keys()));
                 SrtpSession server = SrtpSession.create(await(p.server.keys()))) {
                byte[] rtp = new byte[12 + 20 + 16];
                rtp[0] = (byte) 0x80;
                rtp[11] = 1;
                int n = client.protectRtp(rtp, 0, 32);
                assertEquals(32 + profile.authTagLength(), n);
                assertEquals(32, server.unprotectRtp(rtp, 0, n));
                n = server.protectRtp(rtp, 0, 32);
                assertEquals(-1, server.unprotectRtp(rtp.clone(), 0, n), "our own keys do not open what we send");
                assertEquals(32, client.unprotectRtp(rtp, 0, n));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void handshakeCompletesUnderThirtyPercentLoss(SrtpProfile profile) throws Exception {
        DtlsConfig quick = FAST.withInitialRetransmit(Duration.ofMillis(15)).withSrtpProfiles(List.of(profile));
        long dropped = 0;
        for (long seed = 1; seed <= 4; seed++) {
            try (LossyLink link = new LossyLink(30, seed)) {
                Pair p = Pair.start(link, quick);
                SrtpKeys client = await(p.client.keys());
                SrtpKeys server = await(p.server.keys());
                assertTrue(client.sameAs(server.mirrored()));
                dropped += link.droppedAtoB.get() + link.droppedBtoA.get();
            }
        }
        assertTrue(dropped >= 3, "the link dropped datagrams: " + dropped);
    }

    /** Each flight lost once: ClientHello, the server's first flight, the client's second, the server's Finished. */
    @Test
    void everyFlightLostOnceIsRetransmitted() throws Exception {
        DtlsConfig quick = FAST.withInitialRetransmit(Duration.ofMillis(15));
        try (LossyLink link = new LossyLink((direction, index) -> index == 0
                || direction == 1 && index == 2 || direction == 2 && index == 2)) {
            Pair p = Pair.start(link, quick);
            assertTrue(await(p.client.keys()).sameAs(await(p.server.keys()).mirrored()));
            assertTrue(link.droppedAtoB.get() >= 2 && link.droppedBtoA.get() >= 2);
        }
    }

    @Test
    void serverPrefersItsFirstProfileAmongThoseOffered() throws Exception {
        try (LossyLink link = new LossyLink(0, 1)) {
            DtlsConfig client = FAST.withSrtpProfiles(List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                    SrtpProfile.AEAD_AES_128_GCM));
            DtlsConfig server = FAST.withSrtpProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM,
                    SrtpProfile.AES128_CM_HMAC_SHA1_80));
            Pair p = Pair.start(link, List.of(SERVER_CERT.fingerprint()), List.of(CLIENT_CERT.fingerprint()),
                    client, server);
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, await(p.client.keys()).profile());
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, await(p.server.keys()).profile());
        }
    }

    @Test
    void serverRefusesAClientCertificateThatDoesNotMatchTheFingerprint() throws Exception {
        DtlsFingerprint other = DtlsCertificate.generate().fingerprint();
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, List.of(SERVER_CERT.fingerprint()), List.of(other), FAST, FAST);
            DtlsHandshakeException server = failure(p.server.keys());
            assertEquals(DtlsFailure.FINGERPRINT_MISMATCH, server.reason());
            DtlsHandshakeException client = failure(p.client.keys());
            assertEquals(DtlsFailure.ALERT_RECEIVED, client.reason());
            assertEquals(org.bouncycastle.tls.AlertDescription.bad_certificate, client.alert());
            assertEquals(DtlsState.FAILED, p.server.state());
            assertEquals(DtlsCloseReason.HANDSHAKE_FAILED, await(p.server.closed()));
        }
    }

    @Test
    void clientRefusesAServerCertificateThatDoesNotMatchTheFingerprint() throws Exception {
        DtlsFingerprint other = DtlsCertificate.generate().fingerprint();
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, List.of(other), List.of(CLIENT_CERT.fingerprint()), FAST, FAST);
            assertEquals(DtlsFailure.FINGERPRINT_MISMATCH, failure(p.client.keys()).reason());
            assertEquals(DtlsFailure.ALERT_RECEIVED, failure(p.server.keys()).reason());
        }
    }

    @Test
    void anyOfseveralFingerprintsMayMatchAndOtherHashFunctionsWork() throws Exception {
        DtlsFingerprint wrong = DtlsCertificate.generate().fingerprint();
        DtlsFingerprint sha512 = DtlsFingerprint.of("sha-512", CLIENT_CERT.encoded());
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, List.of(DtlsFingerprint.of("sha-1", SERVER_CERT.encoded())),
                    List.of(wrong, sha512), FAST, FAST);
            assertTrue(await(p.client.keys()).sameAs(await(p.server.keys()).mirrored()));
        }
    }

    @Test
    void noCommonSrtpProfileFailsTyped() throws Exception {
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, List.of(SERVER_CERT.fingerprint()), List.of(CLIENT_CERT.fingerprint()),
                    FAST.withSrtpProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM)),
                    FAST.withSrtpProfiles(List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80)));
            assertEquals(DtlsFailure.NO_COMMON_SRTP_PROFILE, failure(p.server.keys()).reason());
            assertEquals(DtlsFailure.ALERT_RECEIVED, failure(p.client.keys()).reason());
        }
    }

    @Test
    void aSilentPeerTimesOutWithinTheBound() {
        DtlsConfig config = FAST.withHandshakeTimeout(Duration.ofMillis(300));
        DtlsHandshake client = DtlsHandshake.start(DtlsRole.CLIENT, List.of(SERVER_CERT.fingerprint()), CLIENT_CERT,
                d -> { }, POOL, config);
        DtlsHandshakeException e = failure(client.keys());
        assertEquals(DtlsFailure.TIMEOUT, e.reason());
        assertTrue(e.retryable());
        assertEquals(DtlsState.FAILED, client.state());
        assertTrue(client.stats().datagramsOut() >= 2, "the ClientHello was retransmitted: " + client.stats());
    }

    @Test
    void aHandshakeStartedWhileThePoolIsBusyStillCountsFromStart() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> blocker = new CompletableFuture<>();
            single.execute(() -> blocker.join());
            DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, List.of(CLIENT_CERT.fingerprint()),
                    SERVER_CERT, d -> { }, single, FAST.withHandshakeTimeout(Duration.ofMillis(50)));
            // Let the deadline pass while the only thread is busy, then free it: the handshake must not start.
            assertThrows(java.util.concurrent.TimeoutException.class,
                    () -> server.keys().toCompletableFuture().get(200, TimeUnit.MILLISECONDS));
            blocker.complete(null);
            assertEquals(DtlsFailure.TIMEOUT, failure(server.keys()).reason());
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void closeDuringTheHandshakeFailsItAsClosed() throws Exception {
        DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, List.of(CLIENT_CERT.fingerprint()), SERVER_CERT,
                d -> { }, POOL, FAST);
        server.close();
        assertEquals(DtlsFailure.CLOSED, failure(server.keys()).reason());
        assertEquals(DtlsCloseReason.HANDSHAKE_FAILED, await(server.closed()));
        assertFalse(server.offerDatagram(new byte[] {22, 1, 2}));
    }

    @Test
    void aFullPoolFailsAsOverloaded() {
        DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, List.of(CLIENT_CERT.fingerprint()), SERVER_CERT,
                d -> { }, r -> {
                    throw new RejectedExecutionException("full");
                }, FAST);
        DtlsHandshakeException e = failure(server.keys());
        assertEquals(DtlsFailure.OVERLOADED, e.reason());
        assertTrue(e.retryable());
    }

    @Test
    void recordsQueuedFromAnotherThreadWhileTheHandshakeRunsCompleteIt() throws Exception {
        try (LossyLink link = new LossyLink(0, 1)) {
            DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, List.of(CLIENT_CERT.fingerprint()),
                    SERVER_CERT, link.senderB(), POOL, FAST);
            // As the port's loop does: straight into the handshake while it runs, through the owner's loop after.
            java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
            link.toB = d -> {
                if (server.offerDuringHandshake(d)) {
                    queued.incrementAndGet();
                } else {
                    link.loopB.execute(() -> server.offerDatagram(d));
                }
            };
            byte[] truncated = {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3};
            assertTrue(server.offerDuringHandshake(truncated), "taken, and dropped as malformed");
            assertEquals(1, server.stats().datagramsDropped());
            DtlsHandshake client = DtlsHandshake.start(DtlsRole.CLIENT, List.of(SERVER_CERT.fingerprint()),
                    CLIENT_CERT, link.senderA(), POOL, FAST);
            link.toA = client::offerDatagram;
            assertTrue(client.keys().toCompletableFuture().get(20, TimeUnit.SECONDS)
                    .sameAs(server.keys().toCompletableFuture().get(20, TimeUnit.SECONDS).mirrored()));
            assertTrue(queued.get() >= 2, "the client's flights went straight in");
            assertFalse(server.offerDuringHandshake(new byte[] {22, (byte) 0xfe, (byte) 0xfd}),
                    "after the handshake the owner's thread takes over");
            link.loopB.submit(server::drainQueued).get(5, TimeUnit.SECONDS);
            assertEquals(DtlsState.ESTABLISHED, server.state());
            assertEquals(1, server.stats().datagramsDropped());
        }
    }

    @Test
    void closeNotifyFromThePeerEndsTheAssociation() throws Exception {
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, FAST);
            await(p.client.keys());
            await(p.server.keys());
            link.loopA.submit(p.client::close).get(5, TimeUnit.SECONDS);
            assertEquals(DtlsCloseReason.LOCAL_CLOSE, await(p.client.closed()));
            assertEquals(DtlsCloseReason.PEER_CLOSE_NOTIFY, await(p.server.closed()));
            assertEquals(DtlsState.CLOSED, p.server.state());
        }
    }

    @Test
    void applicationDataAndJunkAfterTheHandshakeAreCountedNotThrown() throws Exception {
        try (LossyLink link = new LossyLink(0, 1)) {
            Pair p = Pair.start(link, FAST);
            await(p.client.keys());
            await(p.server.keys());
            byte[] truncated = {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3};
            assertFalse(link.loopB.submit(() -> p.server.offerDatagram(truncated)).get(5, TimeUnit.SECONDS),
                    "too short to be a ciphertext: dropped before BouncyCastle, which would end the association");
            byte[] forged = new byte[13 + 40];
            System.arraycopy(truncated, 0, forged, 0, 11);
            forged[12] = 40;
            assertTrue(link.loopB.submit(() -> p.server.offerDatagram(forged)).get(5, TimeUnit.SECONDS));
            assertEquals(DtlsState.ESTABLISHED, p.server.state(), "a record failing authentication is discarded");
            assertEquals(1, p.server.stats().datagramsDropped());
            assertEquals(0, p.server.stats().applicationData());
        }
    }
}
