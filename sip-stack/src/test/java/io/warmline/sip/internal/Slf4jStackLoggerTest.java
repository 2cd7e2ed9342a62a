package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.SocketException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class Slf4jStackLoggerTest {

    @Test
    void peerConnectionFailuresAreNotErrors() {
        assertTrue(Slf4jStackLogger.peerConnectionFailure("Error is ", new SSLHandshakeException("PKIX path building failed")));
        assertTrue(Slf4jStackLogger.peerConnectionFailure("A problem occured while Accepting connection",
                new SocketException("Broken pipe")));
        assertTrue(Slf4jStackLogger.peerConnectionFailure(
                "A problem occured while trying to send a single CLRF in response to a double CLRF",
                new IOException("Could not connect to /127.0.0.1:33254")));
        assertFalse(Slf4jStackLogger.peerConnectionFailure("Problem Accepting Connection",
                new IOException("too many files")));
        assertFalse(Slf4jStackLogger.peerConnectionFailure("Error is ", new IOException("Could not connect")));

        Logger gov = (Logger) LoggerFactory.getLogger("gov.nist.javax.sip");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        gov.addAppender(captured);
        Level before = gov.getLevel();
        gov.setLevel(Level.INFO);
        try {
            Slf4jStackLogger log = new Slf4jStackLogger();
            log.logError("A problem occured while Accepting connection",
                    new SSLHandshakeException("Client requested protocol TLSv1.1 is not enabled"));
            log.logWarning("TLS server settings will be inactive - TLS key store will use JVM defaults");
            assertTrue(captured.list.isEmpty(), captured.list.toString());
            log.logError("Error is ", new IOException("Could not connect to /192.0.2.1:5061"));
            assertEquals(1, captured.list.size());
            assertEquals(Level.ERROR, captured.list.get(0).getLevel());
        } finally {
            gov.detachAppender(captured);
            gov.setLevel(before);
        }
    }
}
