package io.warmline.config;

/** {@code media.transport}: which Netty transport the node's loops and sockets use. */
public enum MediaTransportMode {
    /** Native epoll where it loads (Linux x86-64), else NIO. */
    AUTO,
    /** Native epoll; the node refuses to start where it is not available. */
    EPOLL,
    /** The JDK's NIO selector. */
    NIO
}
