package io.warmline.webrtc.sdp;

import io.warmline.media.sdp.Attribute;
import io.warmline.media.sdp.Connection;
import io.warmline.media.sdp.Direction;
import io.warmline.media.sdp.MediaDescription;
import io.warmline.media.sdp.Origin;
import io.warmline.media.sdp.PayloadFormat;
import io.warmline.media.sdp.SdpOrigin;
import io.warmline.media.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a browser offer as an ICE-lite (RFC 8445 §2.5), DTLS-SRTP, audio-only endpoint (JSEP, RFC 9429 §5.3).
 *
 * <p>The answer carries exactly one codec (plus telephone-event at its clock rate), so what the browser sends is what
 * the bridge decodes: Opus/48000/2 first, PCMU then PCMA as fallbacks, unless the caller gives another order. Video,
 * data and further audio m-lines are rejected with port 0 and left out of the BUNDLE group (RFC 8843 §7.3.3).
 */
public final class WebRtcAnswerer {

    /** The default preference: Opus, then G.711. */
    public static final List<String> DEFAULT_CODECS = List.of("opus/48000/2", "PCMU/8000", "PCMA/8000");

    /**
     * RFC 7587 §6.1, for what we receive: in-band FEC and DTX welcome; and at most wideband both ways
     * ({@code maxplaybackrate}, {@code sprop-maxcapturerate} 16000). The bridges mix at 16 kHz, so anything a browser
     * codes above 8 kHz is thrown away at the mix; capped, libopus codes SILK wideband instead of CELT or hybrid
     * fullband, which costs both ends less (CELT was 60 % of our decoding time with uncapped browsers).
     */
    public static final String OPUS_FMTP = "minptime=10;useinbandfec=1;usedtx=1;maxplaybackrate=16000;"
            + "sprop-maxcapturerate=16000";

    private static final String SESSION_NAME = "-";

    private WebRtcAnswerer() {
    }

    public static WebRtcAnswer answer(WebRtcOffer offer, LocalTransport local, SdpOrigin origin)
            throws OfferRefusedException {
        return answer(offer, local, origin, DEFAULT_CODECS);
    }

    /**
     * @param codecPreference entries in {@link PayloadFormat#matches(String)} form, most preferred first
     * @throws OfferRefusedException {@link RefusalReason#NO_COMMON_CODEC} when nothing offered is in the list
     */
    public static WebRtcAnswer answer(WebRtcOffer offer, LocalTransport local, SdpOrigin origin,
            List<String> codecPreference) throws OfferRefusedException {
        MediaDescription audio = offer.audio();
        PayloadFormat codec = pick(audio, codecPreference);
        if (codec == null) {
            throw new OfferRefusedException(RefusalReason.NO_COMMON_CODEC,
                    "offered " + describe(audio) + "; supported " + String.join(", ", codecPreference));
        }
        int telephoneEvent = telephoneEvent(audio, codec.clockRate());
        SetupRole setup = offer.setup().answerTo();
        Direction direction = offer.direction().answerTo();
        AudioSelection selection = new AudioSelection(codec, telephoneEvent, offer.audioLevelExtensionId(),
                offer.audioMid(), direction);

        List<MediaDescription> media = new ArrayList<>();
        for (int i = 0; i < offer.description().media().size(); i++) {
            MediaDescription m = offer.description().media().get(i);
            media.add(i == offer.audioIndex() ? audioLine(offer, local, selection, setup) : rejected(m));
        }
        List<Attribute> session = new ArrayList<>();
        session.add(Attribute.property("ice-lite"));
        if (offer.bundled()) {
            session.add(Attribute.of("group", "BUNDLE " + offer.audioMid()));
        }
        Origin draft = new Origin("-", "0", 0, Connection.IP4, "127.0.0.1");
        SessionDescription description = origin.stamp(
                new SessionDescription(draft, SESSION_NAME, null, session, media));
        return new WebRtcAnswer(description, selection, setup, local.ice(), offer.ice(), offer.fingerprint());
    }

