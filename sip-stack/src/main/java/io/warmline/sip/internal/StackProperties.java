package io.warmline.sip.internal;

import io.warmline.sip.SipSettings;
import java.util.Properties;

/**
 * Every JAIN-SIP RI (1.3.0-91) property we set, in one place. The RI's defaults are unbounded; each bound here
 * is explicit. Property names were read from {@code gov.nist.javax.sip.SipStackImpl} in the RI jar.
 */
public final class StackProperties {

    private StackProperties() {
    }

    public static Properties build(String stackName, SipSettings s) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        // Dialogs are created explicitly (getNewDialog) only for calls we accept or place; stray requests make none.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // Logging through SLF4J; log4j is not on the class path.
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.LOG_STACK_TRACE_ON_MESSAGE_SEND", "false");

        // The RI's parser plus checks it lacks (repeated single-value headers, SIP version): see RawMessageCheck.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", CheckingMessageParser.Factory.class.getName());
        // UDP datagrams read into one reused buffer and queued at their length (the RI allocates MAX_MESSAGE_SIZE
        // bytes per datagram); TCP and TLS as the RI makes them.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", CompactUdpProcessorFactory.class.getName());
        // Largest message accepted (TCP framing and UDP datagrams); bigger ones are dropped.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(s.maxMessageSize()));
        // TCP: a started message must complete within this many ms (slow-sender defence).
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "2000");
        // TCP: outgoing connect timeout, ms.
        p.setProperty("gov.nist.javax.sip.CONNECTION_TIMEOUT", "5000");
        // Transaction tables: a call holds at most a few transactions at once; OPTIONS keepalives add some.
        int tx = Math.max(1000, s.maxCalls() * 4 + 500);
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(tx));
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", Integer.toString(tx));
        // Transaction timers on a ScheduledThreadPoolExecutor (cancelled timers purged every minute) instead of the
        // default java.util.Timer, whose single lock SIP threads queued on at a few hundred calls per second.
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", "gov.nist.javax.sip.stack.timers.ScheduledExecutorSipTimer");
        // Threads that process received messages (UDP) and parsed TCP messages; the listener returns quickly.
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(threads));
        p.setProperty("gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE", Integer.toString(threads));
        // Concurrent TCP connections, in and out.
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", Integer.toString(Math.max(256, s.maxCalls() + 64)));
        // Seconds the listener may take before the RI gives up on an unanswered server transaction.
        p.setProperty("gov.nist.javax.sip.MAX_LISTENER_RESPONSE_TIME", "32");
        // Safety net against leaked transactions, seconds: longer than any ring (INVITE) / Timer F or J (others).
        p.setProperty("gov.nist.javax.sip.MAX_TX_LIFETIME_INVITE", "330");
        p.setProperty("gov.nist.javax.sip.MAX_TX_LIFETIME_NON_INVITE", "64");
        // An early dialog that never gets a final response is dropped after this many seconds.
        p.setProperty("gov.nist.javax.sip.EARLY_DIALOG_TIMEOUT_SECONDS", "330");
        // Reuse TCP connections to trunks and from peers (RFC 3261 §18).
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        // Socket buffers for UDP bursts, bytes (the kernel may cap them).
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(1 << 20));
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", Integer.toString(1 << 20));
        // Our listener is thread-safe: it only hands events to per-leg strands.
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Glare and re-INVITE ordering are handled by the legs (491/500), not by the RI's B2BUA mode.
        p.setProperty("gov.nist.javax.sip.IS_BACK_TO_BACK_USER_AGENT", "false");
        // Responses that match no transaction are dropped.
        p.setProperty("gov.nist.javax.sip.REJECT_STRAY_RESPONSES", "true");
        // No forking support: a second 2xx/early dialog is not tracked (seconds to track forks: 0).
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "0");
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "false");
        p.setProperty("gov.nist.javax.sip.DELIVER_TERMINATED_EVENT_FOR_NULL_DIALOG", "false");
        // The RI answers out-of-order CSeqs in a dialog with 500 itself (RFC 3261 §12.2.2).
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "true");
        return p;
    }
}
