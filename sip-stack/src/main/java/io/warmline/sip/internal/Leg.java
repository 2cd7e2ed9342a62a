package io.warmline.sip.internal;

import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.info.DtmfInfoCodec;
import io.warmline.dtmf.info.DtmfInfoException;
import io.warmline.sip.ConversationId;
import io.warmline.sip.DtmfInfoCallback;
import io.warmline.sip.EndReason;
import io.warmline.sip.ReinviteCallback;
import io.warmline.sip.ReinviteResponder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What inbound and outbound legs share once a dialog exists: BYE, re-INVITE both ways (with 491/500 glare rules of
 * RFC 3261 §14), DTMF INFO both ways (RFC 6086 legacy usage), session timers (RFC 4028) and the end of the leg.
 *
 * <p>Threading: every field is confined to the leg's {@link Strand}; JAIN-SIP events and API calls are posted to
 * it with {@link #post}. Listener callbacks go through {@link #callback} to the call executor, in order.
 */
abstract class Leg {

    static final Logger LOG = LoggerFactory.getLogger("io.warmline.sip.call");

    /** What a client transaction of this leg is for (its application data). */
    enum Kind { INVITE, REINVITE, REFRESH, BYE, CANCEL, INFO }

    /** DTMF INFOs waiting behind the one in flight; beyond this the sender is told 503. */
    static final int MAX_QUEUED_INFO = 16;
    /** Body types a DTMF INFO may carry (the Accept of a 415). */
    static final String DTMF_TYPES = DtmfInfoCodec.DTMF_RELAY + ", " + DtmfInfoCodec.DTMF;

    private record OutgoingInfo(String contentType, String body, DtmfInfoCallback callback) {
    }

    record TxTag(Leg leg, Kind kind, ReinviteCallback callback, String offer) {
    }

    final SipCore core;
    final SipCore.Endpoint endpoint;
    final ConversationId conversation;
    final String callId;
    private final Strand strand;
    private final Strand callbacks;

    Dialog dialog;
    String localSdp;
    String remoteSdp;
    private ServerTransaction inReinvite;
    /** A re-INVITE that came before the ACK of our 2xx, answered once the ACK is taken up or the leg ends. */
    private ServerTransaction heldReinvite;
    private Request heldReinviteRequest;
    private ClientTransaction outReinvite;
    private SessionTimer sessionTimer;
    private ScheduledFuture<?> sessionFuture;
    private Request lastAck;
    /** One DTMF INFO at a time, so keys arrive in order even over UDP. */
    private final ArrayDeque<OutgoingInfo> infoQueue = new ArrayDeque<>();
    private OutgoingInfo infoInFlight;
    boolean ended;
    /** Set once the application hung up or rejected: no callback is delivered after that. */
    volatile boolean appDone;
    private final AtomicBoolean released = new AtomicBoolean();

    Leg(SipCore core, SipCore.Endpoint endpoint, ConversationId conversation, String callId, Executor callExecutor) {
        this.core = core;
        this.endpoint = endpoint;
        this.conversation = conversation;
        this.callId = callId;
        this.strand = new Strand(core.workers());
        this.callbacks = new Strand(callExecutor);
    }

    /** Runs {@code task} on the leg's strand, with the MDC set. */
    final void post(Runnable task) {
        strand.execute(Mdc.wrap(conversation.value(), callId, task));
    }

    /** Runs a listener callback on the call executor unless the application is done with the leg. */
    final void callback(Runnable task) {
        callbacks.execute(Mdc.wrap(conversation.value(), callId, () -> {
            if (!appDone) {
                task.run();
            }
        }));
    }

    /** Like {@link #callback} but delivered even after the application is done (handler hand-off). */
    final void callbackAlways(Runnable task) {
        callbacks.execute(Mdc.wrap(conversation.value(), callId, task));
    }

    final ScheduledFuture<?> schedule(long delayMs, Runnable task) {
        return core.timers().schedule(() -> post(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /** The dialog is confirmed (ACK sent or received): in-dialog operations are allowed. */
    abstract boolean confirmed();

    /** Whether we are the UAS of the dialog-creating INVITE. */
    abstract boolean uas();

    /** Whether our 2xx to the dialog-creating INVITE was sent and its ACK not yet taken up (UAS only). */
    boolean awaitingAck() {
        return false;
    }

    abstract void deliverBye();

    abstract void deliverEnded(EndReason reason);

    abstract void deliverReinvite(String offer, ReinviteResponder responder);

    abstract void deliverDtmf(DtmfInfo info);

    /** Called when the far end sent BYE; subclasses also settle a pending INVITE transaction. */
    void onByeReceived() {
    }

    // ---- in-dialog requests ----

    void onInDialogRequest(ServerTransaction st0, Request req) {
        String method = req.getMethod();
        ServerTransaction st = core.serverTransaction(endpoint.provider(), req, st0);
        if (st == null) {
            return;
        }
        switch (method) {
            case Request.BYE -> onBye(st, req);
            case Request.INVITE -> onReinvite(st, req);
            case Request.OPTIONS -> core.respond(st, core.optionsResponse(req));
            case Request.INFO -> onInfo(st, req);
            default -> core.respond(st, core.methodNotAllowed(req));
        }
    }

    private void onBye(ServerTransaction st, Request req) {
        core.respond(st, core.response(200, req));
        if (ended) {
            return;
        }
        LOG.info("BYE received");
        onByeReceived();
        end();
        callback(this::deliverBye);
    }

    /**
     * A DTMF INFO (RFC 6086 §4.2.2, legacy usage without Info-Package): 200 and the key to the application for the
     * two DTMF body types, 400 for a malformed one, 415 with Accept for any other body, 200 for an empty INFO (some
     * peers use it as a keep-alive).
     */
    private void onInfo(ServerTransaction st, Request req) {
        if (ended) {
            core.respond(st, core.response(481, req));
            return;
        }
        byte[] raw = req.getRawContent();
        if (raw == null || raw.length == 0) {
            core.respond(st, core.response(200, req));
            return;
        }
        ContentTypeHeader ct = (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME);
        String type = ct == null ? "" : (ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(Locale.ROOT);
        DtmfInfo info;
        try {
            info = DtmfInfoCodec.parse(type, raw);
        } catch (DtmfInfoException e) {
            Response r = core.response(e.sipStatus(), req);
            if (e.sipStatus() == 415) {
                core.addHeader(r, "Accept", DTMF_TYPES);
            } else {
                core.setReasonPhrase(r, "Bad DTMF body: " + e.getMessage());
            }
            LOG.info("INFO refused {}: {}", e.sipStatus(), e.getMessage());
            core.respond(st, r);
            return;
        }
        core.respond(st, core.response(200, req));
        LOG.debug("INFO DTMF {} received", info.digit().symbol());
        callback(() -> deliverDtmf(info));
    }

    // ---- DTMF INFO we send ----

    final void startInfo(DtmfInfo info, String contentType, DtmfInfoCallback cb) {
        String body = contentType.equals(DtmfInfoCodec.DTMF) ? DtmfInfoCodec.writeDtmf(info)
                : DtmfInfoCodec.writeRelay(info);
        if (ended || !confirmed()) {
            infoResult(cb, 481, "No confirmed dialog");
            return;
        }
        if (infoQueue.size() >= MAX_QUEUED_INFO) {
            infoResult(cb, 503, "Too many INFOs queued");
            return;
        }
        infoQueue.add(new OutgoingInfo(contentType, body, cb));
        if (infoInFlight == null) {
            sendNextInfo();
        }
    }

    private void sendNextInfo() {
        while (infoInFlight == null && !infoQueue.isEmpty()) {
            OutgoingInfo next = infoQueue.poll();
            if (ended) {
                infoResult(next.callback(), 481, "Dialog ended");
                continue;
            }
            try {
                Request r = dialog.createRequest(Request.INFO);
                core.setBody(r, next.contentType(), next.body().getBytes(StandardCharsets.US_ASCII));
                ClientTransaction tx = core.clientTransaction(endpoint.provider(), r);
                tx.setApplicationData(new TxTag(this, Kind.INFO, null, null));
                infoInFlight = next;
                dialog.sendRequest(tx);
                LOG.debug("INFO DTMF sent");
            } catch (Exception e) {
                infoInFlight = null;
                LOG.warn("INFO could not be sent: {}", e.toString());
                infoResult(next.callback(), 500, "Could not send INFO");
            }
        }
    }

    private void onInfoDone(int status, String reason) {
        OutgoingInfo done = infoInFlight;
        infoInFlight = null;
        if (done != null) {
            infoResult(done.callback(), status, reason);
        }
        if (status == 408 || status == 481) {
            dialogLost(); // RFC 3261 §12.2.1.2
        }
        sendNextInfo();
    }

    private void infoResult(DtmfInfoCallback cb, int status, String reason) {
        if (cb != null) {
            callback(() -> cb.onResult(status, reason));
        }
    }

    void onAck(Request ack) {
        if (ack.getContent() != null && ack.getRawContent() != null) {
            remoteSdp = SipCore.body(ack);
        }
    }

    private void onReinvite(ServerTransaction st, Request req) {
        if (!ended && awaitingAck() && heldReinvite == null) {
            // The ACK may still come: overtaken by this re-INVITE, or lost and sent again for a retransmitted 2xx
            // (RFC 3261 §13.3.1.4). A final answer now would become the dialog's last INVITE response, and the RI
            // matches an ACK for a 2xx only against that (SIPDialog.handleAck): it would drop every ACK for our 2xx
            // and the leg would end on its ACK timeout. Held instead, with 100 meanwhile (not recorded as the
            // dialog's last response), and taken up after the ACK.
            heldReinvite = st;
            heldReinviteRequest = req;
            core.respond(st, core.response(100, req));
            LOG.info("re-INVITE before the ACK of our 200: held until the ACK");
            return;
        }
        if (ended || !confirmed()) {
            core.respond(st, core.response(ended ? 481 : 491, req));
            return;
        }
        if (outReinvite != null) {
            core.respond(st, core.response(491, req)); // RFC 3261 §14.2: glare
            return;
        }
        if (inReinvite != null) {
            Response r = core.response(500, req);
            core.addHeader(r, "Retry-After", Integer.toString(ThreadLocalRandom.current().nextInt(1, 11)));
            core.respond(st, r);
            return;
        }
        SessionTimerPolicy.UasDecision decision = core.sessionDecision(req);
        if (decision instanceof SessionTimerPolicy.UasDecision.TooSmall small) {
            Response r = core.response(422, req);
            core.addHeader(r, "Min-SE", Long.toString(small.minSe()));
            core.respond(st, r);
            return;
        }
        String offer = SipCore.body(req);
        if (offer == null || SdpVersion.unchanged(remoteSdp, offer)) {
            // Session refresh or offerless re-INVITE: answer with what we have (RFC 3264 §8, RFC 4028 §10).
            LOG.debug("re-INVITE without change answered locally");
            answerReinvite(st, req, decision, localSdp);
            return;
        }
        inReinvite = st;
        LOG.info("re-INVITE received");
        AtomicBoolean once = new AtomicBoolean();
        ReinviteResponder responder = new ReinviteResponder() {
            @Override
            public void accept(String answerSdp) {
                if (once.compareAndSet(false, true)) {
                    post(() -> {
                        if (inReinvite == st) {
                            inReinvite = null;
                            remoteSdp = offer;
                            answerReinvite(st, req, decision, answerSdp);
                        }
                    });
                }
            }

            @Override
            public void reject(int status) {
                if (once.compareAndSet(false, true)) {
                    post(() -> {
                        if (inReinvite == st) {
                            inReinvite = null;
                            core.respond(st, core.response(status >= 300 && status <= 699 ? status : 488, req));
                        }
                    });
                }
            }
        };
        callback(() -> deliverReinvite(offer, responder));
    }

    private void answerReinvite(ServerTransaction st, Request req, SessionTimerPolicy.UasDecision decision, String sdp) {
        if (ended) {
            core.respond(st, core.response(481, req));
            return;
        }
        Response ok = core.response(200, req);
        core.addContact(ok, endpoint);
        core.addCapabilities(ok);
        if (sdp != null) {
            core.setSdp(ok, sdp);
            localSdp = sdp;
        }
        if (decision instanceof SessionTimerPolicy.UasDecision.Run run) {
            core.addSessionExpires(ok, run);
            startOrRefreshSessionTimer(run.interval(), run.refresher() == SessionTimerPolicy.Refresher.UAS);
        } else if (sessionTimer != null) {
            startOrRefreshSessionTimer(sessionTimer.intervalMs() / 1000, sessionTimer.weRefresh());
        }
        core.respond(st, ok);
    }

    /** Takes up a held re-INVITE once the ACK came: answered as if it arrived now (481 if the leg ended). */
    final void releaseHeldReinvite() {
        ServerTransaction st = heldReinvite;
        Request req = heldReinviteRequest;
        heldReinvite = null;
        heldReinviteRequest = null;
        if (st != null) {
            onReinvite(st, req);
        }
    }

    // ---- re-INVITEs we send ----

    final void startReinvite(String sdp, ReinviteCallback cb, boolean refresh) {
        if (ended || !confirmed()) {
            if (cb != null) {
                callback(() -> cb.onFailure(481, "No confirmed dialog"));
            }
            return;
        }
        if (outReinvite != null || inReinvite != null) {
            if (cb != null) {
                callback(() -> cb.onFailure(491, "Request Pending"));
            }
            return;
        }
        try {
            Request r = dialog.createRequest(Request.INVITE);
            core.addContact(r, endpoint);
            core.addCapabilities(r);
            if (sessionTimer != null) {
                core.addHeader(r, "Session-Expires", (sessionTimer.intervalMs() / 1000) + ";refresher="
                        + (sessionTimer.weRefresh() ? "uac" : "uas"));
                core.addHeader(r, "Min-SE", Long.toString(core.settings().minSe().toSeconds()));
            }
            if (sdp != null) {
                core.setSdp(r, sdp);
            }
            ClientTransaction ct = core.clientTransaction(endpoint.provider(), r);
            ct.setApplicationData(new TxTag(this, refresh ? Kind.REFRESH : Kind.REINVITE, cb, sdp));
            outReinvite = ct;
            dialog.sendRequest(ct);
            LOG.info(refresh ? "session refresh re-INVITE sent" : "re-INVITE sent");
        } catch (Exception e) {
            outReinvite = null;
            LOG.warn("re-INVITE could not be sent: {}", e.toString());
            if (cb != null) {
                callback(() -> cb.onFailure(500, "Could not send re-INVITE"));
            }
        }
    }

    void onResponse(TxTag tag, ClientTransaction ct, Response resp) {
        switch (tag.kind()) {
            case REINVITE, REFRESH -> onReinviteResponse(tag, ct, resp);
            case INFO -> {
                if (resp.getStatusCode() >= 200) {
                    if (resp.getStatusCode() >= 300) {
                        LOG.info("INFO answered {}", resp.getStatusCode());
                    }
                    onInfoDone(resp.getStatusCode(), resp.getReasonPhrase());
                }
            }
            default -> {
            }
        }
    }

    private void onReinviteResponse(TxTag tag, ClientTransaction ct, Response resp) {
        int status = resp.getStatusCode();
        if (status < 200) {
            return;
        }
        if (outReinvite == ct) {
            outReinvite = null;
        }
        if (status < 300) {
            sendAck(resp);
            if (ended) {
                return;
            }
            localSdp = tag.offer() != null ? tag.offer() : localSdp;
            String answer = SipCore.body(resp);
            if (answer != null) {
                remoteSdp = answer;
            }
            SessionTimerPolicy.UasDecision.Run run = core.sessionFromResponse(resp);
            if (run != null) {
                startOrRefreshSessionTimer(run.interval(), run.refresher() == SessionTimerPolicy.Refresher.UAC);
            } else if (sessionTimer != null) {
                startOrRefreshSessionTimer(sessionTimer.intervalMs() / 1000, sessionTimer.weRefresh());
            }
            if (tag.kind() == Kind.REINVITE && tag.callback() != null) {
                callback(() -> tag.callback().onAnswer(answer));
            }
            return;
        }
        LOG.info("re-INVITE answered {}", status);
        if (tag.callback() != null) {
            String phrase = resp.getReasonPhrase();
            callback(() -> tag.callback().onFailure(status, phrase));
        }
        if (status == 408 || status == 481) {
            dialogLost(); // RFC 3261 §12.2.1.2
        }
    }

    void onTimeout(TxTag tag) {
        switch (tag.kind()) {
            case REINVITE, REFRESH -> {
                outReinvite = null;
                if (tag.callback() != null) {
                    callback(() -> tag.callback().onFailure(408, "Request Timeout"));
                }
                dialogLost();
            }
            case INFO -> onInfoDone(408, "Request Timeout");
            default -> {
            }
        }
    }

    private void dialogLost() {
        if (!ended) {
            LOG.info("dialog lost");
            sendBye();
            end();
            callback(() -> deliverEnded(EndReason.DIALOG_LOST));
        }
    }

    final void sendAck(Response resp) {
        try {
            long cseq = ((CSeqHeader) resp.getHeader(CSeqHeader.NAME)).getSeqNumber();
            Request ack = dialog.createAck(cseq);
            dialog.sendAck(ack);
            lastAck = ack;
        } catch (Exception e) {
            LOG.warn("ACK could not be sent: {}", e.toString());
        }
    }

    /** A retransmitted 2xx that the transaction layer no longer matches: send the ACK again (RFC 3261 §13.2.2.4). */
    void onStray2xx(Response resp) {
        if (lastAck != null && dialog != null) {
            try {
                dialog.sendAck(lastAck);
            } catch (Exception e) {
                LOG.debug("ACK resend failed: {}", e.toString());
            }
        }
    }

    final void sendBye() {
        if (dialog == null) {
            return;
        }
        try {
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction ct = core.clientTransaction(endpoint.provider(), bye);
            ct.setApplicationData(new TxTag(this, Kind.BYE, null, null));
            dialog.sendRequest(ct);
            LOG.info("BYE sent");
        } catch (Exception e) {
            LOG.warn("BYE could not be sent: {}", e.toString());
        }
    }

    // ---- session timer (RFC 4028) ----

    final void startOrRefreshSessionTimer(long intervalSeconds, boolean weRefresh) {
        long now = core.nowMs();
        if (sessionTimer == null) {
            sessionTimer = new SessionTimer(intervalSeconds * 1000, weRefresh, now);
            LOG.debug("session timer {} s, {}", intervalSeconds, weRefresh ? "we refresh" : "peer refreshes");
        } else {
            sessionTimer.refreshed(intervalSeconds * 1000, weRefresh, now);
        }
        armSessionTimer();
    }

    private void armSessionTimer() {
        if (sessionFuture != null) {
            sessionFuture.cancel(false);
        }
        long deadline = sessionTimer.deadline();
        if (deadline != Long.MAX_VALUE && !ended) {
            sessionFuture = schedule(deadline - core.nowMs(), this::onSessionTimer);
        }
    }

    private void onSessionTimer() {
        if (ended || sessionTimer == null) {
            return;
        }
        switch (sessionTimer.poll(core.nowMs())) {
            case REFRESH -> startReinvite(localSdp, null, true);
            case EXPIRE -> {
                LOG.info("session expired (RFC 4028)");
                sendBye();
                end();
                callback(() -> deliverEnded(EndReason.SESSION_EXPIRED));
                return;
            }
            case NONE -> {
            }
        }
        armSessionTimer();
    }

    // ---- end ----

    /** The leg is over: timers stopped, the call no longer counts. Idempotent. */
    void end() {
        ended = true;
        if (heldReinvite != null) {
            core.respond(heldReinvite, core.response(487, heldReinviteRequest)); // RFC 3261 §15.1.2
            heldReinvite = null;
            heldReinviteRequest = null;
        }
        OutgoingInfo queued;
        while ((queued = infoQueue.poll()) != null) {
            infoResult(queued.callback(), 481, "Dialog ended");
        }
        if (sessionFuture != null) {
            sessionFuture.cancel(false);
        }
        if (released.compareAndSet(false, true)) {
            core.release(this);
        }
    }

    /** The service is closing: BYE confirmed dialogs, tell the application. */
    void shutdown() {
        if (ended) {
            return;
        }
        if (confirmed()) {
            sendBye();
        }
        shutdownPending();
        end();
        callback(() -> deliverEnded(EndReason.SHUTDOWN));
    }

    /** Subclass hook for {@link #shutdown()} before the dialog is confirmed. */
    void shutdownPending() {
    }
}
