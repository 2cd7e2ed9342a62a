package io.warmline.sip.internal;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the RI's stack log (property {@code gov.nist.javax.sip.STACK_LOGGER}) to SLF4J so that log4j is never
 * touched. Level 16 (TRACE_INFO, also TRACE_MESSAGES) always reports disabled: when it is enabled the RI's
 * {@code MDCScheduledTHExecutor} calls log4j's MDC directly. The RI's info lines go to DEBUG.
 * Everything forwarded is passed through {@link Secrets#mask}.
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");

    public Slf4jStackLogger() {
    }

    @Override
    public void logStackTrace() {
        if (LOG.isTraceEnabled()) {
            LOG.trace("stack trace", new Throwable("stack trace"));
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.warn("JAIN-SIP exception", ex);
    }

    @Override
    public void logDebug(String message) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(Secrets.mask(message));
        }
    }

    @Override
    public void logDebug(String message, Exception ex) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(Secrets.mask(message), ex);
        }
    }

    @Override
    public void logTrace(String message) {
        if (LOG.isTraceEnabled()) {
            LOG.trace(Secrets.mask(message));
        }
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(Secrets.mask(message));
    }

    @Override
    public void logError(String message) {
        if (aboutReceivedJunk(message)) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(Secrets.mask(message));
            }
            return;
        }
        LOG.error(Secrets.mask(message));
    }

    /** Per-packet complaints about what a peer sent: a flood must not flood the error log. */
    private static boolean aboutReceivedJunk(String message) {
        return message != null && (message.startsWith("Detected stray response")
                || message.startsWith("bad message") || message.startsWith(">>> Dropped Bad Msg"));
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isWarnEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return switch (logLevel) {
            case TRACE_FATAL, TRACE_ERROR -> LOG.isErrorEnabled();
            case TRACE_WARN -> LOG.isWarnEnabled();
            case TRACE_DEBUG -> LOG.isDebugEnabled();
            case TRACE_TRACE -> LOG.isTraceEnabled();
            default -> false; // TRACE_NONE, and TRACE_INFO (see the class comment)
        };
    }

    @Override
    public void logError(String message, Exception ex) {
        LOG.error(Secrets.mask(message), ex);
    }

    @Override
    public void logWarning(String message) {
        if (message != null && (message.contains("tls") || message.contains("TLS") || message.contains("store type"))) {
            LOG.debug(message); // start-up notes about TLS defaults; we open no TLS listening point
            return;
        }
        LOG.warn(Secrets.mask(message));
    }

    @Override
    public void logInfo(String message) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(Secrets.mask(message));
        }
    }

    @Override
    public void disableLogging() {
    }

    @Override
    public void enableLogging() {
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
