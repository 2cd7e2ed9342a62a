package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.internal.SipCore;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/**
 * Every RFC 4475 torture message, sent raw over UDP to a service with a permissive trunk. Each message is judged
 * by its RFC section: §3.1.1 valid (answered normally), §3.1.2 invalid (4xx or dropped, never a call), §3.2/§3.3
 * the named answer. Then a normal OPTIONS and INVITE must still be served and no transaction may leak.
 *
 * <p>Responses to these messages go to their (fictitious) Via addresses, so what we answer is observed through
 * the service's own bookkeeping ({@link SipCore.Observer}): the responses our code produces. Answers the RI makes
 * on its own (400 for unparsable requests) are not visible there; for invalid messages both are acceptable.
 */
class Rfc4475TortureTest {

    /** What RFC 4475 asks for one message. */
    private sealed interface Verdict {
        /** A valid INVITE: it reaches the call handler. */
        record Call(String why) implements Verdict {
        }

        /** A request we must answer with one of these statuses. */
        record Answer(Set<Integer> statuses, String why) implements Verdict {
        }

        /** Invalid: never a call, never a 2xx; a 4xx from us or a silent drop (or the RI's own 400). */
        record Refuse(String why) implements Verdict {
        }

        /**
         * The RFC allows either: reject (4xx or drop) or be liberal and process it normally (one of
         * {@code statuses}, or for an INVITE the handler sees it).
         */
        record Lenient(Set<Integer> statuses, String why) implements Verdict {
        }

        /** A response message that matches no transaction: dropped, nothing sent. */
        record Stray(String why) implements Verdict {
        }
    }

    private static Verdict.Answer answer(String why, Integer... statuses) {
        return new Verdict.Answer(Set.of(statuses), why);
    }

    private static Verdict.Lenient lenient(String why, Integer... statuses) {
        return new Verdict.Lenient(Set.of(statuses), why);
    }

    private static final Map<String, Verdict> VERDICTS = new TreeMap<>(Map.ofEntries(
            // §3.1.1 valid messages
            // valid, but its To tag names a dialog we do not have: 481 is the normal answer of a UAS
            Map.entry("wsinv", answer("3.1.1.1 short tortuous INVITE (in-dialog: 481)", 481)),
            Map.entry("intmeth", answer("3.1.1.2 unknown method with unusual characters: 501", 501)),
            Map.entry("esc01", new Verdict.Call("3.1.1.3 valid % escaping")),
            Map.entry("escnull", answer("3.1.1.4 escaped nulls; REGISTER: we are not a registrar (405)", 405)),
            Map.entry("esc02", answer("3.1.1.5 RE%47IST%45R is an unknown method (501)", 501)),
            Map.entry("lwsdisp", answer("3.1.1.6 no LWS between display name and <", 200)),
            Map.entry("longreq", new Verdict.Call("3.1.1.7 long values")),
            Map.entry("dblreq", answer("3.1.1.8 extra octets after Content-Length; REGISTER (405)", 405)),
            Map.entry("semiuri", answer("3.1.1.9 semicolons in user part", 200)),
            Map.entry("transports", answer("3.1.1.10 varied transports in Via", 200)),
            Map.entry("mpart01", answer("3.1.1.11 multipart MESSAGE; not a method we serve (405)", 405)),
            Map.entry("unreason", new Verdict.Stray("3.1.1.12 response with unusual reason phrase")),
            Map.entry("noreason", new Verdict.Stray("3.1.1.13 response with empty reason phrase")),
            // §3.1.2 invalid messages
            Map.entry("badinv01", new Verdict.Refuse("3.1.2.1 extraneous header field separators")),
            Map.entry("clerr", new Verdict.Refuse("3.1.2.2 Content-Length larger than message")),
            Map.entry("ncl", new Verdict.Refuse("3.1.2.3 negative Content-Length")),
            Map.entry("scalar02", new Verdict.Refuse("3.1.2.4 overlarge scalar fields")),
            Map.entry("scalarlg", new Verdict.Stray("3.1.2.5 response with overlarge scalars")),
            Map.entry("quotbal", new Verdict.Refuse("3.1.2.6 unterminated quoted string")),
            Map.entry("ltgtruri", new Verdict.Refuse("3.1.2.7 <> around Request-URI")),
            Map.entry("lwsruri", new Verdict.Refuse("3.1.2.8 LWS inside Request-URI")),
            Map.entry("lwsstart", lenient("3.1.2.9 multiple SP in Request-Line: reject or ignore the SPs")),
            Map.entry("trws", lenient("3.1.2.10 SP at end of Request-Line: reject or ignore the SPs", 200)),
            Map.entry("escruri", new Verdict.Refuse("3.1.2.11 escaped headers in Request-URI")),
            Map.entry("baddate", lenient("3.1.2.12 bad Date zone: reject only if Date matters; we ignore Date")),
            Map.entry("regbadct", new Verdict.Refuse("3.1.2.13 name-addr not in <>")),
            // the RI's parser is liberal here (allowed by the RFC): the spaces are ignored and OPTIONS gets 200
            Map.entry("badaspec", lenient("3.1.2.14 spaces in addr-spec: 400 or ignore them", 200)),
            // the RI infers the quotes (allowed: we are not a proxy and nothing is signed)
            Map.entry("baddn", lenient("3.1.2.15 unquoted non-token display name: 400 or infer quotes", 200)),
            Map.entry("badvers", answer("3.1.2.16 SIP/7.0: 505 (RFC 3261 §21.5.6)", 505)),
            Map.entry("mismatch01", new Verdict.Refuse("3.1.2.17 CSeq method mismatch")),
            Map.entry("mismatch02", new Verdict.Refuse("3.1.2.18 unknown method, CSeq mismatch")),
            Map.entry("bigcode", new Verdict.Stray("3.1.2.19 overlarge response code")),
            // §3.2 transaction layer
            Map.entry("badbranch", lenient("3.2.1 branch is only the magic cookie: 400 or RFC 2543 matching", 200)),
            // §3.3 application layer
            Map.entry("insuf", new Verdict.Refuse("3.3.1 missing Call-ID/From/To: 400 if possible, else drop")),
            Map.entry("unkscm", answer("3.3.2 unknown Request-URI scheme: 416", 416)),
            Map.entry("novelsc", answer("3.3.3 soap.beep Request-URI: 416", 416)),
            Map.entry("unksm2", answer("3.3.4 unknown schemes in headers; REGISTER (405)", 405)),
            Map.entry("bext01", answer("3.3.5 unknown Require: 420 (Proxy-Require is for proxies)", 420)),
            Map.entry("invut", answer("3.3.6 unknown Content-Type: 415", 415)),
            Map.entry("regaut01", answer("3.3.7 unknown auth scheme; REGISTER (405, not a registrar)", 405)),
            Map.entry("multi01", answer("3.3.8 several values in single-value fields: 400", 400)),
            // over UDP the RFC lets the receiver discard the rest of the datagram and process the request
            Map.entry("mcl01", lenient("3.3.9 two Content-Length values (UDP: discard remainder)", 200)),
            Map.entry("bcast", new Verdict.Stray("3.3.10 200 OK with broadcast Via")),
            Map.entry("zeromf", answer("3.3.11 Max-Forwards 0 at a UAS: processed normally", 200)),
            Map.entry("cparam01", answer("3.3.12 Content-Type parameters; REGISTER (405)", 405)),
            Map.entry("cparam02", answer("3.3.13 Content-Type parameters; REGISTER (405)", 405)),
            Map.entry("regescrt", answer("3.3.14 escaped header in Contact; REGISTER (405)", 405)),
            Map.entry("sdp01", answer("3.3.15 Accept without application/sdp: 406", 406)),
            // §3.4 backward compatibility
            // Deviation: RFC 4475 wants RFC 2543 syntax accepted "by elements that want backwards compatibility".
            // We assume Max-Forwards 70 when absent, but this INVITE also lacks Contact, without which the RI
            // cannot build a dialog (RFC 3261 §8.1.1.8 requires it), so it gets a stateless 400 and no call.
            Map.entry("inv2543", answer("3.4.1 RFC 2543 INVITE without Contact: 400 (see comment)", 400))));

