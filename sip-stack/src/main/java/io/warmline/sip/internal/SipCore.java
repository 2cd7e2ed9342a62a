package io.warmline.sip.internal;

import gov.nist.core.CommonLogger;
import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import io.warmline.sip.ConversationId;
import io.warmline.sip.FailureReason;
import io.warmline.sip.InboundCall;
import io.warmline.sip.InboundCallHandler;
import io.warmline.sip.OutboundLeg;
import io.warmline.sip.SipListenPoint;
import io.warmline.sip.SipSettings;
import io.warmline.sip.SipStartException;
import io.warmline.sip.Trunk;
import io.warmline.sip.UdpLaneStats;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP adapter: owns the stack, its providers and listener, admits inbound calls (trunk ACL, number,
 * limits), places outbound ones, and hands every dialog event to the leg's strand. Thread-safe.
 */
public final class SipCore implements SipListenerExt {

    private static final Logger LOG = LoggerFactory.getLogger("io.warmline.sip");
    private static final Logger WIRE = LoggerFactory.getLogger("io.warmline.sip.wire");

    public static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO";
    /** Option tags we support (RFC 3261 §8.2.2.3 answers others in Require with 420). */
    public static final Set<String> SUPPORTED = Set.of("timer");
    /** Retry-After on 503 while draining or full (RFC 3261 §20.33). */
    public static final int RETRY_AFTER_SECONDS = 30;
    private static final AtomicInteger STACKS = new AtomicInteger();

    /** A listening point and what goes in Contact/Via for it. */
    public record Endpoint(SipProvider provider, String transport, String host, int port, String contactHost) {
    }

    /** Sees what the service receives and answers (test and metrics hook). */
    public interface Observer {
        void requestReceived(Request request);

        void responseSent(Response response);
    }

    private final SipSettings settings;
    private final List<Trunk> trunks;
    private final InboundCallHandler handler;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final List<CompactUdpMessageProcessor> udpProcessors = new CopyOnWriteArrayList<>();
    private final Set<Leg> legs = ConcurrentHashMap.newKeySet();
    private final Map<String, InboundLegImpl> pendingInvites = new ConcurrentHashMap<>();
    private final AtomicLong aclRejected = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong limitRejected = new AtomicLong();
    private volatile boolean draining;
    private volatile boolean closed;
    private volatile Observer observer;
    private SipStackImpl stack;
    private HeaderFactoryImpl headers;
    private MessageFactoryImpl messages;
    private AddressFactoryImpl addresses;
    private ThreadPoolExecutor workers;
    private ScheduledThreadPoolExecutor timers;

    public SipCore(SipSettings settings, List<Trunk> trunks, InboundCallHandler handler) {
        this.settings = settings;
        this.trunks = List.copyOf(trunks);
        this.handler = handler;
    }

    // ---- life cycle ----

