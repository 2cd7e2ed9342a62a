package io.warmline.bridge.conversation;

import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.time.NanoClock;

/**
 * A WebRTC leg inside its conversation: the accepted leg, its place in the bridge, the token that opened it, and its
 * DTMF channel, which hears the browser's {@code RTCDTMFSender} digits (RFC 4733 telephone-event on the leg).
 * Made where the offer is answered, then confined to the conversation's loop.
 */
final class VoiceMember {
    /** Browsers send RFC 4733 events; searching their audio for tones as well would cost CPU on every frame. */
    private static final LegDtmfSettings DTMF = new LegDtmfSettings(LegDtmfSettings.STANDARD.mode(),
            LegDtmfSettings.STANDARD.defaults(), LegDtmfSettings.STANDARD.volume(), false,
            LegDtmfSettings.STANDARD.limits());

    final String legId;
    final String tokenId;
    final AcceptedVoiceLeg leg;
    final String conversationId;
    BridgeLeg bridgeLeg;
    boolean connected;
    private LegKeys keys;

    VoiceMember(String conversationId, String legId, String tokenId, AcceptedVoiceLeg leg) {
        this.conversationId = conversationId;
        this.legId = legId;
        this.tokenId = tokenId;
        this.leg = leg;
    }

    /** The id of this leg in the bridge and its hearing matrix. */
    String memberId() {
        return "web-" + legId;
    }

    VoiceLegRef ref() {
        return new VoiceLegRef(conversationId, legId, tokenId, etag());
    }

    /** The entity tag of the leg's ICE session (RFC 9725 §4.3.1): our ufrag, so it changes with each ICE restart. */
    String etag() {
        return "\"" + leg.iceUfrag() + "\"";
    }

    /**
     * RFC 9110 §13.1.1: {@code If-Match} is {@code *} or a list of entity tags compared strongly (a weak tag never
     * matches).
     */
    boolean etagMatches(String ifMatch) {
        if (ifMatch == null) {
            return false;
        }
        String current = etag();
        for (String tag : ifMatch.split(",", 16)) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(current)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hooks the DTMF channel to the leg when the answer agreed on telephone-event: the browser's keys become the
     * conversation's events, and keys can be pressed towards the browser on demand.
     */
    void attach(BridgeLeg bridgeLeg, DtmfEvents events, NanoClock clock) {
        this.bridgeLeg = bridgeLeg;
        if (bridgeLeg.telephoneEventPayloadType() < 0) {
            return;
        }
        keys = new LegKeys(conversationId, memberId(), bridgeLeg, DTMF, null, false, events,
                bridgeLeg.endpoint().eventLoop(), clock);
    }

    /** The leg's DTMF channel, or null when it negotiated no telephone-event. */
    LegKeys keys() {
        return keys;
    }

    /** Closes digits whose end packets never came (called from the conversation's periodic check). */
    void pollDigits(long nowNanos) {
        if (keys != null) {
            keys.poll(nowNanos);
        }
    }

    void close(long nowNanos) {
        if (keys != null) {
            keys.close(nowNanos);
        }
    }

    long digitCount() {
        return keys == null ? 0 : keys.heardCount();
    }
}
