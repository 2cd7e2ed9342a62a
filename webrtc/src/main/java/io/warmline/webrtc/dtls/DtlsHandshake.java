package io.warmline.webrtc.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.warmline.webrtc.dtls.internal.DatagramQueueTransport;
import io.warmline.webrtc.dtls.internal.DtlsRecords;
import io.warmline.webrtc.dtls.internal.HandshakeReport;
import io.warmline.webrtc.dtls.internal.PeerSettings;
import io.warmline.webrtc.dtls.internal.WebRtcDtlsClient;
import io.warmline.webrtc.dtls.internal.WebRtcDtlsServer;
import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.srtp.SrtpKeys;

/**
 * One DTLS-SRTP association of a WebRTC leg (RFC 5763, RFC 5764) on BouncyCastle's blocking DTLS 1.2.
 *
 * <p>The handshake runs as one task on the given pool, reading from a bounded queue that {@link #offerDatagram} fills
 * and writing through the {@code sender} callback; BouncyCastle retransmits its flights under loss (RFC 6347 §4.2.4)
 * and the whole handshake is bounded by {@link DtlsConfig#handshakeTimeout()}, counted from {@link #start}. The peer's
 * certificate must match one of its SDP fingerprints, else the handshake fails with
 * {@link DtlsFailure#FINGERPRINT_MISMATCH} and no keys are released.
 *
 * <p>Once established, {@link #offerDatagram} processes records inline on the caller's thread (the leg's event loop):
 * retransmitted final flights are answered, close_notify and fatal alerts end the association ({@link #closed()}),
 * application data is counted and dropped. Threads: {@code offerDatagram}, {@code drainQueued} and {@code close}
 * may be called from any single thread at a time (the leg's event loop), {@code offerDuringHandshake} from one other; {@code sender} is called from the pool thread during the handshake
 * and from the caller of {@code offerDatagram}/{@code close} afterwards, so it must be thread-safe (a Netty channel
 * write is).
 */
