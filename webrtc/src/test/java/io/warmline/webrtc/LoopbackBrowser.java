package io.warmline.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.dtls.DtlsConfig;
import io.warmline.webrtc.dtls.DtlsHandshake;
import io.warmline.webrtc.dtls.DtlsRole;
import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.sdp.IceCredentials;
import io.warmline.webrtc.sdp.WebRtcOffer;
import io.warmline.webrtc.srtp.SrtpKeys;
import io.warmline.webrtc.srtp.SrtpResult;
import io.warmline.webrtc.srtp.SrtpSession;
import io.warmline.webrtc.stun.StunDecoder;
import io.warmline.webrtc.stun.StunMessage;
import io.warmline.webrtc.stun.StunMessageBuilder;
import io.warmline.webrtc.stun.StunParseResult;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A browser's side of one WebRTC leg on a UDP socket on loopback, built from the project's real protocol pieces: STUN
 * checks with short-term credentials (RFC 8445 §7.2), a DTLS client (RFC 5763), SRTP. It lets tests do what a browser
 * would not: send wrong credentials, present a certificate other than the one in its offer, replay SRTP.
 */
final class LoopbackBrowser implements AutoCloseable {

    final IceCredentials ice = IceCredentials.random(new Random(5));
    final DtlsCertificate certificate = DtlsCertificate.generate();
    final DatagramSocket socket;
    final BlockingQueue<StunMessage> stunResponses = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> srtpReceived = new LinkedBlockingQueue<>();
    final AtomicInteger datagramsIn = new AtomicInteger();
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final Thread reader;
    private volatile DtlsHandshake dtls;
    private volatile InetSocketAddress server;
    SrtpSession srtp;

    LoopbackBrowser() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::read, "loopback-browser");
        reader.setDaemon(true);
        reader.start();
    }

    /** An offer in the browsers' shape announcing {@code fingerprint} (normally our certificate's). */
    String offer(DtlsFingerprint fingerprint) {
        return "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 110\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:" + ice.ufrag() + "\r\na=ice-pwd:" + ice.pwd() + "\r\n"
                + "a=fingerprint:" + fingerprint + "\r\na=setup:actpass\r\na=mid:0\r\n"
                + "a=extmap:1 " + WebRtcOffer.AUDIO_LEVEL_URI + "\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
                + "a=rtpmap:110 telephone-event/48000\r\na=ssrc:1111 cname:loopback\r\n";
    }

    String offer() {
        return offer(certificate.fingerprint());
    }

    void target(InetSocketAddress address) {
        server = address;
    }

    /** Sends one Binding request; {@code username} "theirUfrag:ourUfrag", keyed with {@code password}. */
    void check(String username, String password, boolean nominate) throws IOException {
        byte[] tx = new byte[12];
        new SecureRandom().nextBytes(tx);
        StunMessageBuilder b = new StunMessageBuilder(StunMessage.BINDING_REQUEST, tx).username(username)
                .priority(1853824767L).iceControlling(0x1234_5678_9ABC_DEF0L);
        if (nominate) {
            b.useCandidate();
        }
        send(b.messageIntegrity(password.getBytes(StandardCharsets.UTF_8)).fingerprint().build());
    }

    StunMessage awaitStun() throws InterruptedException {
        return stunResponses.poll(5, TimeUnit.SECONDS);
    }

    /** Opens DTLS as the client, checking Warmline's certificate against {@code serverFingerprint}. */
    SrtpKeys connectDtls(DtlsFingerprint serverFingerprint) throws Exception {
        dtls = DtlsHandshake.start(DtlsRole.CLIENT, List.of(serverFingerprint), certificate, bytes -> {
            try {
                send(bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, pool, DtlsConfig.DEFAULT);
        return dtls.keys().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    DtlsHandshake dtls() {
        return dtls;
    }

    /** An RTP packet with an RFC 6464 level in a one-byte header extension (id 1), SRTP-protected. */
    byte[] protectedRtp(int sequence, long timestamp, int level) {
        ByteBuf rtp = Unpooled.buffer(64);
        try {
            rtp.writeByte(0x90).writeByte(111).writeShort(sequence).writeInt((int) timestamp).writeInt(1111);
            rtp.writeShort(0xBEDE).writeShort(1).writeByte(0x10).writeByte(level).writeShort(0);
            rtp.writeBytes(new byte[] {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE});
            if (srtp.protectRtp(rtp) != SrtpResult.OK) {
                throw new IllegalStateException("protect failed");
            }
            byte[] out = new byte[rtp.readableBytes()];
            rtp.getBytes(rtp.readerIndex(), out);
            return out;
        } finally {
            rtp.release();
        }
    }

    void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, server));
    }

    private void read() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            datagramsIn.incrementAndGet();
            byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
            int first = data[0] & 0xFF;
            if (first < 4) {
                StunParseResult r = StunDecoder.decode(data, 0, data.length);
                if (r instanceof StunParseResult.Parsed parsed) {
                    stunResponses.add(parsed.message());
                }
            } else if (first >= 20 && first <= 63) {
                DtlsHandshake h = dtls;
                if (h != null) {
                    h.offerDatagram(data);
                }
            } else if (first >= 128 && first <= 191) {
                srtpReceived.add(data);
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        DtlsHandshake h = dtls;
        if (h != null) {
            h.close();
        }
        pool.shutdownNow();
        if (srtp != null) {
            srtp.close();
        }
    }
}
