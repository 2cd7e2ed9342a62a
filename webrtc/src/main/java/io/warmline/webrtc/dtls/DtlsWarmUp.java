package io.warmline.webrtc.dtls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Complete DTLS handshakes of this process against itself, in memory, before the first browser arrives: the first
 * handshake of a fresh JVM loads and links several hundred BouncyCastle classes and runs them interpreted, which
 * made the first legs of a node take hundreds of milliseconds to seconds instead of tens. Both ends use the node's
 * own certificate; datagrams go straight from one end's queue to the other's (no socket), on two threads of its own,
 * off the event loops.
 */
public final class DtlsWarmUp {

    private static final Logger log = LoggerFactory.getLogger(DtlsWarmUp.class);

    private DtlsWarmUp() {
    }

    /**
     * Runs {@code rounds} handshakes one after another, each bounded by {@code timeout}.
     *
     * @return the time each took, in the order run (the first is the cold one)
     * @throws DtlsHandshakeException if one fails or times out (the node still works; its first legs are slower)
     */
    public static List<Duration> run(DtlsCertificate certificate, int rounds, Duration timeout)
            throws DtlsHandshakeException {
        if (rounds < 1 || rounds > 100) {
            throw new IllegalArgumentException("rounds must be 1..100: " + rounds);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dtls-warm-up");
            t.setDaemon(true);
            return t;
        });
        try {
            Duration[] took = new Duration[rounds];
            for (int i = 0; i < rounds; i++) {
                took[i] = once(certificate, pool, timeout);
            }
            log.info("DTLS warmed up: {} in-memory handshakes took {} ms", rounds,
                    List.of(took).stream().map(d -> Long.toString(d.toMillis())).toList());
            return List.of(took);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Duration once(DtlsCertificate certificate, ExecutorService pool, Duration timeout)
            throws DtlsHandshakeException {
        long start = System.nanoTime();
        // a datagram may be sent before the other end's object exists: it waits for it, in order
        CompletableFuture<DtlsHandshake> server = new CompletableFuture<>();
        CompletableFuture<DtlsHandshake> client = new CompletableFuture<>();
        server.complete(DtlsHandshake.start(DtlsRole.SERVER, List.of(certificate.fingerprint()), certificate,
                d -> client.thenAccept(c -> c.offerDatagram(d)), pool, DtlsConfig.DEFAULT));
        client.complete(DtlsHandshake.start(DtlsRole.CLIENT, List.of(certificate.fingerprint()), certificate,
                d -> server.thenAccept(s -> s.offerDatagram(d)), pool, DtlsConfig.DEFAULT));
        try {
            CompletableFuture.allOf(server.join().keys().toCompletableFuture(),
                    client.join().keys().toCompletableFuture()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Duration.ofNanos(System.nanoTime() - start);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof DtlsHandshakeException d ? d
                    : new DtlsHandshakeException(DtlsFailure.PROTOCOL_ERROR, (short) -1, "warm-up handshake failed",
                            e.getCause());
        } catch (TimeoutException e) {
            throw new DtlsHandshakeException(DtlsFailure.TIMEOUT, (short) -1, "warm-up handshake timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DtlsHandshakeException(DtlsFailure.CLOSED, (short) -1, "warm-up interrupted", e);
        } finally {
            server.join().close();
            client.join().close();
        }
    }
}