public final class DtlsHandshake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsHandshake.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DtlsRole role;
    private final DtlsConfig config;
    private final long deadlineNanos;
    private final HandshakeReport report = new HandshakeReport();
    private final DatagramQueueTransport transport;
    private final PeerSettings settings;
    private final AtomicReference<DtlsState> state = new AtomicReference<>(DtlsState.HANDSHAKING);
    private final CompletableFuture<SrtpKeys> keys = new CompletableFuture<>();
    private final CompletableFuture<DtlsCloseReason> closed = new CompletableFuture<>();
    private final AtomicLong datagramsIn = new AtomicLong();
    private final AtomicLong applicationData = new AtomicLong();
    private final byte[] readBuffer;
    private volatile DTLSTransport dtls;
    private volatile boolean localClose;
    private volatile int minimumCiphertext;
    private final Runnable onRunning;

    private DtlsHandshake(DtlsRole role, List<DtlsFingerprint> remoteFingerprints, DtlsCertificate local,
                          Consumer<byte[]> sender, DtlsConfig config, Runnable onRunning) {
        this.role = role;
        this.onRunning = onRunning;
        this.config = config;
        this.deadlineNanos = System.nanoTime() + config.handshakeTimeout().toNanos();
        this.transport = new DatagramQueueTransport(config.inboundQueueCapacity(), config.mtu(),
                DtlsConfig.MAX_DATAGRAM, sender, () -> { });
        this.readBuffer = new byte[DtlsConfig.MAX_DATAGRAM];
        this.settings = new PeerSettings(List.copyOf(remoteFingerprints), local.derUnsafe(), local.privateKey(),
                config.srtpProfiles(), (int) config.handshakeTimeout().toMillis(),
                (int) config.initialRetransmit().toMillis(), report);
    }

    /**
     * Starts a handshake as {@code role}, checking the peer's certificate against {@code remoteFingerprints} (the
     * peer's SDP {@code a=fingerprint} lines; a match with any one suffices, RFC 8122 §5).
     *
     * @param sender called with each datagram to send to the peer (a fresh array it may keep)
     * @param pool   where the blocking handshake runs; one task per handshake, bounded pool advised
     */
    public static DtlsHandshake start(DtlsRole role, List<DtlsFingerprint> remoteFingerprints,
                                      DtlsCertificate localCertificate, Consumer<byte[]> sender, Executor pool,
                                      DtlsConfig config) {
        return start(role, remoteFingerprints, localCertificate, sender, pool, config, () -> { });
    }

    /**
     * As {@link #start(DtlsRole, List, DtlsCertificate, Consumer, Executor, DtlsConfig)}; {@code onRunning} is called
     * on the pool thread when the handshake task begins (how long it waited for a thread shows in a leg's timeline).
     */
    public static DtlsHandshake start(DtlsRole role, List<DtlsFingerprint> remoteFingerprints,
                                      DtlsCertificate localCertificate, Consumer<byte[]> sender, Executor pool,
                                      DtlsConfig config, Runnable onRunning) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(onRunning, "onRunning");
        Objects.requireNonNull(localCertificate, "localCertificate");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(config, "config");
        if (remoteFingerprints.isEmpty()) {
            throw new IllegalArgumentException("the peer's SDP must carry a fingerprint (RFC 5763 §5)");
        }
        DtlsHandshake h = new DtlsHandshake(role, remoteFingerprints, localCertificate, sender, config, onRunning);
        try {
            pool.execute(h::run);
        } catch (RejectedExecutionException e) {
            h.fail(new DtlsHandshakeException(DtlsFailure.OVERLOADED, (short) -1, "the handshake pool is full", e));
        }
        return h;
    }

    public DtlsRole role() {
        return role;
    }

    public DtlsState state() {
        return state.get();
    }

    /**
     * Completes with the SRTP keys once the handshake has finished and the peer's certificate matched, or
     * exceptionally with a {@link DtlsHandshakeException}. Completes on the handshake pool's thread: hop to the leg's
     * event loop before touching the leg.
     */
    public CompletionStage<SrtpKeys> keys() {
        return keys;
    }

    /** Completes once when the association ends, for whatever reason; the leg ends with it. */
    public CompletionStage<DtlsCloseReason> closed() {
        return closed;
    }

    /**
     * Hands one received DTLS datagram (first byte 20..63, RFC 7983) to the association. Reads the readable bytes
     * without consuming or releasing them: the caller keeps ownership. Returns false when the datagram was dropped
     * (queue full, oversized, or the association is over); drops are counted.
     */
    public boolean offerDatagram(ByteBuf datagram) {
        int length = datagram.readableBytes();
        if (length == 0 || length > DtlsConfig.MAX_DATAGRAM) {
            transport.countDrop();
            return false;
        }
        byte[] copy = new byte[length];
        datagram.getBytes(datagram.readerIndex(), copy);
        return offerDatagram(copy);
    }

    /** As {@link #offerDatagram(ByteBuf)}; the array is kept until processed, so the caller must not reuse it. */
    public boolean offerDatagram(byte[] datagram) {
        DtlsState s = state.get();
        if (s == DtlsState.CLOSED || s == DtlsState.FAILED) {
            transport.countDrop();
            return false;
        }
        if (s == DtlsState.ESTABLISHED && !DtlsRecords.wellFormed(datagram, minimumCiphertext)) {
            transport.countDrop();
            return false;
        }
        if (!transport.offer(datagram)) {
            return false;
        }
        datagramsIn.incrementAndGet();
        if (s == DtlsState.ESTABLISHED) {
            drain();
        }
        return true;
    }

    /**
     * Queues one datagram while the handshake runs, from any thread (the port's loop hands records over without a hop
     * through the leg's loop). Returns false, doing nothing, once the handshake is over: the caller then uses
     * {@link #offerDatagram(byte[])} on the owner's thread. A datagram queued just as the handshake finishes waits
     * for {@link #drainQueued()}. The array is kept; drops are counted.
     */
    public boolean offerDuringHandshake(byte[] datagram) {
        if (state.get() != DtlsState.HANDSHAKING) {
            return false;
        }
        if (!DtlsRecords.wellFormed(datagram, DtlsRecords.ANY_SUITE_MINIMUM_CIPHERTEXT)) {
            // It may still be queued when the handshake ends, and BouncyCastle then treats it as fatal.
            transport.countDrop();
            return true;
        }
        if (transport.offer(datagram)) {
            datagramsIn.incrementAndGet();
        }
        return true;
    }

    /** Once established, processes datagrams queued while the handshake finished; on the owner's thread. */
    public void drainQueued() {
        if (state.get() == DtlsState.ESTABLISHED && !transport.isEmpty()) {
            drain();
        }
    }

    /**
     * Ends the association: during the handshake it is abandoned ({@link DtlsFailure#CLOSED}); once established a
     * close_notify is sent. Idempotent.
     */
    @Override
    public void close() {
        localClose = true;
        if (state.compareAndSet(DtlsState.HANDSHAKING, DtlsState.FAILED)) {
            transport.abort();
            DtlsHandshakeException e = new DtlsHandshakeException(DtlsFailure.CLOSED, (short) -1,
                    "closed before the handshake finished", null);
            keys.completeExceptionally(e);
            closed.complete(DtlsCloseReason.HANDSHAKE_FAILED);
        } else if (state.compareAndSet(DtlsState.ESTABLISHED, DtlsState.CLOSED)) {
            try {
                dtls.close();
            } catch (IOException e) {
                LOG.debug("close_notify could not be sent", e);
            }
            transport.abort();
            closed.complete(DtlsCloseReason.LOCAL_CLOSE);
        }
    }

    public DtlsStats stats() {
        return new DtlsStats(datagramsIn.get(), transport.dropped(), transport.sent(), applicationData.get());
    }

    private void run() {
        onRunning.run();
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (state.get() != DtlsState.HANDSHAKING) {
            return;
        }
        if (remainingMillis <= 0) {
            fail(new DtlsHandshakeException(DtlsFailure.TIMEOUT, (short) -1,
                    "waited " + config.handshakeTimeout().toMillis() + " ms for a handshake thread", null));
            return;
        }
        PeerSettings bounded = new PeerSettings(settings.remoteFingerprints(), settings.certificateDer(),
                settings.privateKey(), settings.srtpProfiles(), (int) remainingMillis, settings.resendMillis(),
                report);
        BcTlsCrypto crypto = new BcTlsCrypto(RANDOM);
        DTLSTransport established;
        try {
            if (role == DtlsRole.SERVER) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE connectivity checks have already proven the peer's address (RFC 8445 §7.2), so a
                // HelloVerifyRequest cookie round trip (RFC 6347 §4.2.1) would only add latency.
                protocol.setVerifyRequests(false);
                established = protocol.accept(new WebRtcDtlsServer(crypto, bounded), transport);
            } else {
                established = new DTLSClientProtocol().connect(new WebRtcDtlsClient(crypto, bounded), transport);
            }
        } catch (IOException | RuntimeException e) {
            fail(classify(e));
            return;
        }
        // The final flight is still packed in the transport: BouncyCastle returns without waiting for an answer.
        transport.flush();
        SrtpKeys exported = report.keys();
        dtls = established;
        minimumCiphertext = DtlsRecords.minimumCiphertext(report.cipherSuite());
        transport.nonBlocking();
        if (exported == null || !state.compareAndSet(DtlsState.HANDSHAKING, DtlsState.ESTABLISHED)) {
            try {
                established.close();
            } catch (IOException e) {
                LOG.debug("close after an abandoned handshake failed", e);
            }
            fail(new DtlsHandshakeException(DtlsFailure.CLOSED, (short) -1, "closed during the handshake", null));
            return;
        }
        LOG.debug("DTLS {} established, {}", role, exported);
        keys.complete(exported);
    }

    private DtlsHandshakeException classify(Throwable e) {
        DtlsFailure reason = report.failure();
        short alert = report.alertRaised();
        String detail = report.detail();
        if (reason == null) {
            if (localClose) {
                reason = DtlsFailure.CLOSED;
                detail = "closed before the handshake finished";
            } else if (e instanceof TlsTimeoutException || System.nanoTime() - deadlineNanos >= 0) {
                reason = DtlsFailure.TIMEOUT;
                detail = "no handshake within " + config.handshakeTimeout().toMillis() + " ms";
            } else if (e instanceof TlsFatalAlertReceived received) {
                reason = DtlsFailure.ALERT_RECEIVED;
                alert = received.getAlertDescription();
                detail = "the peer sent fatal alert " + alert;
            } else {
                reason = DtlsFailure.PROTOCOL_ERROR;
                if (e instanceof TlsFatalAlert raised) {
                    alert = raised.getAlertDescription();
                }
                detail = String.valueOf(e.getMessage());
            }
        }
        return new DtlsHandshakeException(reason, alert, detail, e);
    }

    private void fail(DtlsHandshakeException e) {
        transport.abort();
        state.compareAndSet(DtlsState.HANDSHAKING, DtlsState.FAILED);
        if (keys.completeExceptionally(e)) {
            LOG.info("DTLS {} handshake failed: {}", role, e.getMessage());
        }
        closed.complete(DtlsCloseReason.HANDSHAKE_FAILED);
    }

    /** Post-handshake record processing on the caller's thread; bounded by what is queued. */
    private void drain() {
        DTLSTransport t = dtls;
        // Each queued datagram may hold several records (RFC 6347 §4.1.1); the bound covers both.
        for (int i = 0; i < 4 * config.inboundQueueCapacity(); i++) {
            try {
                int n = t.receive(readBuffer, 0, readBuffer.length, 1);
                if (n >= 0) {
                    applicationData.incrementAndGet();
                }
            } catch (DatagramQueueTransport.WouldBlock e) {
                break;
            } catch (TlsFatalAlertReceived e) {
                end(DtlsCloseReason.PEER_FATAL_ALERT);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("DTLS record processing failed", e);
                end(DtlsCloseReason.PROTOCOL_ERROR);
                return;
            }
        }
        if (transport.isClosed() && !localClose) {
            end(DtlsCloseReason.PEER_CLOSE_NOTIFY);
        }
    }

    private void end(DtlsCloseReason reason) {
        if (state.compareAndSet(DtlsState.ESTABLISHED, DtlsState.CLOSED)) {
            transport.abort();
            LOG.debug("DTLS {} association ended: {}", role, reason);
            closed.complete(reason);
        }
    }
}
