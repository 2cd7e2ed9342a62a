package io.warmline.sip;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Shared fixtures: loopback settings with a short T1, SDP bodies, a recording handler. */
final class TestSupport {

    static final Duration T1 = Duration.ofMillis(20);

    private TestSupport() {
    }

    static SipSettings settings(Duration sessionExpires, Duration minSe, int maxCalls) {
        return new SipSettings(List.of(new SipListenPoint("udp", "127.0.0.1", 0)), null, 65535,
                sessionExpires, minSe, maxCalls, T1);
    }

    static SipSettings settings() {
        return settings(Duration.ofSeconds(1800), Duration.ofSeconds(90), 100);
    }

    static Trunk trunk(String name, int port, String allow, List<String> numbers, Duration ring, DigestCredentials c,
                       String proxyHost, int proxyPort) {
        return new Trunk(name, proxyHost != null ? "carrier.invalid" : "127.0.0.1", port, "udp", proxyHost, proxyPort,
                c, "4930100", List.of(AddressRange.parse(allow)), numbers, ring, Map.of("X-Trunk", name));
    }

    static Trunk permissive(int port) {
        return trunk("loop", port, "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10), null, null, 0);
    }

    static String sdp(String who, int version) {
        return "v=0\r\no=" + who + " 1000 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + (40000 + version * 2) + " RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";
    }

    static ExecutorService executor(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits (bounded) for a condition that another thread makes true. */
    static void awaitTrue(BooleanSupplier c, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /** A handler that runs calls on one named executor and queues their legs. */
    static final class Handler implements InboundCallHandler {
        final BlockingQueue<InboundLeg> legs = new LinkedBlockingQueue<>();
        final ExecutorService executor;
        volatile InboundCall lastCall;

        Handler(String threadName) {
            executor = executor(threadName);
        }

        @Override
        public java.util.concurrent.Executor executorFor(InboundCall call) {
            lastCall = call;
            return executor;
        }

        @Override
        public void onInvite(InboundLeg leg) {
            legs.add(leg);
        }

        InboundLeg next(long timeoutMs) throws InterruptedException {
            InboundLeg l = legs.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (l == null) {
                throw new AssertionError("no inbound call within " + timeoutMs + " ms");
            }
            return l;
        }
    }
}
