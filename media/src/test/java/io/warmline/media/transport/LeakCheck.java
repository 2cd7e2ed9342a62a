package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's (paranoid) leak detector reports a buffer that was never released. Without an
 * SLF4J provider on the test class path Netty logs through java.util.logging; the reports are captured there.
 * After the class, garbage is collected and buffers allocated so the detector polls its queue.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static final Handler HANDLER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() && message != null
                    && message.contains("LEAK")) {
                LEAKS.add(message);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static final Logger NETTY_LEAK_LOGGER = Logger.getLogger(ResourceLeakDetector.class.getName());

    static {
        NETTY_LEAK_LOGGER.addHandler(HANDLER);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assertTrue(ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID,
                "tests must run with paranoid leak detection");
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> found = collect(3);
        assertTrue(found.isEmpty(), "ByteBuf leaks: " + found);
    }

    /** Runs {@code rounds} of GC plus allocation (which makes the detector poll) and returns what was reported. */
    static List<String> collect(int rounds) {
        for (int i = 0; i < rounds; i++) {
            System.gc();
            for (int j = 0; j < 32; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                probe.release();
            }
        }
        List<String> found = List.copyOf(LEAKS);
        LEAKS.clear();
        return found;
    }
}
