package io.warmline.bridge.conversation;

import io.netty.channel.EventLoop;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.webrtc.BadCandidateException;
import io.warmline.webrtc.LegEndReason;
import io.warmline.webrtc.WebRtcEndpoint;
import io.warmline.webrtc.WebRtcLeg;
import io.warmline.webrtc.sdp.OfferRefusedException;

/**
 * Voice legs from the node's {@link WebRtcEndpoint}: each accepted offer becomes a {@link WebRtcLeg} whose decrypted
 * RTP the conversation's bridge terminates, with Opus encoded as {@code opus} says.
 */
public final class WebRtcVoiceLegs implements VoiceLegs {
    private final WebRtcEndpoint endpoint;
    private final OpusConfig opus;

    public WebRtcVoiceLegs(WebRtcEndpoint endpoint, OpusConfig opus) {
        this.endpoint = endpoint;
        this.opus = opus;
    }

    @Override
    public AcceptedVoiceLeg accept(String offerSdp, EventLoop loop, long receivedNanos, VoiceLegEvents events) {
        WebRtcLeg leg;
        try {
            leg = endpoint.accept(offerSdp, loop, new WebRtcLeg.Events() {
                @Override
                public void onConnected(WebRtcLeg l) {
                    events.onConnected();
                }

                @Override
                public void onEnded(WebRtcLeg l, LegEndReason reason) {
                    events.onEnded(reason.code());
                }
            }, receivedNanos);
        } catch (OfferRefusedException e) {
            throw new ConversationException(e.httpStatus() == 422 ? ConversationException.Kind.OFFER_UNSUPPORTED
                    : ConversationException.Kind.OFFER_REFUSED, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ConversationException(ConversationException.Kind.MEDIA_UNAVAILABLE,
                    "the WebRTC endpoint is not available: " + e.getMessage());
        }
        return new Accepted(leg, leg.legCodec(opus));
    }

    private record Accepted(WebRtcLeg leg, LegCodec codec) implements AcceptedVoiceLeg {
        @Override
        public String answerSdp() {
            return leg.answerSdp();
        }

        @Override
        public RtpEndpoint endpoint() {
            return leg;
        }

        @Override
        public long handshakeNanos() {
            return leg.handshakeNanos();
        }

        @Override
        public boolean ended() {
            return leg.state() == io.warmline.webrtc.WebRtcLegState.ENDED;
        }

        @Override
        public void markJoined(long nowNanos) {
            leg.markJoined(nowNanos);
        }

        @Override
        public void markAnswerSent(long nowNanos) {
            leg.markAnswerSent(nowNanos);
        }

        @Override
        public String iceUfrag() {
            return leg.localUfrag();
        }

        @Override
        public void trickle(String sdpFragment) {
            try {
                leg.addRemoteCandidates(sdpFragment);
            } catch (BadCandidateException e) {
                throw new ConversationException(ConversationException.Kind.BAD_CANDIDATE, e.getMessage());
            }
        }

        @Override
        public String restartIce(String sdpFragment) {
            try {
                leg.restartIce(sdpFragment);
                return leg.localFragment();
            } catch (BadCandidateException e) {
                throw new ConversationException(ConversationException.Kind.BAD_CANDIDATE, e.getMessage());
            } catch (IllegalStateException e) {
                throw new ConversationException(ConversationException.Kind.NO_SUCH_LEG, e.getMessage());
            }
        }

        @Override
        public void close() {
            leg.close();
        }
    }
}
