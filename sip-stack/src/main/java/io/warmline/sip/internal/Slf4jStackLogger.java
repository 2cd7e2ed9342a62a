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
        if (peerConnectionFailure(message, ex)) {
            // per connection, often a scanner or a peer hanging up; our own dials report their failures themselves
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: {}", Secrets.mask(message), ex.toString());
            }
            return;
        }
        LOG.error(Secrets.mask(message), ex);
    }

    /**
     * What the RI's TCP/TLS transport reports about one peer's connection (RI 1.3.0-91 message texts): a failed TLS
     * handshake, an accepted connection that broke, or the CRLF keep-alive answer on a connection the peer closed.
     */
    static boolean peerConnectionFailure(String message, Exception ex) {
        if (ex instanceof javax.net.ssl.SSLException) {
            return true;
        }
        return message != null && ex instanceof java.io.IOException
                && (message.startsWith("A problem occured while Accepting connection")
                || message.startsWith("A problem occured while trying to send a single CLRF"));
    }

    @Override
    public void logWarning(String message) {
        if (message != null && (message.startsWith("TLS server settings will be inactive")
                || message.startsWith("TLS trust settings will be inactive") || message.contains("store type"))) {
            // start-up notes of the RI's DefaultSecurityManagerProvider, which only feeds the NIO transport we do not
            // use: TLS sockets come from TlsNetworkLayer
            LOG.debug(message);
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