    private static final Pattern BRANCH = Pattern.compile("(?i)branch[ \\t]*=[ \\t]*([^;\\s]+)");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*(\\S+)");

    private final Map<String, List<Integer>> answered = new ConcurrentHashMap<>();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Test
    void everyTortureMessageHandledAndServiceStillServes() throws Exception {
        Path dir = Path.of(System.getProperty("warmline.shared", "../../shared"), "vectors", "rfc4475");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
        }
        assertEquals(VERDICTS.size(), files.size(), "a verdict for every vector");

        InboundCallHandler handler = new InboundCallHandler() {
            @Override
            public java.util.concurrent.Executor executorFor(InboundCall call) {
                return Runnable::run;
            }

            @Override
            public void onInvite(InboundLeg leg) {
                calls.add(leg.callId());
                leg.reject(488, null, "399 torture test");
            }
        };
        SipSettings settings = new SipSettings(List.of(new SipListenPoint("udp", "127.0.0.1", 0)), null, 65535,
                java.time.Duration.ofSeconds(1800), java.time.Duration.ofSeconds(90), 100, java.time.Duration.ofMillis(5));
        try (SipService sip = new SipService(settings, List.of(TestSupport.permissive(5060)), handler)) {
            sip.start();
            sip.core().setObserver(new SipCore.Observer() {
                @Override
                public void requestReceived(Request request) {
                    received.add(callId(request));
                }

                @Override
                public void responseSent(Response response) {
                    answered.computeIfAbsent(callId(response), k -> new CopyOnWriteArrayList<>())
                            .add(response.getStatusCode());
                }
            });
            int port = sip.localPort("udp");
            int baseline = sip.core().serverTransactionCount();
            List<String> failures = new ArrayList<>();
            Set<String> branches = new java.util.HashSet<>();
            try (RawPeer peer = new RawPeer("127.0.0.1", port)) {
                for (Path f : files) {
                    String name = f.getFileName().toString().replace(".dat", "");
                    byte[] raw = Files.readAllBytes(f);
                    Matcher m = CALL_ID.matcher(new String(raw, StandardCharsets.ISO_8859_1));
                    String callId = m.find() ? m.group(1) : null;
                    Matcher b = BRANCH.matcher(new String(raw, StandardCharsets.ISO_8859_1));
                    String branch = b.find() ? b.group(1).toLowerCase(java.util.Locale.ROOT) : null;
                    if (branch != null && !branches.add(branch)) {
                        // 22 vectors share one branch; a transaction is matched by it (RFC 3261 §17.2.3), so let
                        // the previous one finish (Timer J/H = 64*T1) or this vector would be absorbed as a
                        // retransmission.
                        awaitTrue(() -> sip.core().serverTransactionCount() <= baseline, 5000, "transactions done");
                    }
                    peer.sendRaw(raw);
                    probe(peer, port, name);
                    String problem = judge(VERDICTS.get(name), callId);
                    if (problem != null) {
                        failures.add(name + ": " + problem + " [" + VERDICTS.get(name) + "] received="
                                + (callId != null && received.contains(callId)) + " answered="
                                + (callId == null ? null : answered.get(callId)));
                    }
                }
                assertTrue(failures.isEmpty(), String.join("\n", failures));

                // still serving: a normal OPTIONS and a normal INVITE
                String optionsId = UUID.randomUUID() + "@after";
                peer.send(peer.request("OPTIONS", "sip:x@127.0.0.1:" + port, optionsId, 1, null, null));
                assertEquals(200, peer.awaitFinal("OPTIONS", 2000).status());
                String inviteId = UUID.randomUUID() + "@after";
                peer.send(peer.request("INVITE", "sip:1000@127.0.0.1:" + port, inviteId, 1, null, sdp("c", 1)));
                SipMsg r = peer.await(x -> x.isResponse() && x.header("call-id").equals(inviteId) && x.status() >= 200, 2000);
                assertEquals(488, r.status());
                assertTrue(calls.contains(inviteId));
                peer.send("ACK sip:1000@127.0.0.1:" + port + " SIP/2.0\r\nVia: " + r.header("via") + "\r\nFrom: "
                        + r.header("from") + "\r\nTo: " + r.header("to") + "\r\nCall-ID: " + inviteId
                        + "\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            }
            // no leaked transaction once Timer H/J (64*T1) have run, no leg left
            long start = System.nanoTime();
            awaitTrue(() -> sip.core().serverTransactionCount() <= baseline, 20_000,
                    "server transactions back to " + baseline + " (now " + sip.core().serverTransactionCount() + ")");
            assertEquals(0, sip.activeCalls());
            org.slf4j.LoggerFactory.getLogger(getClass()).info("transactions drained in {} ms",
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** A unique OPTIONS after each vector: proves the stack still answers, and orders the check. */
    private void probe(RawPeer peer, int port, String after) throws Exception {
        String id = "probe-" + after + "-" + UUID.randomUUID();
        peer.send(peer.request("OPTIONS", "sip:probe@127.0.0.1:" + port, id, 1, null, null));
        SipMsg r = peer.await(x -> x.isResponse() && id.equals(x.header("call-id")), 2000);
        assertEquals(200, r.status(), "probe after " + after);
    }

    private String judge(Verdict v, String callIdOrNull) throws InterruptedException {
        String callId = callIdOrNull == null ? "(none)" : callIdOrNull;
        if (v instanceof Verdict.Call) {
            try {
                awaitTrue(() -> calls.contains(callId), 1000, "the handler");
            } catch (AssertionError e) {
                return "valid INVITE did not reach the handler";
            }
            return null;
        }
        if (v instanceof Verdict.Answer a) {
            try {
                awaitTrue(() -> answered.containsKey(callId), 1000, "an answer");
            } catch (AssertionError e) {
                return "no answer, expected " + a.statuses();
            }
            List<Integer> got = answered.get(callId);
            return got.stream().anyMatch(a.statuses()::contains) ? null : "answered " + got + ", expected " + a.statuses();
        }
        if (v instanceof Verdict.Lenient l) {
            List<Integer> got = answered.getOrDefault(callId, List.of());
            boolean ok = got.stream().allMatch(s -> s >= 400 && s < 500 || l.statuses().contains(s) || s == 100);
            return ok ? null : "answered " + got + ", expected 4xx, nothing, or " + l.statuses();
        }
        if (v instanceof Verdict.Refuse) {
            if (calls.contains(callId)) {
                return "an invalid message created a call";
            }
            List<Integer> got = answered.getOrDefault(callId, List.of());
            return got.stream().allMatch(s -> s >= 400 && s < 500) ? null : "answered " + got + ", expected 4xx or nothing";
        }
        return callIdOrNull != null && (answered.containsKey(callId) || calls.contains(callId))
                ? "a response message was answered" : null;
    }

    private static String callId(javax.sip.message.Message m) {
        CallIdHeader h = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
        return h == null ? null : h.getCallId();
    }
}