    public synchronized void start() throws SipStartException {
        if (stack != null) {
            throw new IllegalStateException("already started");
        }
        TlsMaterial tls = settings.tls() == null ? null : TlsMaterial.load(settings.tls());
        // The RI's static loggers resolve lazily through CommonLogger; point them at SLF4J before anything logs.
        CommonLogger.legacyLogger = new Slf4jStackLogger();
        String name = "warmline-" + STACKS.incrementAndGet();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(10_000, settings.maxCalls() * 16)), daemon(name + "-worker"));
        timers = new ScheduledThreadPoolExecutor(1, daemon(name + "-timer"));
        timers.setRemoveOnCancelPolicy(true);
        try {
            java.util.Properties properties = StackProperties.build(name, settings);
            if (tls != null) {
                tls.addStackProperties(properties);
            }
            stack = new SipStackImpl(properties);
            if (tls != null) {
                if (!(stack.getNetworkLayer() instanceof TlsNetworkLayer layer)) {
                    throw new IllegalStateException("gov.nist.javax.sip.NETWORK_LAYER is overridden by a system property");
                }
                layer.attach(tls);
            }
            headers = new HeaderFactoryImpl();
            messages = new MessageFactoryImpl();
            addresses = new AddressFactoryImpl();
            for (SipListenPoint lp : settings.listen()) {
                int wanted = lp.port() != 0 ? lp.port() : freePort(lp.host(), lp.transport());
                ListeningPoint jlp = stack.createListeningPoint(lp.host(), wanted, lp.transport());
                int port = jlp.getPort();
                if (((ListeningPointImpl) jlp).getMessageProcessor() instanceof CompactUdpMessageProcessor p) {
                    udpProcessors.add(p);
                }
                String contactHost = settings.advertisedHost() != null ? settings.advertisedHost() : lp.host();
                if (isWildcard(contactHost)) {
                    contactHost = InetAddress.getLocalHost().getHostAddress();
                    LOG.warn("listening on {} without an advertised host: using {} in Contact/Via", lp.host(), contactHost);
                }
                if (!contactHost.equals(lp.host())) {
                    ((ListeningPointImpl) jlp).setSentBy(hostPort(contactHost, port));
                }
                SipProvider provider = stack.createSipProvider(jlp);
                provider.addSipListener(this);
                endpoints.add(new Endpoint(provider, lp.transport(), lp.host(), port, contactHost));
                LOG.info("SIP listening on {} {}:{} (contact {})", lp.transport(), lp.host(), port, contactHost);
            }
            stack.start();
        } catch (Exception e) {
            close();
            throw new SipStartException("SIP stack failed to start: " + e.getMessage(), e);
        }
    }

    public void stopAccepting() {
        draining = true;
        LOG.info("draining: new INVITEs get 503");
    }

    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Leg leg : List.copyOf(legs)) {
            leg.post(leg::shutdown);
        }
        if (workers != null) {
            workers.shutdown();
            try {
                workers.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (stack != null) {
            stack.stop();
        }
        LOG.info("SIP stack stopped");
    }

    public int activeCalls() {
        return legs.size();
    }

    public int localPort(String transport) {
        for (Endpoint e : endpoints) {
            if (e.transport().equalsIgnoreCase(transport)) {
                return e.port();
            }
        }
        throw new IllegalArgumentException("no " + transport + " listening point");
    }

    public void setObserver(Observer observer) {
        this.observer = observer;
    }

    /** Server transactions in the RI's table (unmapped and mapped). */
    public int serverTransactionCount() {
        return stack.getServerTransactionTableSize();
    }

    public int clientTransactionCount() {
        return stack.getClientTransactionTableSize();
    }

    public long aclRejectedCount() {
        return aclRejected.get();
    }

    public long limitRejectedCount() {
        return limitRejected.get();
    }

    public long malformedCount() {
        return malformed.get();
    }

    /** The UDP worker lanes' counts and depths, summed lane by lane over the UDP listening points. */
    public UdpLaneStats udpLaneStats() {
        List<CompactUdpMessageProcessor> ps = udpProcessors;
        if (ps.isEmpty()) {
            return UdpLaneStats.NONE;
        }
        long full = 0;
        long stale = 0;
        int capacity = 0;
        int peak = 0;
        int[] depths = new int[0];
        long processed = 0;
        long busy = 0;
        long slow = 0;
        long slowest = 0;
        for (CompactUdpMessageProcessor p : ps) {
            CallIdLanes l = p.lanes();
            processed += l.processed();
            busy += l.busyNanos();
            slow += l.slow();
            slowest = Math.max(slowest, l.slowestNanos());
            full += l.fullDrops();
            stale += l.expiredDrops();
            capacity = Math.max(capacity, l.capacity());
            peak = Math.max(peak, l.peakDepth());
            if (depths.length < l.laneCount()) {
                depths = Arrays.copyOf(depths, l.laneCount());
            }
            for (int i = 0; i < l.laneCount(); i++) {
                depths[i] += l.depth(i);
            }
        }
        List<Integer> d = new ArrayList<>(depths.length);
        for (int x : depths) {
            d.add(x);
        }
        return new UdpLaneStats(full, stale, capacity, peak, d, processed, busy, slow, slowest);
    }

    // ---- outbound ----

    public OutboundLeg dial(Trunk trunk, String number, ConversationId conversation, String sdpOffer,
                            Executor callExecutor, OutboundLeg.Listener listener) {
        if (closed || stack == null) {
            throw new IllegalStateException("SIP service is not running");
        }
        if (!Trunk.isDialable(number)) {
            throw new IllegalArgumentException("not a dialable number: " + number);
        }
        Endpoint ep = endpointFor(trunk.transport());
        String callId = ep != null ? ep.provider().getNewCallId().getCallId() : newTag() + "@warmline";
        OutboundLegImpl leg = new OutboundLegImpl(this, ep, trunk, number, conversation, callId, sdpOffer,
                callExecutor, listener);
        if (ep == null) {
            leg.callback(() -> listener.onFailed(FailureReason.TRUNK_ERROR, 503,
                    "No " + trunk.transport() + " listening point"));
            return leg;
        }
        if (legs.size() >= settings.maxCalls()) {
            LOG.warn("dial refused: {} legs active (maxCalls)", legs.size());
            leg.callback(() -> listener.onFailed(FailureReason.UNAVAILABLE, 503, "Too many calls"));
            return leg;
        }
        legs.add(leg);
        leg.post(leg::start);
        return leg;
    }

    Request buildInvite(Endpoint ep, Trunk trunk, String number, ConversationId conv, String callId, String sdp,
                        long sessionExpires, long minSe) throws Exception {
        SipURI ruri = addresses.createSipURI(Trunk.uriUser(number), trunk.outboundHost());
        ruri.setPort(trunk.outboundPort());
        ruri.setTransportParam(trunk.transport());
        String fromUser = trunk.callerId() != null ? trunk.callerId()
                : trunk.credentials() != null ? trunk.credentials().username() : "anonymous";
        SipURI fromUri = addresses.createSipURI(fromUser,
                fromUser.equals("anonymous") ? "anonymous.invalid" : ep.contactHost());
        FromHeader from = headers.createFromHeader(addresses.createAddress(fromUri), newTag());
        SipURI toUri = addresses.createSipURI(Trunk.uriUser(number), trunk.outboundHost());
        ToHeader to = headers.createToHeader(addresses.createAddress(toUri), null);
        CallIdHeader cid = headers.createCallIdHeader(callId);
        CSeqHeader cseq = headers.createCSeqHeader(1L, Request.INVITE);
        ViaHeader via = headers.createViaHeader(ep.contactHost(), ep.port(), ep.transport(), newBranch());
        Request req = messages.createRequest(ruri, Request.INVITE, cid, cseq, from, to, List.of(via),
                headers.createMaxForwardsHeader(70));
        addContact(req, ep);
        if (trunk.proxyHost() != null) {
            SipURI route = addresses.createSipURI(null, trunk.proxyHost());
            route.setPort(trunk.proxyPort());
            route.setLrParam();
            route.setTransportParam(trunk.transport());
            req.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        }
        addCapabilities(req);
        addHeader(req, "Session-Expires", Long.toString(sessionExpires));
        addHeader(req, "Min-SE", Long.toString(minSe));
        addHeader(req, "X-Conversation-ID", conv.value());
        addHeader(req, "User-to-User", conv.toUserToUserHeader());
        for (Map.Entry<String, String> h : trunk.extraHeaders().entrySet()) {
            addHeader(req, h.getKey(), h.getValue());
        }
        if (sdp != null) {
            setSdp(req, sdp);
        }
        return req;
    }

    private Endpoint endpointFor(String transport) {
        for (Endpoint e : endpoints) {
            if (e.transport().equals(transport)) {
                return e;
            }
        }
        return null;
    }

    // ---- SipListener ----

    @Override
    public void processRequest(RequestEvent ev) {
        if (closed) {
            return;
        }
        Request req = ev.getRequest();
        try {
            if (WIRE.isDebugEnabled()) {
                WIRE.debug("received\n{}", Secrets.mask(req.toString()));
            }
            Observer o = observer;
            if (o != null) {
                o.requestReceived(req);
            }
            dispatch(ev, (SipProvider) ev.getSource(), req);
        } catch (RuntimeException e) {
            malformed.incrementAndGet();
            LOG.warn("{} could not be handled: {}", req.getMethod(), e.toString());
        }
    }

    private void dispatch(RequestEvent ev, SipProvider provider, Request req) {
        String method = req.getMethod();
        if (req instanceof SIPRequest sr && sr.getApplicationData() instanceof RawMessageCheck.Defect d) {
            malformed.incrementAndGet();
            if (!method.equals(Request.ACK)) {
                Response r = response(d.status(), req);
                setReasonPhrase(r, d.reason());
                respondNew(provider, req, ev.getServerTransaction(), r);
            }
            return;
        }
        if (req.getHeader(MaxForwardsHeader.NAME) == null) {
            try {
                req.setHeader(headers.createMaxForwardsHeader(70)); // RFC 2543 peers omit it (RFC 4475 §3.4.1)
            } catch (Exception e) {
                return;
            }
        }
        if (method.equals(Request.ACK)) {
            Dialog d = ev.getDialog();
            if (d != null && d.getApplicationData() instanceof Leg leg) {
                leg.post(() -> leg.onAck(req));
            }
            return;
        }
        if (method.equals(Request.CANCEL)) {
            onCancel(ev, provider, req);
            return;
        }
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        if (to != null && to.getTag() != null) {
            Dialog d = ev.getDialog();
            if (d != null && d.getApplicationData() instanceof Leg leg) {
                leg.post(() -> leg.onInDialogRequest(ev.getServerTransaction(), req));
            } else {
                respondNew(provider, req, ev.getServerTransaction(), response(481, req));
            }
            return;
        }
        switch (method) {
            case Request.INVITE -> onInvite(ev, provider, req);
            case Request.OPTIONS -> {
                if (!checkUriAndRequire(provider, req, ev.getServerTransaction())) {
                    return;
                }
                respondNew(provider, req, ev.getServerTransaction(), optionsResponse(req));
            }
            case Request.BYE, Request.UPDATE, Request.INFO, Request.PRACK, Request.NOTIFY ->
                    respondNew(provider, req, ev.getServerTransaction(), response(481, req));
            case Request.REGISTER, Request.SUBSCRIBE, Request.PUBLISH, Request.MESSAGE, Request.REFER ->
                    respondNew(provider, req, ev.getServerTransaction(), methodNotAllowed(req));
            default -> respondNew(provider, req, ev.getServerTransaction(), response(501, req));
        }
    }

    /** RFC 3261 §8.2.2.1 (416 for a non-SIP Request-URI) and §8.2.2.3 (420 for unknown Require). */
    private boolean checkUriAndRequire(SipProvider provider, Request req, ServerTransaction st) {
        if (!(req.getRequestURI() instanceof SipURI uri)) {
            respondNew(provider, req, st, response(416, req));
            return false;
        }
        if (uri.getHeaderNames() != null && uri.getHeaderNames().hasNext()) {
            respondNew(provider, req, st, response(400, req)); // RFC 3261 §19.1.5: headers not allowed here
            return false;
        }
        List<String> unsupported = new ArrayList<>();
        for (String tag : optionTags(req, "Require")) {
            if (!SUPPORTED.contains(tag)) {
                unsupported.add(tag);
            }
        }
        if (!unsupported.isEmpty()) {
            Response r = response(420, req);
            addHeader(r, "Unsupported", String.join(", ", unsupported));
            respondNew(provider, req, st, r);
            return false;
        }
        return true;
    }

    private void onInvite(RequestEvent ev, SipProvider provider, Request req) {
        Endpoint ep = endpointOf(provider);
        InetAddress source = sourceOf(req);
        URI ruri = req.getRequestURI();
        String number = ruri instanceof SipURI su ? su.getUser() : null;
        Trunk trunk = null;
        for (Trunk t : trunks) {
            if (t.admits(source, number)) {
                trunk = t;
                break;
            }
        }
        if (trunk == null) {
            // Same answer whatever the number; stateless so that scanners cost no transaction.
            aclRejected.incrementAndGet();
            LOG.debug("INVITE from {} for {} refused (403): no trunk admits it", source, number);
            sendStateless(provider, response(403, req, newTag()));
            return;
        }
        ServerTransaction st0 = ev.getServerTransaction();
        if (!checkUriAndRequire(provider, req, st0)) {
            return;
        }
        if (draining || legs.size() >= settings.maxCalls()) {
            Response r = response(503, req, newTag());
            addHeader(r, "Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            respondNew(provider, req, st0, r);
            limitRejected.incrementAndGet();
            LOG.info("INVITE refused (503): {}", draining ? "draining" : "maxCalls reached");
            return;
        }
        if (!acceptsSdp(req)) {
            Response r = response(406, req, newTag()); // our 2xx would carry SDP (RFC 3261 §21.4.7)
            addHeader(r, "Accept", "application/sdp");
            respondNew(provider, req, st0, r);
            return;
        }
        String offer;
        try {
            offer = sdpOf(req);
        } catch (IllegalArgumentException e) {
            Response r = response(415, req, newTag());
            addHeader(r, "Accept", "application/sdp");
            respondNew(provider, req, st0, r);
            return;
        }
        SessionTimerPolicy.UasDecision decision = sessionDecision(req);
        if (decision instanceof SessionTimerPolicy.UasDecision.TooSmall small) {
            Response r = response(422, req, newTag());
            addHeader(r, "Min-SE", Long.toString(small.minSe()));
            respondNew(provider, req, st0, r);
            return;
        }
        ServerTransaction st = serverTransaction(provider, req, st0);
        if (st == null) {
            return;
        }
        String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        ConversationId conv = ConversationId.fromHeaders(header(req, "X-Conversation-ID"), header(req, "User-to-User"))
                .orElseGet(ConversationId::generate);
        String caller = callerOf(req);
        InboundCall call = new InboundCall(conv, trunk, number, caller, callId);
        Executor executor;
        try {
            executor = handler.executorFor(call);
        } catch (RuntimeException e) {
            LOG.error("executorFor failed; 500", e);
            respond(st, response(500, req, newTag()));
            return;
        }
        Dialog dialog;
        try {
            dialog = provider.getNewDialog(st);
        } catch (Exception e) {
            LOG.warn("no dialog for INVITE: {}", e.toString());
            respond(st, response(500, req, newTag()));
            return;
        }
        String key = inviteKey(req);
        InboundLegImpl leg = new InboundLegImpl(this, ep, st, req, trunk, conv, callId, number, caller, offer,
                decision, key, executor);
        leg.dialog = dialog;
        dialog.setApplicationData(leg);
        st.setApplicationData(leg);
        legs.add(leg);
        pendingInvites.put(key, leg);
        respond(st, response(100, req));
        org.slf4j.MDC.put(Mdc.CONV, conv.value());
        org.slf4j.MDC.put(Mdc.CALL_ID, callId);
        try {
            LOG.info("INVITE from {} ({}) for {} on trunk {}", source, caller, number, trunk.name());
        } finally {
            org.slf4j.MDC.remove(Mdc.CONV);
            org.slf4j.MDC.remove(Mdc.CALL_ID);
        }
        leg.callbackAlways(() -> handler.onInvite(leg));
    }

    private void onCancel(RequestEvent ev, SipProvider provider, Request req) {
        ServerTransaction st = serverTransaction(provider, req, ev.getServerTransaction());
        if (st == null) {
            return;
        }
        InboundLegImpl leg = pendingInvites.get(inviteKey(req));
        if (leg == null) {
            respond(st, response(481, req)); // RFC 3261 §9.2
            return;
        }
        leg.post(() -> leg.onCancel(st, req));
    }

    @Override
    public void processResponse(ResponseEvent ev) {
        Response resp = ev.getResponse();
        if (WIRE.isDebugEnabled()) {
            WIRE.debug("received\n{}", Secrets.mask(resp.toString()));
        }
        ClientTransaction ct = ev.getClientTransaction();
        if (ct == null) {
            Dialog d = ev.getDialog();
            if (resp.getStatusCode() / 100 == 2 && d != null && d.getApplicationData() instanceof Leg leg) {
                leg.post(() -> leg.onStray2xx(resp));
            }
            return;
        }
        if (ct.getApplicationData() instanceof Leg.TxTag tag) {
            tag.leg().post(() -> tag.leg().onResponse(tag, ct, resp));
        }
    }

    @Override
    public void processTimeout(TimeoutEvent ev) {
        if (!ev.isServerTransaction() && ev.getClientTransaction().getApplicationData() instanceof Leg.TxTag tag) {
            tag.leg().post(() -> tag.leg().onTimeout(tag));
        }
    }

    @Override
    public void processIOException(IOExceptionEvent ev) {
        LOG.debug("transport error towards {}:{}/{}", ev.getHost(), ev.getPort(), ev.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent ev) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent ev) {
    }

    @Override
    public void processDialogTimeout(DialogTimeoutEvent ev) {
        LOG.debug("dialog timeout: {}", ev.getReason());
    }

    // ---- helpers used by legs ----

    SipSettings settings() {
        return settings;
    }

    Executor workers() {
        return workers;
    }

    ScheduledThreadPoolExecutor timers() {
        return timers;
    }

    long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /** RFC 3261 §13.3.1.4: 64*T1. */
    long ackTimeoutMs() {
        return 64 * settings.t1().toMillis();
    }

    void release(Leg leg) {
        legs.remove(leg);
    }

    void forgetInvite(String key) {
        pendingInvites.remove(key);
    }

    ServerTransaction serverTransaction(SipProvider provider, Request req, ServerTransaction existing) {
        if (existing != null) {
            return existing;
        }
        try {
            ServerTransaction st = provider.getNewServerTransaction(req);
            try {
                st.setRetransmitTimer((int) settings.t1().toMillis());
            } catch (RuntimeException e) {
                LOG.trace("T1 not set on server transaction: {}", e.toString());
            }
            return st;
        } catch (TransactionAlreadyExistsException e) {
            return null; // a retransmission: the transaction layer answers it
        } catch (javax.sip.TransactionUnavailableException e) {
            // the RI refuses requests lacking what RFC 3261 requires (e.g. Contact in INVITE): 400, statelessly
            malformed.incrementAndGet();
            LOG.debug("400 for {}: {}", req.getMethod(), e.getMessage());
            if (!req.getMethod().equals(Request.ACK)) {
                Response r = response(400, req);
                setReasonPhrase(r, "Bad Request");
                sendStateless(provider, r);
            }
            return null;
        } catch (Exception e) {
            LOG.debug("no server transaction for {}: {}", req.getMethod(), e.toString());
            return null;
        }
    }

    ClientTransaction clientTransaction(SipProvider provider, Request req) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(req);
        ct.setRetransmitTimer((int) settings.t1().toMillis());
        return ct;
    }

    boolean respond(ServerTransaction st, Response r) {
        try {
            sent(r);
            st.sendResponse(r);
            return true;
        } catch (Exception e) {
            LOG.warn("{} could not be sent: {}", r.getStatusCode(), e.toString());
            return false;
        }
    }

    private void respondNew(SipProvider provider, Request req, ServerTransaction existing, Response r) {
        ServerTransaction st = serverTransaction(provider, req, existing);
        if (st != null) {
            respond(st, r);
        }
    }

    private void sendStateless(SipProvider provider, Response r) {
        try {
            sent(r);
            provider.sendResponse(r);
        } catch (Exception e) {
            LOG.debug("stateless {} not sent: {}", r.getStatusCode(), e.toString());
        }
    }

    private void sent(Response r) {
        if (WIRE.isDebugEnabled()) {
            WIRE.debug("sending\n{}", Secrets.mask(r.toString()));
        }
        Observer o = observer;
        if (o != null) {
            o.responseSent(r);
        }
    }

    Response response(int status, Request req) {
        return response(status, req, status == 100 ? null : newTag());
    }

    /** A response with the To tag set when it has none (RFC 3261 §8.2.6.2); {@code toTag} null leaves it. */
    Response response(int status, Request req, String toTag) {
        try {
            Response r = messages.createResponse(status, req);
            ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
            if (toTag != null && to != null && to.getTag() == null) {
                to.setTag(toTag);
            }
            r.addHeader(headers.createHeader("Server", "Warmline"));
            return r;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build " + status, e);
        }
    }

    Response optionsResponse(Request req) {
        Response r = response(200, req);
        addCapabilities(r);
        addHeader(r, "Accept", "application/sdp");
        return r;
    }

    Response methodNotAllowed(Request req) {
        Response r = response(405, req);
        addHeader(r, "Allow", ALLOW);
        return r;
    }

    void setReasonPhrase(Response r, String phrase) {
        try {
            r.setReasonPhrase(phrase.replace('\r', ' ').replace('\n', ' '));
        } catch (Exception e) {
            LOG.debug("reason phrase refused: {}", e.toString());
        }
    }

    /** RFC 3261 §20.43: {@code <code> <agent> "<text>"}. */
    void addWarning(Response r, String warning, Endpoint ep) {
        String w = warning.trim();
        int code = 399;
        if (w.length() > 4 && w.substring(0, 3).chars().allMatch(Character::isDigit) && w.charAt(3) == ' ') {
            code = Integer.parseInt(w.substring(0, 3));
            w = w.substring(4).trim();
        }
        if (code < 300 || code > 399) {
            code = 399;
        }
        String text = w.replace("\\", "").replace("\"", "'").replace('\r', ' ').replace('\n', ' ');
        addHeader(r, "Warning", code + " " + ep.contactHost() + " \"" + text + "\"");
    }

    void addHeader(Message m, String name, String value) {
        try {
            Header single;
            try {
                single = headers.createHeader(name, value);
            } catch (java.text.ParseException e) {
                // comma lists (Allow, Supported, Unsupported) parse into several header objects in the RI
                for (Object h : headers.createHeaders(name + ": " + value)) {
                    m.addHeader((Header) h);
                }
                return;
            }
            m.addHeader(single);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad header " + name, e);
        }
    }

    void addContact(Message m, Endpoint ep) {
        try {
            SipURI uri = addresses.createSipURI("warmline", ep.contactHost());
            uri.setPort(ep.port());
            if (!ep.transport().equals("udp")) {
                uri.setTransportParam(ep.transport());
            }
            Address a = addresses.createAddress(uri);
            m.setHeader(headers.createContactHeader(a));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build Contact", e);
        }
    }

    void addCapabilities(Message m) {
        addHeader(m, "Allow", ALLOW);
        addHeader(m, "Supported", String.join(", ", SUPPORTED));
    }

    /** Sets a body of media type {@code type} ("application/dtmf-relay"). */
    void setBody(Message m, String type, byte[] body) {
        int slash = type.indexOf('/');
        try {
            m.setContent(body, headers.createContentTypeHeader(type.substring(0, slash), type.substring(slash + 1)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot set " + type + " body", e);
        }
    }

    void setSdp(Message m, String sdp) {
        try {
            ContentTypeHeader ct = headers.createContentTypeHeader("application", "sdp");
            m.setContent(sdp.getBytes(StandardCharsets.UTF_8), ct);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set SDP", e);
        }
    }

    void addSessionExpires(Response r, SessionTimerPolicy.UasDecision.Run run) {
        addHeader(r, "Session-Expires", run.interval() + ";refresher=" + run.refresher().token());
        if (run.requireTimer()) {
            addHeader(r, "Require", "timer");
        }
    }

    SessionTimerPolicy.UasDecision sessionDecision(Request req) {
        String se = header(req, "Session-Expires");
        if (se == null) {
            se = header(req, "x");
        }
        Long interval = seconds(se);
        SessionTimerPolicy.Refresher refresher = se == null ? null : SessionTimerPolicy.Refresher.parse(param(se, "refresher"));
        Long minSe = seconds(header(req, "Min-SE"));
        boolean supports = optionTags(req, "Supported").contains("timer") || optionTags(req, "Require").contains("timer");
        return SessionTimerPolicy.uas(interval, refresher, minSe, supports,
                settings.sessionExpires().toSeconds(), settings.minSe().toSeconds());
    }

    SessionTimerPolicy.UasDecision.Run sessionFromResponse(Response resp) {
        String se = header(resp, "Session-Expires");
        if (se == null) {
            se = header(resp, "x");
        }
        return SessionTimerPolicy.uac(seconds(se),
                se == null ? null : SessionTimerPolicy.Refresher.parse(param(se, "refresher")));
    }

    String header(Message m, String name) {
        Header h = m.getHeader(name);
        return h == null ? null : headerValue(h);
    }

    static String headerValue(Header h) {
        if (h instanceof ExtensionHeader eh) {
            return eh.getValue();
        }
        if (h instanceof SIPHeader sh) {
            return sh.getHeaderValue();
        }
        String s = h.toString();
        int colon = s.indexOf(':');
        return (colon < 0 ? s : s.substring(colon + 1)).trim();
    }

    private List<String> optionTags(Message m, String name) {
        List<String> out = new ArrayList<>();
        for (ListIterator<?> it = m.getHeaders(name); it != null && it.hasNext(); ) {
            for (String t : headerValue((Header) it.next()).split(",")) {
                if (!t.isBlank()) {
                    out.add(t.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** The delta-seconds before any parameter ({@code 1800;refresher=uac}), or null. */
    static Long seconds(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        String v = (semi < 0 ? value : value.substring(0, semi)).trim();
        if (v.isEmpty() || v.length() > 10 || !v.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(v);
    }

    private static String param(String value, String name) {
        for (String p : value.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return p.substring(eq + 1).trim();
            }
        }
        return null;
    }

    /** The SDP of a message, from an application/sdp body or the first such part of a multipart/mixed one. */
    static String body(Message m) {
        byte[] raw = m.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        try {
            return sdpFrom(m, raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Like {@link #body} but throws IllegalArgumentException for a body that holds no SDP. */
    private static String sdpOf(Message m) {
        byte[] raw = m.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        return sdpFrom(m, raw);
    }

    private static String sdpFrom(Message m, byte[] raw) {
        ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
        if (ct == null) {
            throw new IllegalArgumentException("body without Content-Type");
        }
        String type = ct.getContentType().toLowerCase(Locale.ROOT) + "/" + ct.getContentSubType().toLowerCase(Locale.ROOT);
        if (type.equals("application/sdp")) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        if (type.equals("multipart/mixed") && ct.getParameter("boundary") != null) {
            String sdp = MultipartBody.sdpPart(new String(raw, StandardCharsets.ISO_8859_1), ct.getParameter("boundary"));
            if (sdp != null) {
                return new String(sdp.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no SDP in " + type);
    }

    /** No Accept header means application/sdp is acceptable (RFC 3261 §20.1). */
    private boolean acceptsSdp(Request req) {
        ListIterator<?> it = req.getHeaders("Accept");
        if (it == null || !it.hasNext()) {
            return true;
        }
        while (it.hasNext()) {
            for (String t : headerValue((Header) it.next()).split(",")) {
                String type = t.split(";")[0].trim().toLowerCase(Locale.ROOT);
                if (type.equals("application/sdp") || type.equals("application/*") || type.equals("*/*")
                        || type.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private Endpoint endpointOf(SipProvider provider) {
        for (Endpoint e : endpoints) {
            if (e.provider() == provider) {
                return e;
            }
        }
        return endpoints.get(0);
    }

    private static InetAddress sourceOf(Request req) {
        if (req instanceof SIPRequest sr) {
            InetAddress a = sr.getPeerPacketSourceAddress();
            return a != null ? a : sr.getRemoteAddress();
        }
        return null;
    }

    private static String callerOf(Request req) {
        FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
        if (from != null && from.getAddress().getURI() instanceof SipURI su && su.getUser() != null) {
            return su.getUser();
        }
        return "anonymous";
    }

    /** CANCEL matches its INVITE by Call-ID and top Via branch (RFC 3261 §9.2). */
    private static String inviteKey(Request req) {
        String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        return callId + "|" + (via == null ? "" : via.getBranch());
    }

    static String newTag() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** RFC 3261 §8.1.1.7 magic cookie plus 96 random bits. */
    static String newBranch() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return "z9hG4bK" + HexFormat.of().formatHex(b);
    }

    /** The RI refuses port 0: probe the OS for a free ephemeral port (a small race, fine for tests). */
    private static int freePort(String host, String transport) throws java.io.IOException {
        InetAddress addr = InetAddress.getByName(host);
        if (transport.equals("udp")) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(new java.net.InetSocketAddress(addr, 0))) {
                return s.getLocalPort();
            }
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, addr)) {
            return s.getLocalPort();
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
