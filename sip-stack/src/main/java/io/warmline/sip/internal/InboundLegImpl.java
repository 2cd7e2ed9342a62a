package io.warmline.sip.internal;

import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.info.DtmfInfoCodec;
import io.warmline.sip.DtmfInfoCallback;

import io.warmline.sip.ConversationId;
import io.warmline.sip.EndReason;
import io.warmline.sip.InboundLeg;
import io.warmline.sip.ReinviteCallback;
import io.warmline.sip.ReinviteResponder;
import io.warmline.sip.Trunk;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The UAS side of a call (RFC 3261 §13.3).
 *
 * <pre>
 * PROCEEDING --ringing/progress--> EARLY --answer--> ANSWERED --ACK--> CONFIRMED --BYE--> ENDED
 *      |                             |                   |  (no ACK in 64*T1: BYE, ACK_TIMEOUT)
 *      +------ CANCEL (487) / reject / hangup (480) -----+--> ENDED
 * </pre>
 * A re-INVITE received in ANSWERED is held until the ACK (see {@link Leg}).
 */
public final class InboundLegImpl extends Leg implements InboundLeg {

    enum State { PROCEEDING, EARLY, ANSWERED, CONFIRMED, ENDED }

    private final ServerTransaction invite;
    private final Request inviteRequest;
    private final Trunk trunk;
    private final String calledNumber;
    private final String callerNumber;
    private final String offer;
    private final SessionTimerPolicy.UasDecision sessionDecision;
    private final String inviteKey;
    private volatile Listener listener;
    private State state = State.PROCEEDING;
    private ScheduledFuture<?> ackTimer;
    private boolean byeAfterAck;
    private final String localTag = SipCore.newTag();

    InboundLegImpl(SipCore core, SipCore.Endpoint endpoint, ServerTransaction invite, Request inviteRequest,
                   Trunk trunk, ConversationId conversation, String callId, String calledNumber, String callerNumber,
                   String offer, SessionTimerPolicy.UasDecision sessionDecision, String inviteKey, Executor callExecutor) {
        super(core, endpoint, conversation, callId, callExecutor);
        this.invite = invite;
        this.inviteRequest = inviteRequest;
        this.trunk = trunk;
        this.calledNumber = calledNumber;
        this.callerNumber = callerNumber;
        this.offer = offer;
        this.remoteSdp = offer;
        this.sessionDecision = sessionDecision;
        this.inviteKey = inviteKey;
    }

    @Override
    public ConversationId conversationId() {
        return conversation;
    }

    @Override
    public Trunk trunk() {
        return trunk;
    }

    @Override
    public String calledNumber() {
        return calledNumber;
    }

    @Override
    public String callerNumber() {
        return callerNumber;
    }

