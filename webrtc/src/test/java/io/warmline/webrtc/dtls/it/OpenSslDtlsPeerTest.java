package io.warmline.webrtc.dtls.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.dtls.DtlsCloseReason;
import io.warmline.webrtc.dtls.DtlsConfig;
import io.warmline.webrtc.dtls.DtlsFailure;
import io.warmline.webrtc.dtls.DtlsHandshake;
import io.warmline.webrtc.dtls.DtlsHandshakeException;
import io.warmline.webrtc.dtls.DtlsRole;
import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.srtp.SrtpKeys;
import io.warmline.webrtc.srtp.SrtpProfile;

/**
 * DTLS-SRTP against OpenSSL's {@code s_server} and {@code s_client} on loopback, in both roles and with both SRTP
 * profiles: the handshake completes with certificates pinned by fingerprint, OpenSSL reports the profile we chose or
 * accepted, and the RFC 5705 keying material it exports is byte for byte the one our keys were split from.
 */
class OpenSslDtlsPeerTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
    private static final DtlsCertificate OURS = DtlsCertificate.generate();
    private static final DtlsConfig CONFIG = DtlsConfig.DEFAULT.withInitialRetransmit(Duration.ofMillis(200));
    @TempDir
    static Path dir;
    private static Path[] theirs;
    private static DtlsFingerprint theirFingerprint;

    @BeforeAll
    static void peer() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("warmline.skipPeerTests"), "peer tests skipped");
        theirs = OpenSslPeer.makeCertificate(dir);
        theirFingerprint = DtlsFingerprint.of("sha-256", OpenSslPeer.derOf(theirs[0]));
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static String opensslName(SrtpProfile p) {
        return p == SrtpProfile.AES128_CM_HMAC_SHA1_80 ? "SRTP_AES128_CM_SHA1_80" : "SRTP_AEAD_AES_128_GCM";
    }

    /** Our keys laid out again as the exporter output: client key, server key, client salt, server salt. */
    private static byte[] material(SrtpKeys k, boolean localIsClient) {
        byte[] ck = localIsClient ? k.localMasterKey() : k.remoteMasterKey();
        byte[] sk = localIsClient ? k.remoteMasterKey() : k.localMasterKey();
        byte[] cs = localIsClient ? k.localMasterSalt() : k.remoteMasterSalt();
        byte[] ss = localIsClient ? k.remoteMasterSalt() : k.localMasterSalt();
        byte[] out = new byte[k.profile().keyingMaterialLength()];
        int at = 0;
        for (byte[] part : new byte[][] {ck, sk, cs, ss}) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void asClientOfOpensslServer(SrtpProfile profile) throws Exception {
        int port = UdpEndpoint.freePort();
        try (OpenSslPeer server = OpenSslPeer.server(port, theirs, opensslName(profile),
                profile.keyingMaterialLength()); UdpEndpoint udp = new UdpEndpoint()) {
            udp.peer(port);
            DtlsHandshake client = DtlsHandshake.start(DtlsRole.CLIENT, List.of(theirFingerprint), OURS,
                    udp.sender(), POOL, CONFIG.withSrtpProfiles(List.of(profile)));
            udp.onReceive(client::offerDatagram);
            SrtpKeys keys = client.keys().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(profile, keys.profile());
            assertEquals(opensslName(profile), server.srtpProfile.get(20, TimeUnit.SECONDS));
            assertArrayEquals(server.keyingMaterial.get(20, TimeUnit.SECONDS), material(keys, true));
            client.close();
            assertEquals(DtlsCloseReason.LOCAL_CLOSE, client.closed().toCompletableFuture().get(5, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void asServerOfOpensslClient(SrtpProfile profile) throws Exception {
        try (UdpEndpoint udp = new UdpEndpoint()) {
            DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, List.of(theirFingerprint), OURS,
                    udp.sender(), POOL, CONFIG);
            udp.onReceive(server::offerDatagram);
            try (OpenSslPeer client = OpenSslPeer.client(udp.port(), theirs, opensslName(profile),
                    profile.keyingMaterialLength())) {
                SrtpKeys keys = server.keys().toCompletableFuture().get(20, TimeUnit.SECONDS);
                assertEquals(profile, keys.profile());
                assertArrayEquals(client.keyingMaterial.get(20, TimeUnit.SECONDS), material(keys, false));
                client.endInput();
                assertEquals(DtlsCloseReason.PEER_CLOSE_NOTIFY,
                        server.closed().toCompletableFuture().get(20, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void opensslWithAnotherCertificateIsRefused() throws Exception {
        DtlsFingerprint expected = DtlsCertificate.generate().fingerprint();
        try (UdpEndpoint udp = new UdpEndpoint()) {
            DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, List.of(expected), OURS, udp.sender(), POOL,
                    CONFIG);
            udp.onReceive(server::offerDatagram);
            try (OpenSslPeer client = OpenSslPeer.client(udp.port(), theirs, "SRTP_AES128_CM_SHA1_80", 60)) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> server.keys().toCompletableFuture().get(20, TimeUnit.SECONDS));
                assertEquals(DtlsFailure.FINGERPRINT_MISMATCH,
                        assertInstanceOf(DtlsHandshakeException.class, e.getCause()).reason());
                String out = client.ended.get(20, TimeUnit.SECONDS);
                assertEquals(true, out.contains("alert bad certificate"), out);
            }
        }
    }
}
