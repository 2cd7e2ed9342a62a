package io.warmline.sip.internal;

import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.info.DtmfInfoCodec;
import io.warmline.sip.DtmfInfoCallback;

import io.warmline.sip.ConversationId;
import io.warmline.sip.EndReason;
import io.warmline.sip.FailureReason;
import io.warmline.sip.OutboundLeg;
import io.warmline.sip.ReinviteCallback;
import io.warmline.sip.ReinviteResponder;
import io.warmline.sip.Trunk;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The UAC side of a call (RFC 3261 §13.2), with digest authentication, the 422 retry of RFC 4028 §7.4,
 * the ring timeout and CANCEL (RFC 3261 §9.1: only after a provisional response).
 *
 * <pre>
 * CALLING --1xx--> PROCEEDING --2xx/ACK--> CONFIRMED --BYE--> ENDED
 *    |  401/407/422: new INVITE, same state     |
 *    +------- final non-2xx, timeout ----------+--> ENDED (onFailed)
 * </pre>
 * A 2xx that arrives after we gave up (hangup, ring timeout) is ACKed and BYEd at once.
 */
public final class OutboundLegImpl extends Leg implements OutboundLeg {

    enum State { CALLING, PROCEEDING, CONFIRMED, ENDED }

    private final Trunk trunk;
    private final String number;
    private final String offer;
    private final Listener listener;
    private final DigestAuthenticator auth;
    private State state = State.CALLING;
    private Request inviteRequest;
    private ClientTransaction invite;
    private boolean retried422;
    private boolean giveUp;
    private boolean cancelSent;
    private ScheduledFuture<?> ringTimer;

    OutboundLegImpl(SipCore core, SipCore.Endpoint endpoint, Trunk trunk, String number, ConversationId conversation,
                    String callId, String offer, Executor callExecutor, Listener listener) {
        super(core, endpoint, conversation, callId, callExecutor);
        this.trunk = trunk;
        this.number = number;
        this.offer = offer;
        this.listener = listener;
        this.auth = new DigestAuthenticator(trunk.credentials());
    }

    @Override
    public ConversationId conversationId() {
        return conversation;
    }

    @Override
    public String callId() {
        return callId;
    }

    void start() {
        try {
            inviteRequest = core.buildInvite(endpoint, trunk, number, conversation, callId, offer,
                    core.settings().sessionExpires().toSeconds(), core.settings().minSe().toSeconds());
            localSdp = offer;
        } catch (Exception e) {
            LOG.warn("INVITE could not be built: {}", e.toString());
            fail(FailureReason.TRUNK_ERROR, 500, "Could not build INVITE");
            return;
        }
        ringTimer = schedule(trunk.ringTimeout().toMillis(), this::onRingTimeout);
        LOG.info("dialling {} via trunk {}", number, trunk.name());
        send(inviteRequest);
    }

    private void send(Request req) {
        try {
            ClientTransaction ct = core.clientTransaction(endpoint.provider(), req);
            ct.setApplicationData(new TxTag(this, Kind.INVITE, null, null));
            dialog = endpoint.provider().getNewDialog(ct);
            dialog.setApplicationData(this);
            invite = ct;
            inviteRequest = req;
            ct.sendRequest();
        } catch (Exception e) {
            LOG.warn("INVITE could not be sent: {}", e.toString());
            fail(FailureReason.TRUNK_ERROR, 503, "Could not send INVITE");
        }
    }

