package io.warmline.bridge.call;

import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.sdp.Negotiated;
import io.warmline.media.sdp.PayloadFormat;
import io.warmline.media.transport.LegFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * What an offer/answer agreement means for a SIP leg's media (carrier calls and escalations alike): the relay's
 * format, the bridge's codecs, and whether two legs can be relayed. Both directions of a leg may differ (RFC 3264 §6.1): we send {@link Negotiated#codec()}
 * and may receive every format of {@link Negotiated#receivedAudio()}.
 */
public final class NegotiatedMedia {

    private NegotiatedMedia() {
    }

    /** The relay's view: the codec we send, and the other agreed formats the peer may send. */
    public static LegFormat legFormat(Negotiated n) {
        PayloadFormat send = n.codec();
        List<LegFormat.Audio> others = new ArrayList<>();
        for (PayloadFormat f : n.receivedAudio()) {
            if (f.payloadType() != send.payloadType() && f.payloadType() != n.telephoneEventPt()
                    && others.size() < LegCodecs.MAX_RECEIVE) {
                others.add(new LegFormat.Audio(f.payloadType(), f.encoding(), f.clockRate()));
            }
        }
        return new LegFormat(send.payloadType(), send.encoding(), send.clockRate(), n.telephoneEventPt(), others);
    }

    /**
     * The bridge's view: the codec we send, and every agreed format the bridge can decode, each with the
     * telephone-event payload type agreed at its clock rate. Formats it cannot decode are left out: their packets are
     * counted and dropped.
     *
     * @throws IllegalArgumentException when the codec we send cannot be terminated, or the agreement gives one payload
     *     type two meanings
     */
    public static LegCodecs legCodecs(Negotiated n) {
        PayloadFormat s = n.codec();
        LegCodec send = LegCodec.of(s.encoding(), s.payloadType(), s.clockRate(), n.telephoneEventPt(),
                CallMedia.opus());
        List<LegCodec> receive = new ArrayList<>();
        for (PayloadFormat f : n.receivedAudio()) {
            if (LegCodec.supports(f.encoding(), f.clockRate()) && receive.size() < LegCodecs.MAX_RECEIVE) {
                int events = f.payloadType() == s.payloadType() ? n.telephoneEventPt()
                        : n.receivedTelephoneEventPt(f.clockRate());
                receive.add(LegCodec.of(f.encoding(), f.payloadType(), f.clockRate(), events, CallMedia.opus()));
            }
        }
        if (receive.isEmpty()) {
            receive.add(send);
        }
        return new LegCodecs(send, receive);
    }

    /**
     * The codecs of a re-offer that keeps the agreement (a hold or its end, RFC 3264 §8.4): the one we send first, then
     * the others the peer may send, as codec preference entries for {@code OfferAnswer.offer}. Formats we could not
     * offer (no static or known payload type) are left out.
     */
    public static List<String> reoffer(Negotiated n) {
        List<String> codecs = new ArrayList<>();
        codecs.add(n.codec().rtpmap());
        for (PayloadFormat f : n.receivedAudio()) {
            if (!f.sameCodec(n.codec()) && PayloadFormat.offerFormat(f.rtpmap()).isPresent()
                    && !codecs.contains(f.rtpmap())) {
                codecs.add(f.rtpmap());
            }
        }
        return codecs;
    }

    /**
     * Whether the relay can carry the call: everything each leg may receive can be converted in place (equal codecs
     * as they are, PCMU ↔ PCMA, G.711 Tables 3 and 4) to the codec the other leg sends.
     */
    public static boolean relayable(Negotiated a, Negotiated b) {
        return carries(a, b.codec()) && carries(b, a.codec());
    }

    private static boolean carries(Negotiated from, PayloadFormat to) {
        for (PayloadFormat f : from.receivedAudio()) {
            if (!relayable(f, to)) {
                return false;
            }
        }
        return true;
    }

    /** The relay forwards equal codecs as they are and converts PCMU ↔ PCMA in place (G.711 Tables 3, 4). */
    static boolean relayable(PayloadFormat a, PayloadFormat b) {
        return a.sameCodec(b) || isG711(a) && isG711(b);
    }

    private static boolean isG711(PayloadFormat f) {
        return f.clockRate() == 8000 && (f.encoding().equals("PCMU") || f.encoding().equals("PCMA"));
    }
}
