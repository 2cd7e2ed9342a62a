package io.warmline.media.bridge;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.media.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's bridges on an embedded event loop with a manual clock: tasks run when the test runs them and time moves
 * when the test moves it. After each test every bridge started here is closed and the loop's pending messages are
 * released (register with {@code @RegisterExtension}).
 */
final class EmbeddedBridgeLoop implements AfterEachCallback {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ManualClock clock = new ManualClock(5_000_000_000L);
    private final List<MediaBridge> bridges = new ArrayList<>();

    EventLoop loop() {
        return channel.eventLoop();
    }

    ManualClock clock() {
        return clock;
    }

    /** Starts a bridge mixing at {@code mixRate} on this loop and clock. */
    MediaBridge start(int mixRate) {
        MediaBridge bridge = MediaBridge.start(loop(), clock, mixRate);
        bridges.add(bridge);
        return bridge;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        bridges.forEach(MediaBridge::close);
        channel.finishAndReleaseAll();
    }
}