    @Override
    public void hangup() {
        appDone = true;
        post(() -> {
            switch (state) {
                case CALLING, PROCEEDING -> {
                    giveUp = true;
                    if (state == State.PROCEEDING) {
                        sendCancel();
                    }
                    LOG.info("hung up before answer");
                }
                case CONFIRMED -> {
                    sendBye();
                    state = State.ENDED;
                    end();
                }
                case ENDED -> {
                }
            }
        });
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

    private void onRingTimeout() {
        if (state != State.CALLING && state != State.PROCEEDING || giveUp) {
            return;
        }
        LOG.info("no answer within {}", trunk.ringTimeout());
        giveUp = true;
        if (state == State.PROCEEDING) {
            sendCancel();
        }
        callback(() -> listener.onFailed(FailureReason.NO_ANSWER, 480, "No Answer"));
    }

    private void sendCancel() {
        if (cancelSent || invite == null) {
            return;
        }
        try {
            Request cancel = invite.createCancel();
            ClientTransaction ct = core.clientTransaction(endpoint.provider(), cancel);
            ct.setApplicationData(new TxTag(this, Kind.CANCEL, null, null));
            ct.sendRequest();
            cancelSent = true;
            LOG.info("CANCEL sent");
        } catch (Exception e) {
            LOG.warn("CANCEL could not be sent: {}", e.toString());
        }
    }

    @Override
    void onResponse(TxTag tag, ClientTransaction ct, Response resp) {
        if (tag.kind() != Kind.INVITE) {
            super.onResponse(tag, ct, resp);
            return;
        }
        if (ct != invite) {
            if (resp.getStatusCode() / 100 == 2) {
                onStray2xx(resp);
            }
            return;
        }
        int status = resp.getStatusCode();
        if (status < 200) {
            onProvisional(status, resp);
        } else if (status < 300) {
            on2xx(resp);
        } else if ((status == 401 || status == 407) && !giveUp && state != State.ENDED) {
            onChallenge(status, resp);
        } else if (status == 422 && !retried422 && !giveUp && state != State.ENDED) {
            on422(resp);
        } else {
            onFinalFailure(status, resp.getReasonPhrase());
        }
    }

    private void onProvisional(int status, Response resp) {
        if (state == State.CALLING) {
            state = State.PROCEEDING;
        }
        if (giveUp) {
            sendCancel();
            return;
        }
        if (status > 100 && state == State.PROCEEDING) {
            String sdp = SipCore.body(resp);
            callback(() -> listener.onProvisional(status, sdp));
        }
    }

    private void on2xx(Response resp) {
        if (state == State.CONFIRMED) {
            onStray2xx(resp);
            return;
        }
        sendAck(resp);
        cancelRing();
        if (giveUp || state == State.ENDED) {
            LOG.info("2xx after we gave up: ACK and BYE");
            state = State.CONFIRMED;
            sendBye();
            state = State.ENDED;
            end();
            return;
        }
        state = State.CONFIRMED;
        String answer = SipCore.body(resp);
        remoteSdp = answer;
        SessionTimerPolicy.UasDecision.Run run = core.sessionFromResponse(resp);
        if (run != null) {
            startOrRefreshSessionTimer(run.interval(), run.refresher() == SessionTimerPolicy.Refresher.UAC);
        }
        LOG.info("answered");
        callback(() -> listener.onAnswered(answer));
    }

    private void onChallenge(int status, Response resp) {
        List<String> challenges = new ArrayList<>();
        String name = status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
        for (ListIterator<?> it = resp.getHeaders(name); it.hasNext(); ) {
            challenges.add(SipCore.headerValue((Header) it.next()));
        }
        String uri = inviteRequest.getRequestURI().toString();
        DigestAuthenticator.Outcome outcome = auth.answer(challenges, Request.INVITE, uri, DigestCalculator.newCnonce());
        if (outcome instanceof DigestAuthenticator.Outcome.Answer answer) {
            LOG.info("answering {} challenge (realm {}, {})", status, answer.realm(), answer.algorithm());
            Request retry = nextInvite();
            if (retry == null) {
                onFinalFailure(status, resp.getReasonPhrase());
                return;
            }
            retry.removeHeader("Authorization");
            retry.removeHeader("Proxy-Authorization");
            core.addHeader(retry, status == 401 ? "Authorization" : "Proxy-Authorization", answer.headerValue());
            send(retry);
        } else {
            LOG.warn("authentication failed: {}", ((DigestAuthenticator.Outcome.Refused) outcome).why());
            onFinalFailure(status, resp.getReasonPhrase());
        }
    }

    private void on422(Response resp) {
        retried422 = true;
        Long peerMin = SipCore.seconds(core.header(resp, "Min-SE"));
        if (peerMin == null) {
            onFinalFailure(422, resp.getReasonPhrase());
            return;
        }
        long se = SessionTimerPolicy.retryAfter422(core.settings().sessionExpires().toSeconds(), peerMin);
        Request retry = nextInvite();
        if (retry == null) {
            onFinalFailure(422, resp.getReasonPhrase());
            return;
        }
        retry.removeHeader("Session-Expires");
        retry.removeHeader("Min-SE");
        core.addHeader(retry, "Session-Expires", Long.toString(se));
        core.addHeader(retry, "Min-SE", Long.toString(peerMin));
        LOG.info("422: retrying with Session-Expires {}", se);
        send(retry);
    }

    /** A copy of the INVITE with the next CSeq and a new branch (RFC 3261 §22.2). */
    private Request nextInvite() {
        try {
            Request r = (Request) inviteRequest.clone();
            CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
            via.setBranch(SipCore.newBranch());
            return r;
        } catch (Exception e) {
            LOG.warn("could not build the next INVITE: {}", e.toString());
            return null;
        }
    }

    private void onFinalFailure(int status, String phrase) {
        if (state == State.ENDED) {
            return;
        }
        if (state == State.CONFIRMED) {
            return;
        }
        LOG.info("call failed: {} {}", status, phrase);
        fail(FailureReason.fromStatus(status), status, phrase);
    }

    private void fail(FailureReason reason, int status, String phrase) {
        boolean report = !giveUp;
        state = State.ENDED;
        cancelRing();
        end();
        if (report) {
            callback(() -> listener.onFailed(reason, status, phrase));
        }
    }

    @Override
    void onTimeout(TxTag tag) {
        if (tag.kind() == Kind.INVITE) {
            if (state == State.CALLING || state == State.PROCEEDING) {
                LOG.info("INVITE timed out");
                fail(FailureReason.TRUNK_ERROR, 408, "Request Timeout");
            }
            return;
        }
        super.onTimeout(tag);
    }

    private void cancelRing() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
        }
    }

    @Override
    void shutdownPending() {
        if (state == State.CALLING || state == State.PROCEEDING) {
            giveUp = true;
            sendCancel();
        }
        state = State.ENDED;
    }

    @Override
    void end() {
        cancelRing();
        super.end();
    }

    @Override
    boolean confirmed() {
        return state == State.CONFIRMED;
    }

    @Override
    boolean uas() {
        return false;
    }

    @Override
    void deliverBye() {
        listener.onBye();
    }

    @Override
    void onByeReceived() {
        state = State.ENDED;
    }

    @Override
    void deliverEnded(EndReason reason) {
        listener.onEnded(reason);
    }

    @Override
    void deliverDtmf(DtmfInfo info) {
        listener.onDtmf(info);
    }

    @Override
    void deliverReinvite(String offerSdp, ReinviteResponder responder) {
        listener.onReinvite(offerSdp, responder);
    }

    @Override
    public String toString() {
        return "OutboundLeg[" + callId + ", conv=" + conversation + ", " + state + "]";
    }
}
