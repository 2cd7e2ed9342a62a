package io.warmline.webrtc.srtp.internal;

import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;

import org.jitsi.utils.logging2.Logger;
import org.slf4j.LoggerFactory;

/**
 * jitsi-srtp's logger interface routed to SLF4J, so its messages follow our logging configuration instead of
 * java.util.logging. Levels are SLF4J's; the JUL-specific setters are ignored. Thread-safe.
 */
public final class Slf4jJitsiLogger implements Logger {
    private final org.slf4j.Logger log;

    public Slf4jJitsiLogger(String name) {
        this.log = LoggerFactory.getLogger(name);
    }

    @Override
    public Logger createChildLogger(String name, Map<String, String> context) {
        return new Slf4jJitsiLogger(name);
    }

    @Override
    public Logger createChildLogger(String name) {
        return new Slf4jJitsiLogger(name);
    }

    @Override
    public void setUseParentHandlers(boolean useParentHandlers) {
    }

    @Override
    public void addHandler(Handler handler) {
    }

    @Override
    public void removeHandler(Handler handler) {
    }

    @Override
    public boolean isTraceEnabled() {
        return log.isTraceEnabled();
    }

    @Override
    public void trace(Object msg) {
        log.trace("{}", msg);
    }

    @Override
    public void trace(Supplier<String> msg) {
        if (log.isTraceEnabled()) {
            log.trace(msg.get());
        }
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }

    @Override
    public void debug(Object msg) {
        log.debug("{}", msg);
    }

    @Override
    public void debug(Supplier<String> msg) {
        if (log.isDebugEnabled()) {
            log.debug(msg.get());
        }
    }

    @Override
    public boolean isInfoEnabled() {
        return log.isInfoEnabled();
    }

    @Override
    public void info(Object msg) {
        log.info("{}", msg);
    }

    @Override
    public void info(Supplier<String> msg) {
        if (log.isInfoEnabled()) {
            log.info(msg.get());
        }
    }

    @Override
    public boolean isWarnEnabled() {
        return log.isWarnEnabled();
    }

    @Override
    public void warn(Object msg) {
        log.warn("{}", msg);
    }

    @Override
    public void warn(Supplier<String> msg) {
        if (log.isWarnEnabled()) {
            log.warn(msg.get());
        }
    }

    @Override
    public void warn(Object msg, Throwable t) {
        log.warn(String.valueOf(msg), t);
    }

    /** jitsi-srtp reports a duplicate or too old outbound packet here; we count it, so debug is enough. */
    @Override
    public void error(Object msg) {
        log.debug("{}", msg);
    }

    @Override
    public void error(Supplier<String> msg) {
        if (log.isDebugEnabled()) {
            log.debug(msg.get());
        }
    }

    @Override
    public void error(Object msg, Throwable t) {
        log.error(String.valueOf(msg), t);
    }

    @Override
    public void setLevelError() {
    }

    @Override
    public void setLevelWarn() {
    }

    @Override
    public void setLevelInfo() {
    }

    @Override
    public void setLevelDebug() {
    }

    @Override
    public void setLevelTrace() {
    }

    @Override
    public void setLevelAll() {
    }

    @Override
    public void setLevelOff() {
    }

    @Override
    public void setLevel(Level level) {
    }

    @Override
    public Level getLevel() {
        return log.isTraceEnabled() ? Level.FINEST : log.isDebugEnabled() ? Level.FINE
                : log.isInfoEnabled() ? Level.INFO : log.isWarnEnabled() ? Level.WARNING : Level.SEVERE;
    }

    @Override
    public void addContext(Map<String, String> addedContext) {
    }

    @Override
    public void addContext(String key, String value) {
    }
}
