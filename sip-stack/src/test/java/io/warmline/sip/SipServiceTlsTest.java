package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.internal.SipCore;
import io.warmline.sip.testing.Events;
import io.warmline.sip.testing.SipMsg;
import io.warmline.sip.testing.TestCerts;
import io.warmline.sip.testing.TlsPeer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SIP over TLS (RFC 3261 §26.2): B listens on TLS with a PKCS#12 keystore and admits 127.0.0.1 for numbers 1*;
 * A listens on TLS with the same certificate as JKS. Both trust it through a trust store (each opens its own
 * connection for the requests it sends in a dialog, towards the other's Contact).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipServiceTlsTest {

    private static final long WAIT = 5000;
    /**
     * Short, but long enough for a handshake in a cold test JVM on a busy machine: about 0.4 s measured alone; at
     * load average 17 a TLS 1.2 handshake still unfinished on the server's side after 1.5 s was cut by the watchdog.
     */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);

    private TestCerts certs;
    private SSLContext client;
    private SipService a;
    private SipService b;
    private TestSupport.Handler aHandler;
    private TestSupport.Handler bHandler;
    private ExecutorService callA;
    private final BlockingQueue<Request> bReceived = new LinkedBlockingQueue<>();
    private int bPort;
    private Trunk toB;

    static SipSettings settings(String host, TlsSettings tls) {
        return new SipSettings(List.of(new SipListenPoint("tls", host, 0)), null, 65535, Duration.ofSeconds(1800),
                Duration.ofSeconds(90), 100, TestSupport.T1, tls);
    }

    static Trunk tlsTrunk(String name, String host, int port) {
        return new Trunk(name, host, port, "tls", null, 0, null, "4930100", List.of(AddressRange.parse("127.0.0.1/32")),
                List.of("*"), Duration.ofSeconds(10), Map.of());
    }

    @BeforeAll
    void start() throws Exception {
        certs = TestCerts.get();
        client = certs.clientContext();
        bHandler = new TestSupport.Handler("call-b");
        aHandler = new TestSupport.Handler("call-a-in");
        List<Trunk> bTrunks = List.of(
                new Trunk("carrier", "127.0.0.1", 5061, "tls", null, 0, null, null,
                        List.of(AddressRange.parse("127.0.0.1/32")), List.of("1*"), Duration.ofSeconds(10), Map.of()),
                new Trunk("elsewhere", "192.0.2.10", 5061, "tls", null, 0, null, null,
                        List.of(AddressRange.parse("192.0.2.0/24")), List.of("2*"), Duration.ofSeconds(10), Map.of()));
        b = new SipService(settings("127.0.0.1", new TlsSettings(certs.pkcs12, TestCerts.PASSWORD, "PKCS12",
                certs.truststore, TestCerts.TRUST_PASSWORD, HANDSHAKE_TIMEOUT)), bTrunks, bHandler);
        b.start();
        b.core().setObserver(new SipCore.Observer() {
            @Override
            public void requestReceived(Request request) {
                bReceived.add(request);
            }

            @Override
            public void responseSent(Response response) {
            }
        });
        bPort = b.localPort("tls");
        a = new SipService(settings("127.0.0.1", new TlsSettings(certs.jks, TestCerts.PASSWORD, null,
                certs.truststore, TestCerts.TRUST_PASSWORD, TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT)), List.of(), aHandler);
        a.start();
        toB = tlsTrunk("to-b", "localhost", bPort); // by name: the certificate's dns:localhost is checked
        callA = TestSupport.executor("call-a");
    }

    @BeforeEach
    void quiet() throws Exception {
        bHandler.legs.clear();
        bReceived.clear();
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "previous test's legs released");
    }

    @AfterAll
    void stop() {
        Thread closer = new Thread(a::close);
        closer.start();
        b.close();
        try {
            closer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        callA.shutdownNow();
        aHandler.executor.shutdownNow();
        bHandler.executor.shutdownNow();
    }

    @Test
    void optionsOverAPlainJdkTlsSocketIsAnsweredOnTheSameConnection() throws Exception {
        try (TlsPeer peer = new TlsPeer(client, bPort)) {
            assertEquals("TLSv1.3", peer.socket().getSession().getProtocol());
            String options = peer.request("OPTIONS", "sip:1000@127.0.0.1:" + bPort + ";transport=tls", "opt-1", 1,
                    null, null);
            peer.send(options);
            SipMsg ok = peer.awaitFinal("OPTIONS", WAIT);
            assertEquals(200, ok.status());
            assertTrue(ok.header("via").startsWith("SIP/2.0/TLS 127.0.0.1:" + peer.port()), ok.header("via"));
            assertEquals("opt-1", ok.header("call-id"));

            // the connection stays up for the next request (RFC 3261 §18.3)
            peer.send(peer.request("OPTIONS", "sip:1000@127.0.0.1:" + bPort + ";transport=tls", "opt-2", 2, null,
                    null));
            assertEquals(200, peer.awaitFinal("OPTIONS", WAIT).status());
        }
    }

    @Test
    void tls12IsStillOffered() throws Exception {
        try (TlsPeer peer = new TlsPeer(client, bPort, "TLSv1.2")) {
            assertEquals("TLSv1.2", peer.socket().getSession().getProtocol());
            peer.send(peer.request("OPTIONS", "sip:1000@127.0.0.1", "opt-12", 1, null, null));
            assertEquals(200, peer.awaitFinal("OPTIONS", WAIT).status());
        }
    }

    @Test
    void inviteFromAnAllowedAddressReachesTheHandler() throws Exception {
        try (TlsPeer peer = new TlsPeer(client, bPort)) {
            String invite = peer.request("INVITE", "sip:1000@127.0.0.1:" + bPort + ";transport=tls", "inv-ok", 1,
                    null, sdp("carrier", 1));
            peer.send(invite);
            assertEquals(100, peer.awaitResponse("INVITE", WAIT).status());
            InboundLeg leg = bHandler.next(WAIT);
            assertEquals("carrier", leg.trunk().name());
            assertEquals("1000", leg.calledNumber());
            assertEquals(sdp("carrier", 1), leg.remoteSdp());
            leg.reject(486, "Busy Here", null);
            SipMsg busy = peer.awaitFinal("INVITE", WAIT);
            assertEquals(486, busy.status());
            peer.send(peer.ackFor(SipMsg.parse(invite.getBytes(), invite.length()), busy));
            awaitTrue(() -> b.activeCalls() == 0, WAIT, "leg released");
        }
    }

    @Test
    void inviteThatNoTrunkAdmitsGets403() throws Exception {
        long before = b.aclRejectedCount();
        try (TlsPeer peer = new TlsPeer(client, bPort)) {
            // 2000 belongs to a trunk that allows only 192.0.2.0/24
            peer.send(peer.request("INVITE", "sip:2000@127.0.0.1:" + bPort + ";transport=tls", "inv-acl", 1, null,
                    sdp("scanner", 1)));
            SipMsg refused = peer.awaitFinal("INVITE", WAIT);
            assertEquals(403, refused.status());
        }
        assertEquals(before + 1, b.aclRejectedCount());
        assertTrue(bHandler.legs.isEmpty());
        assertEquals(0, b.activeCalls());
    }

    @Test
    void twoServicesCallEachOtherOverTls() throws Exception {
        Events out = new Events();
        ConversationId conv = new ConversationId("conv-tls");
        OutboundLeg leg = a.dial(toB, "1000", conv, sdp("a", 1), callA, out);
        InboundLeg in = bHandler.next(WAIT);
        Events inEvents = new Events();
        in.setListener(inEvents);
        assertEquals(conv, in.conversationId());
        assertEquals("carrier", in.trunk().name());

        Request invite = bReceived.poll(WAIT, TimeUnit.MILLISECONDS);
        assertEquals(Request.INVITE, invite.getMethod());
        assertEquals("tls", ((SipURI) invite.getRequestURI()).getTransportParam());
        assertEquals("TLS", ((ViaHeader) invite.getHeader(ViaHeader.NAME)).getTransport());
        SipURI contact = (SipURI) ((ContactHeader) invite.getHeader(ContactHeader.NAME)).getAddress().getURI();
        assertEquals("tls", contact.getTransportParam());
        assertEquals(a.localPort("tls"), contact.getPort());

        in.answer(sdp("b", 1));
        assertEquals(sdp("b", 1), out.await("answered", WAIT).sdp());
        assertEquals(1, a.activeCalls());
        assertEquals(1, b.activeCalls());

        leg.hangup();
        inEvents.await("bye", WAIT);
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "legs released");
        Request ack = null;
        for (Request r; (r = bReceived.poll()) != null; ) {
            if (r.getMethod().equals(Request.BYE)) {
                assertEquals("TLS", ((ViaHeader) r.getHeader(ViaHeader.NAME)).getTransport());
            }
            if (r.getMethod().equals(Request.ACK)) {
                ack = r;
            }
        }
        assertTrue(ack != null, "the 2xx was ACKed");
    }

    @Test
    void calleeHangsUpOverTls() throws Exception {
        Events out = new Events();
        a.dial(toB, "1001", ConversationId.generate(), sdp("a", 1), callA, out);
        InboundLeg in = bHandler.next(WAIT);
        in.setListener(new Events());
        in.answer(sdp("b", 1));
        out.await("answered", WAIT);
        in.hangup(); // B reaches A through A's Contact (transport=tls)
        out.await("bye", WAIT);
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "legs released");
    }

    @Test
    void dialFailsWhenTheTrunkCertificateIsNotTrusted() throws Exception {
        // no trust store: the JVM's default one, which does not know the self-signed test certificate
        try (SipService c = new SipService(settings("127.0.0.1", new TlsSettings(certs.pkcs12, TestCerts.PASSWORD)),
                List.of(), new TestSupport.Handler("call-c-in"))) {
            c.start();
            Events out = new Events();
            c.dial(toB, "1000", ConversationId.generate(), sdp("c", 1), callA, out);
            Events.Event failed = out.await("failed", WAIT);
            assertEquals(FailureReason.TRUNK_ERROR, failed.detail());
            assertNull(bHandler.legs.poll(100, TimeUnit.MILLISECONDS), "no call reached B");
        }
    }

    @Test
    void theCertificateMustNameATrunkGivenByHostName() throws Exception {
        // E's certificate is trusted but names only other.invalid
        TestSupport.Handler eHandler = new TestSupport.Handler("call-e");
        try (SipService e = new SipService(settings("127.0.0.1", new TlsSettings(certs.other, TestCerts.PASSWORD)),
                List.of(tlsTrunk("any", "127.0.0.1", 5061)), eHandler)) {
            e.start();
            Events out = new Events();
            a.dial(tlsTrunk("to-e", "localhost", e.localPort("tls")), "1000", ConversationId.generate(), sdp("a", 1),
                    callA, out);
            Events.Event failed = out.await("failed", WAIT);
            assertEquals(FailureReason.TRUNK_ERROR, failed.detail());
            assertNull(eHandler.legs.poll(100, TimeUnit.MILLISECONDS), "no call reached E");
        } finally {
            eHandler.executor.shutdownNow();
        }
    }

    @Test
    void aTrunkGivenByAddressHasItsChainCheckedButNoName() throws Exception {
        // an IP literal names no domain (RFC 5922 §7.2 matches domains), so only the chain can be verified
        TestSupport.Handler eHandler = new TestSupport.Handler("call-e2");
        try (SipService e = new SipService(settings("127.0.0.1", new TlsSettings(certs.other, TestCerts.PASSWORD)),
                List.of(tlsTrunk("any", "127.0.0.1", 5061)), eHandler)) {
            e.start();
            Events out = new Events();
            a.dial(tlsTrunk("to-e", "127.0.0.1", e.localPort("tls")), "1000", ConversationId.generate(), sdp("a", 1),
                    callA, out);
            eHandler.next(WAIT).reject(486, "Busy Here", null);
            assertEquals(486, out.await("failed", WAIT).status());
            awaitTrue(() -> a.activeCalls() == 0 && e.activeCalls() == 0, WAIT, "legs released");
        } finally {
            eHandler.executor.shutdownNow();
        }
    }

    @Test
    void clientsOfferingOnlyTls10Or11AreRefused() throws Exception {
        // A hand-made ClientHello, so the client side's own JDK policy cannot hide what the server does.
        assertEquals(0x02, firstHandshakeReply(0x0303), "control: a TLS 1.2 hello gets a ServerHello");
        assertEquals(-1, firstHandshakeReply(0x0302), "TLS 1.1 refused");
        assertEquals(-1, firstHandshakeReply(0x0301), "TLS 1.0 refused");
        try (TlsPeer peer = new TlsPeer(client, bPort)) {
            peer.send(peer.request("OPTIONS", "sip:1000@127.0.0.1", "after-refusals", 1, null, null));
            assertEquals(200, peer.awaitFinal("OPTIONS", WAIT).status(), "the listener keeps serving");
        }
    }

    @Test
    void aConnectionThatNeverHandshakesIsClosedWhileAnEstablishedOneStays() throws Exception {
        try (TlsPeer good = new TlsPeer(client, bPort); Socket silent = new Socket()) {
            good.send(good.request("OPTIONS", "sip:1000@127.0.0.1", "before", 1, null, null));
            assertEquals(200, good.awaitFinal("OPTIONS", WAIT).status());

            silent.connect(new InetSocketAddress("127.0.0.1", bPort), 2000);
            silent.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            try {
                InputStream in = silent.getInputStream();
                while (in.read() >= 0) {
                    // the server may send an alert before closing
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a silent connection open for 10 s");
            } catch (SocketException e) {
                // reset: closed as well
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= HANDSHAKE_TIMEOUT.toMillis() - 100 && ms < HANDSHAKE_TIMEOUT.toMillis() + 6000,
                    "closed after " + ms + " ms");

            // the established connection's handshake watchdog (started earlier, same timeout) did not close it
            good.send(good.request("OPTIONS", "sip:1000@127.0.0.1", "after", 2, null, null));
            assertEquals(200, good.awaitFinal("OPTIONS", WAIT).status());
        }
    }

    @Test
    void aWrongKeystorePasswordFailsTheStartWithoutShowingIt() {
        String wrong = "wrong-pw-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        for (var store : List.of(certs.pkcs12, certs.jks)) {
            SipService s = new SipService(settings("127.0.0.1", new TlsSettings(store, wrong)), List.of(),
                    new TestSupport.Handler("unused"));
            SipStartException e = assertThrows(SipStartException.class, s::start);
            assertTrue(e.getMessage().contains(store.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(wrong), "password in " + t);
                assertFalse(String.valueOf(t.getMessage()).contains(TestCerts.PASSWORD), "password in " + t);
            }
            s.close();
        }
    }

    @Test
    void aMissingKeystoreFailsTheStart() {
        SipService s = new SipService(settings("127.0.0.1",
                new TlsSettings(certs.dir.resolve("absent.p12"), TestCerts.PASSWORD)), List.of(),
                new TestSupport.Handler("unused"));
        SipStartException e = assertThrows(SipStartException.class, s::start);
        assertTrue(e.getMessage().contains("absent.p12"), e.getMessage());
        s.close();
    }

    @Test
    void aTrustStoreIsNotAKeystore() {
        // the trust store holds a certificate but no private key: the node could not present itself
        SipService s = new SipService(settings("127.0.0.1",
                new TlsSettings(certs.truststore, TestCerts.TRUST_PASSWORD)), List.of(),
                new TestSupport.Handler("unused"));
        SipStartException e = assertThrows(SipStartException.class, s::start);
        assertTrue(e.getMessage().contains("no private key"), e.getMessage());
        s.close();
    }

    /**
     * Sends a ClientHello with {@code version} as record and client version (no supported_versions extension) and
     * returns the type of the first handshake message the server answers with, or -1 when it answers with an alert
     * or closes the connection.
     */
    private int firstHandshakeReply(int version) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", bPort), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(clientHello(version));
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            try {
                int type = in.readUnsignedByte();
                in.readUnsignedShort(); // record version
                int length = in.readUnsignedShort();
                byte[] body = in.readNBytes(length);
                if (type == 0x15) {
                    return -1;
                }
                assertEquals(0x16, type, "a handshake or alert record");
                return body[0] & 0xff;
            } catch (EOFException | SocketException e) {
                return -1;
            }
        }
    }

    private static byte[] clientHello(int version) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        body.write(random);
        body.write(0); // no session id
        int[] suites = {0xc02b, 0xc02f, 0xc009, 0xc013, 0x002f, 0x00ff};
        u16(body, suites.length * 2);
        for (int suite : suites) {
            u16(body, suite);
        }
        body.write(1);
        body.write(0); // null compression
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        extension(ext, 0x000a, new int[]{0x00, 0x04, 0x00, 0x17, 0x00, 0x1d}); // supported_groups: P-256, x25519
        extension(ext, 0x000b, new int[]{0x01, 0x00}); // ec_point_formats: uncompressed
        extension(ext, 0x000d, new int[]{0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01}); // signature_algorithms
        u16(body, ext.size());
        body.write(ext.toByteArray());
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        hs.write(0x01);
        hs.write(body.size() >> 16);
        u16(hs, body.size() & 0xffff);
        hs.write(body.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        u16(record, 0x0301);
        u16(record, hs.size());
        record.write(hs.toByteArray());
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, int[] data) {
        u16(out, type);
        u16(out, data.length);
        for (int d : data) {
            out.write(d);
        }
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v & 0xff);
    }
}
