package io.warmline.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warmline.config.ConfigError;
import io.warmline.config.ConfigException;
import io.warmline.config.ConfigLocation;
import io.warmline.config.MediaConfig;
import io.warmline.config.MediaTransportMode;
import io.warmline.media.transport.NettyTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportChoiceTest {

    private static MediaConfig media(MediaTransportMode mode, ConfigLocation at) {
        return new MediaConfig(20000, 20999, Duration.ofSeconds(30), Duration.ofSeconds(2), 0, 0, 0, mode, at);
    }

    @Test
    void autoTakesEpollOnlyWhereItIsAvailable() throws Exception {
        assertEquals(NettyTransport.EPOLL, TransportChoice.choose(media(MediaTransportMode.AUTO, null), true, null));
        assertEquals(NettyTransport.NIO, TransportChoice.choose(media(MediaTransportMode.AUTO, null), false,
                new UnsatisfiedLinkError("no library")));
    }

    @Test
    void nioAndEpollAreTakenAsAsked() throws Exception {
        assertEquals(NettyTransport.NIO, TransportChoice.choose(media(MediaTransportMode.NIO, null), true, null));
        assertEquals(NettyTransport.EPOLL, TransportChoice.choose(media(MediaTransportMode.EPOLL, null), true, null));
    }

    @Test
    void epollWhereItIsMissingIsRefusedWithTheFieldsLocation() {
        ConfigLocation at = new ConfigLocation("/etc/warmline.yaml", 12, 14, "media.transport");
        ConfigException e = assertThrows(ConfigException.class, () -> TransportChoice.choose(
                media(MediaTransportMode.EPOLL, at), false, new UnsatisfiedLinkError("no library")));
        ConfigError err = e.errors().get(0);
        assertEquals("/etc/warmline.yaml", err.file());
        assertEquals(12, err.line());
        assertEquals(14, err.column());
        assertEquals("media.transport", err.path());
        assertEquals(true, err.toString().startsWith("/etc/warmline.yaml:12:14: media.transport: epoll is not available"),
                err.toString());
    }

    @Test
    void thisHostsChoiceMatchesEpollAvailability() throws Exception {
        assertEquals(NettyTransport.auto(), TransportChoice.choose(media(MediaTransportMode.AUTO, null)));
    }
}
