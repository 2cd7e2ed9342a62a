package io.warmline.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The RI logs through SLF4J with log4j absent, at every level, and secrets never reach the log. */
class StackLoggingTest {

    @Test
    void log4jIsAbsent() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.log4j.Logger"));
    }

    @Test
    void stackRunsWithTraceLoggingAndMasksDigestResponses() throws Exception {
        Logger gov = (Logger) LoggerFactory.getLogger("gov.nist");
        Logger sip = (Logger) LoggerFactory.getLogger("io.warmline.sip");
        Level govBefore = gov.getLevel();
        Level sipBefore = sip.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(captured);
        gov.setLevel(Level.TRACE);
        sip.setLevel(Level.TRACE);
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try (SipService s = new SipService(TestSupport.settings(), List.of(TestSupport.permissive(5060)),
                new TestSupport.Handler("log"))) {
            s.start();
            try (RawPeer p = new RawPeer("127.0.0.1", s.localPort("udp"))) {
                String secret = "d41d8cd98f00b204e9800998ecf8427e";
                p.send(p.request("OPTIONS", "sip:x@127.0.0.1:" + s.localPort("udp"), UUID.randomUUID() + "@l", 1,
                        "Authorization: Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\""
                                + secret + "\"\r\n", null));
                SipMsg r = p.awaitFinal("OPTIONS", 3000);
                assertEquals(200, r.status());
                assertTrue(snapshot(captured).stream().anyMatch(e -> e.getLoggerName().startsWith("gov.nist")),
                        "the RI's log reaches SLF4J");
                assertTrue(snapshot(captured).stream().anyMatch(e -> e.getLoggerName().equals("io.warmline.sip.wire")));
                assertFalse(snapshot(captured).stream().anyMatch(e -> e.getFormattedMessage().contains(secret)),
                        "digest responses are masked");
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
            root.detachAppender(captured);
            gov.setLevel(govBefore);
            sip.setLevel(sipBefore);
        }
        assertTrue(uncaught.stream().noneMatch(e -> e instanceof NoClassDefFoundError), uncaught.toString());
        assertTrue(snapshot(captured).stream().noneMatch(e -> e.getThrowableProxy() != null
                && e.getThrowableProxy().getClassName().equals(NoClassDefFoundError.class.getName())));
    }

    /** The events so far; SIP threads keep logging, and AppenderBase appends under the appender's lock. */
    private static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return new java.util.ArrayList<>(appender.list);
        }
    }
}
