package io.warmline.bridge.conversation;

import io.warmline.dtmf.leg.DigitHeard;
import io.warmline.dtmf.leg.DtmfListener;
import io.warmline.dtmf.leg.LegDtmf;
import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.media.bridge.BridgeLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC leg inside its conversation: the accepted leg, its place in the bridge, the token that opened it, and its
 * DTMF channel, which hears the browser's {@code RTCDTMFSender} digits (RFC 4733 telephone-event on the leg).
 * Confined to the conversation's loop.
 */
final class VoiceMember {
    private static final Logger log = LoggerFactory.getLogger(VoiceMember.class);
    /** Browsers send RFC 4733 events; searching their audio for tones as well would cost CPU on every frame. */
    private static final LegDtmfSettings DTMF = new LegDtmfSettings(LegDtmfSettings.STANDARD.mode(),
            LegDtmfSettings.STANDARD.defaults(), LegDtmfSettings.STANDARD.volume(), false,
            LegDtmfSettings.STANDARD.limits());

    final String legId;
    final String tokenId;
    final String etag;
    final AcceptedVoiceLeg leg;
    final String conversationId;
    BridgeLeg bridgeLeg;
    boolean connected;
    private LegDtmf dtmf;
    private long digits;

    VoiceMember(String conversationId, String legId, String tokenId, AcceptedVoiceLeg leg) {
        this.conversationId = conversationId;
        this.legId = legId;
        this.tokenId = tokenId;
        this.leg = leg;
        this.etag = "\"" + leg.iceUfrag() + "\"";
    }

    /** The id of this leg in the bridge and its hearing matrix. */
    String memberId() {
        return "web-" + legId;
    }

    VoiceLegRef ref() {
        return new VoiceLegRef(conversationId, legId, tokenId, etag);
    }

    /** Hooks the DTMF channel to the leg's telephone-event packets when the answer agreed on telephone-event. */
    void attach(BridgeLeg bridgeLeg) {
        this.bridgeLeg = bridgeLeg;
        if (bridgeLeg.telephoneEventPayloadType() < 0) {
            return;
        }
        dtmf = new LegDtmf(memberId(), DTMF, bridgeLeg.telephoneEventPayloadType(), bridgeLeg.clockRate(),
                new DtmfListener() {
                    @Override
                    public void onDigitHeard(DigitHeard heard) {
                        digits++;
                        log.info("DTMF {} ({} ms{}) by {} from voice leg {} of conversation {}",
                                heard.digit().symbol(), heard.durationMillis(), heard.endSeen() ? "" : ", no end packet",
                                heard.source().name().toLowerCase(java.util.Locale.ROOT), legId, conversationId);
                    }
                }, null);
        bridgeLeg.setTelephoneEventHandler(dtmf::onTelephoneEvent);
    }

    /** Closes digits whose end packets never came (called from the conversation's periodic check). */
    void pollDigits(long nowNanos) {
        if (dtmf != null && dtmf.nextDeadlineNanos() <= nowNanos) {
            dtmf.advance(nowNanos);
        }
    }

    void close(long nowNanos) {
        if (dtmf != null) {
            dtmf.close(nowNanos);
        }
    }

    long digitCount() {
        return digits;
    }
}
