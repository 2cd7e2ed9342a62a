package io.warmline.webrtc.dtls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Measures in-process DTLS handshakes per second: client and server both ours (ECDHE P-256, ECDSA P-256, use_srtp,
 * exporter), joined by the in-memory link without loss, {@code inFlight} pairs at a time on a pool of
 * {@code 2 * inFlight} threads. Not a test: run its main (see docs/performance.md for the command).
 */
public final class DtlsHandshakeBenchmark {
    private DtlsHandshakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate clientCert = DtlsCertificate.generate();
        ExecutorService pool = Executors.newFixedThreadPool(2 * inFlight);
        try {
            run(pairs / 4, inFlight, pool, serverCert, clientCert);
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            run(pairs, inFlight, pool, serverCert, clientCert);
            long wall = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            double perSecond = pairs / (wall / 1e9);
            System.out.printf("%d handshakes (client and server in this process), %d in flight: %.0f per second, "
                    + "%.2f ms CPU per handshake pair, %.1f ms wall per handshake%n", pairs, inFlight, perSecond,
                    cpu / 1e6 / pairs, wall / 1e6 / pairs * inFlight);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void run(int pairs, int inFlight, ExecutorService pool, DtlsCertificate serverCert,
                            DtlsCertificate clientCert) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<LossyLink> links = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            window.acquire();
            LossyLink link = new LossyLink(0, i);
            links.add(link);
            DtlsHandshake server = DtlsHandshake.start(DtlsRole.SERVER, List.of(clientCert.fingerprint()),
                    serverCert, link.senderB(), pool, DtlsConfig.DEFAULT);
            link.toB = server::offerDatagram;
            DtlsHandshake client = DtlsHandshake.start(DtlsRole.CLIENT, List.of(serverCert.fingerprint()),
                    clientCert, link.senderA(), pool, DtlsConfig.DEFAULT);
            link.toA = client::offerDatagram;
            CompletableFuture<?> both = CompletableFuture.allOf(client.keys().toCompletableFuture(),
                    server.keys().toCompletableFuture()).whenComplete((v, e) -> {
                        window.release();
                        if (e != null) {
                            System.err.println("handshake failed: " + e);
                        }
                    });
            all.add(both);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        for (LossyLink link : links) {
            link.close();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
