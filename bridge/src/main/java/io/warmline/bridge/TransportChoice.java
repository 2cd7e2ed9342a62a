package io.warmline.bridge;

import io.warmline.config.ConfigException;
import io.warmline.config.ConfigLocation;
import io.warmline.config.MediaConfig;
import io.warmline.media.transport.NettyTransport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the node's Netty transport from {@code media.transport} once at start, and says which in one INFO line. */
final class TransportChoice {
    private static final Logger log = LoggerFactory.getLogger(TransportChoice.class);

    private TransportChoice() {}

    static NettyTransport choose(MediaConfig media) throws ConfigException {
        return choose(media, NettyTransport.epollAvailable(), NettyTransport.epollUnavailabilityCause());
    }

    /**
     * @throws ConfigException naming the file, line and field when epoll was asked for and this host cannot load it
     */
    static NettyTransport choose(MediaConfig media, boolean epollAvailable, Throwable why) throws ConfigException {
        NettyTransport chosen = switch (media.transport()) {
            case NIO -> NettyTransport.NIO;
            case AUTO -> epollAvailable ? NettyTransport.EPOLL : NettyTransport.NIO;
            case EPOLL -> {
                if (!epollAvailable) {
                    ConfigLocation at = media.transportAt() != null ? media.transportAt()
                            : new ConfigLocation("(defaults)", 0, 0, "media.transport");
                    throw new ConfigException(List.of(at.error("epoll is not available on this host ("
                            + (why != null ? why.toString() : "unknown reason") + "); use auto or nio")));
                }
                yield NettyTransport.EPOLL;
            }
        };
        log.info("Netty transport: {} (media.transport: {}{})", chosen.configName(),
                media.transport().name().toLowerCase(java.util.Locale.ROOT),
                media.transport() == io.warmline.config.MediaTransportMode.AUTO && !epollAvailable
                        ? "; native epoll not available: " + why : "");
        return chosen;
    }
}
