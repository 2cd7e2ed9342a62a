package io.warmline.bridge;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the drain on SIGTERM or SIGINT and then exits with the drain's status, so an orchestrator that stops the node
 * sees a clean exit (a JVM ended by the default SIGTERM handling exits 143 and cuts shutdown hooks short).
 */
final class ShutdownSignals {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {}

    static void onTermination(IntSupplier drain) {
        AtomicBoolean started = new AtomicBoolean();
        Runnable run = () -> {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            Thread t = new Thread(() -> {
                int status = 1;
                try {
                    status = drain.getAsInt();
                } catch (RuntimeException e) {
                    log.error("drain failed", e);
                } finally {
                    System.exit(status);
                }
            }, "warmline-drain");
            t.start();
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    log.info("SIG{} received: draining", name);
                    run.run();
                });
            } catch (IllegalArgumentException e) {
                log.warn("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