    @Override
    public String remoteSdp() {
        return offer;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public void setListener(Listener l) {
        this.listener = l;
    }

    @Override
    public void ringing() {
        post(() -> provisional(180, null));
    }

    @Override
    public void progress(String sdp) {
        post(() -> provisional(183, sdp));
    }

    private void provisional(int status, String sdp) {
        if (state != State.PROCEEDING && state != State.EARLY) {
            return;
        }
        Response r = core.response(status, inviteRequest, dialogTag());
        core.addContact(r, endpoint);
        if (sdp != null) {
            core.setSdp(r, sdp);
            localSdp = sdp;
        }
        if (core.respond(invite, r)) {
            state = State.EARLY;
        }
    }

    @Override
    public void answer(String sdp) {
        post(() -> {
            if (state != State.PROCEEDING && state != State.EARLY) {
                LOG.warn("answer() ignored in state {}", state);
                return;
            }
            Response ok = core.response(200, inviteRequest, dialogTag());
            core.addContact(ok, endpoint);
            core.addCapabilities(ok);
            if (sdp != null) {
                core.setSdp(ok, sdp);
                localSdp = sdp;
            }
            if (sessionDecision instanceof SessionTimerPolicy.UasDecision.Run run) {
                core.addSessionExpires(ok, run);
            }
            core.forgetInvite(inviteKey);
            if (!core.respond(invite, ok)) {
                end();
                callback(() -> deliverEnded(EndReason.TRANSPORT_ERROR));
                return;
            }
            state = State.ANSWERED;
            LOG.info("answered");
            ackTimer = schedule(core.ackTimeoutMs(), this::onAckTimeout);
        });
    }

    @Override
    public void reject(int status, String reason, String warning) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("reject needs a final non-2xx status: " + status);
        }
        appDone = true;
        post(() -> {
            if (state == State.PROCEEDING || state == State.EARLY) {
                Response r = core.response(status, inviteRequest, dialogTag());
                if (reason != null && !reason.isBlank()) {
                    core.setReasonPhrase(r, reason);
                }
                if (warning != null) {
                    core.addWarning(r, warning, endpoint);
                }
                if (status == 503) {
                    // Resource shortage (RTP ports, capacity): tell the carrier when to retry, as drain does.
                    core.addHeader(r, "Retry-After", Integer.toString(SipCore.RETRY_AFTER_SECONDS));
                }
                finalFailure(r);
                LOG.info("rejected with {}", status);
            } else {
                hangupNow();
            }
        });
    }

    @Override
    public void hangup() {
        appDone = true;
        post(this::hangupNow);
    }

    private void hangupNow() {
        switch (state) {
            case PROCEEDING, EARLY -> {
                finalFailure(core.response(480, inviteRequest, dialogTag()));
                LOG.info("hung up before answer (480)");
            }
            case ANSWERED -> byeAfterAck = true; // RFC 3261 §15: no BYE before the ACK
            case CONFIRMED -> {
                sendBye();
                state = State.ENDED;
                end();
            }
            case ENDED -> {
            }
        }
    }

    private void finalFailure(Response r) {
        core.forgetInvite(inviteKey);
        core.respond(invite, r);
        state = State.ENDED;
        end();
    }

    @Override
    public void reinvite(String sdp, ReinviteCallback cb) {
        post(() -> startReinvite(sdp, cb, false));
    }

    @Override
    public void sendDtmf(DtmfInfo info, String contentType, DtmfInfoCallback cb) {
        java.util.Objects.requireNonNull(info, "info");
        if (!DtmfInfoCodec.DTMF_RELAY.equals(contentType) && !DtmfInfoCodec.DTMF.equals(contentType)) {
            throw new IllegalArgumentException("not a DTMF INFO content type: " + contentType);
        }
        post(() -> startInfo(info, contentType, cb));
    }

    void onCancel(ServerTransaction cancel, Request req) {
        core.respond(cancel, core.response(200, req));
        if (state == State.PROCEEDING || state == State.EARLY) {
            finalFailure(core.response(487, inviteRequest, dialogTag()));
            LOG.info("CANCEL received (487 sent)");
            callback(() -> withListener(Listener::onCancelled));
        }
    }

    @Override
    void onAck(Request ack) {
        long cseq = ((CSeqHeader) ack.getHeader(CSeqHeader.NAME)).getSeqNumber();
        long inviteCseq = ((CSeqHeader) inviteRequest.getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (state == State.ANSWERED && cseq == inviteCseq) {
            if (ackTimer != null) {
                ackTimer.cancel(false);
            }
            state = State.CONFIRMED;
            super.onAck(ack);
            if (byeAfterAck) {
                sendBye();
                state = State.ENDED;
                end();
                return;
            }
            if (sessionDecision instanceof SessionTimerPolicy.UasDecision.Run run) {
                startOrRefreshSessionTimer(run.interval(), run.refresher() == SessionTimerPolicy.Refresher.UAS);
            }
            releaseHeldReinvite();
            return;
        }
        super.onAck(ack);
    }

    private void onAckTimeout() {
        if (state != State.ANSWERED) {
            return;
        }
        LOG.warn("no ACK for our 200 OK within {} ms", core.ackTimeoutMs());
        sendBye();
        state = State.ENDED;
        end();
        callback(() -> deliverEnded(EndReason.ACK_TIMEOUT));
    }

    @Override
    void onByeReceived() {
        if (state == State.PROCEEDING || state == State.EARLY) {
            core.forgetInvite(inviteKey);
            core.respond(invite, core.response(487, inviteRequest, dialogTag())); // RFC 3261 §15.1.2
        }
        if (ackTimer != null) {
            ackTimer.cancel(false);
        }
        state = State.ENDED;
    }

    @Override
    void shutdownPending() {
        if (state == State.PROCEEDING || state == State.EARLY) {
            Response r = core.response(503, inviteRequest, dialogTag());
            finalFailure(r);
        }
        state = State.ENDED;
    }

    @Override
    void end() {
        if (ackTimer != null) {
            ackTimer.cancel(false);
        }
        core.forgetInvite(inviteKey);
        super.end();
    }

    @Override
    boolean confirmed() {
        return state == State.CONFIRMED;
    }

    @Override
    boolean uas() {
        return true;
    }

    @Override
    boolean awaitingAck() {
        return state == State.ANSWERED;
    }

    private String dialogTag() {
        return localTag;
    }

    @Override
    void deliverBye() {
        withListener(Listener::onBye);
    }

    @Override
    void deliverEnded(EndReason reason) {
        withListener(l -> l.onEnded(reason));
    }

    @Override
    void deliverDtmf(DtmfInfo info) {
        listener.onDtmf(info);
    }

    @Override
    void deliverReinvite(String offerSdp, ReinviteResponder responder) {
        Listener l = listener;
        if (l == null) {
            responder.reject(488);
            return;
        }
        l.onReinvite(offerSdp, responder);
    }

    private void withListener(java.util.function.Consumer<Listener> c) {
        Listener l = listener;
        if (l == null) {
            LOG.warn("inbound leg event dropped: no listener set");
            return;
        }
        c.accept(l);
    }

    @Override
    public String toString() {
        return "InboundLeg[" + callId + ", conv=" + conversation + ", " + state + "]";
    }
}