    private static MediaDescription audioLine(WebRtcOffer offer, LocalTransport local, AudioSelection selection,
            SetupRole setup) {
        PayloadFormat codec = selection.codec();
        List<String> formats = new ArrayList<>();
        formats.add(Integer.toString(codec.payloadType()));
        List<Attribute> a = new ArrayList<>();
        if (selection.mid() != null) {
            a.add(Attribute.of("mid", selection.mid()));
        }
        a.add(Attribute.of("ice-ufrag", local.ice().ufrag()));
        a.add(Attribute.of("ice-pwd", local.ice().pwd()));
        a.add(Attribute.of("fingerprint", local.fingerprint().toString()));
        a.add(Attribute.of("setup", setup.attributeValue()));
        if (selection.audioLevelExtensionId() > 0) {
            a.add(Attribute.of("extmap", selection.audioLevelExtensionId() + " " + WebRtcOffer.AUDIO_LEVEL_URI));
        }
        a.add(Attribute.property(selection.localDirection().attribute()));
        a.add(Attribute.property("rtcp-mux"));
        a.add(Attribute.of("rtpmap", codec.payloadType() + " " + codec.rtpmap()));
        if (selection.isOpus()) {
            a.add(Attribute.of("fmtp", codec.payloadType() + " " + OPUS_FMTP));
        }
        if (selection.telephoneEventPt() >= 0) {
            int pt = selection.telephoneEventPt();
            formats.add(Integer.toString(pt));
            a.add(Attribute.of("rtpmap", pt + " telephone-event/" + codec.clockRate()));
            a.add(Attribute.of("fmtp", pt + " 0-15"));
        }
        if (selection.localDirection().sends()) {
            a.add(Attribute.of("ssrc", local.ssrc() + " cname:" + local.cname()));
        }
        for (IceCandidate c : local.candidates()) {
            a.add(Attribute.of("candidate", c.toString()));
        }
        a.add(Attribute.property("end-of-candidates"));

        // RFC 8839 §4.2.1.1 / §5.1: m= and c= carry the default candidate; UDP first.
        IceCandidate preferred = local.candidates().isEmpty() ? null : local.candidates().get(0);
        int port = preferred == null ? 9 : preferred.port();
        Connection c = preferred == null || preferred.ipAddress().isEmpty()
                ? new Connection(Connection.IP4, "0.0.0.0") : Connection.of(preferred.address());
        return new MediaDescription(MediaDescription.AUDIO, port, offer.audio().protocol(), formats, c, a);
    }

    /** RFC 8843 §7.3.3 / RFC 9429 §5.3.1: port 0, the first format, and the mid so the browser can match it. */
    private static MediaDescription rejected(MediaDescription m) {
        List<Attribute> a = new ArrayList<>();
        m.attribute("mid").ifPresent(mid -> a.add(Attribute.of("mid", mid)));
        return new MediaDescription(m.type(), 0, m.protocol(), List.of(m.formats().get(0)), null, a);
    }

    private static PayloadFormat pick(MediaDescription m, List<String> preference) {
        List<PayloadFormat> formats = m.payloadFormats();
        for (String p : preference) {
            for (PayloadFormat f : formats) {
                if (!f.isTelephoneEvent() && f.matches(p)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static int telephoneEvent(MediaDescription m, int clockRate) {
        for (PayloadFormat f : m.payloadFormats()) {
            if (f.isTelephoneEvent() && f.clockRate() == clockRate) {
                return f.payloadType();
            }
        }
        return -1;
    }

    private static String describe(MediaDescription m) {
        List<String> names = new ArrayList<>();
        for (PayloadFormat f : m.payloadFormats()) {
            names.add(f.rtpmap());
            if (names.size() >= 12) {
                names.add("...");
                break;
            }
        }
        return names.isEmpty() ? "no known format" : String.join(" ", names);
    }
}
