package io.warmline.media.sdp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 3264 offer/answer for one audio stream over RTP/AVP: building our offer, answering a peer's offer, and reading
 * the peer's answer to ours. Pure functions of their arguments apart from the {@link SdpOrigin} they stamp.
 */
public final class OfferAnswer {

    /** Our dynamic payload type for telephone-event in offers. */
    public static final int TELEPHONE_EVENT_PT = 101;
    /** Our payload type for telephone-event at a second clock rate (Opus and G.711 offered together). */
    public static final int TELEPHONE_EVENT_PT_2 = 110;
    /** The DTMF events we handle (RFC 4733 §3.2: 0-9, *, #, A-D, flash). */
    public static final String TELEPHONE_EVENTS = "0-16";
    /** Packetisation time we offer, and assume when the peer gives none. */
    public static final int DEFAULT_PTIME_MS = 20;

    private static final String SESSION_NAME = "-";
    private static final int MAX_EVENT = 255;

    private OfferAnswer() {
    }

    /**
     * Builds our offer: one audio m-line listing {@code codecPreference} in order (static RFC 3551 types, e.g.
     * "PCMU", "PCMA", and "opus" as {@link PayloadFormat#OPUS}), then telephone-event with events 0-16 if asked (at
     * payload type 101 for the first codec's clock rate, 110 for a second rate), {@code a=ptime:20}
     * and {@code direction}; o= and c= carry {@code advertisedAddress}.
     *
     * @throws IllegalArgumentException when a codec has no static payload type, or the list is empty
     */
    public static SessionDescription offer(SdpOrigin origin, String advertisedAddress, int rtpPort,
            List<String> codecPreference, boolean telephoneEvent, Direction direction) {
        Map<Integer, PayloadFormat> formats = new LinkedHashMap<>();
        for (String name : codecPreference) {
            PayloadFormat f = PayloadFormat.offerFormat(name)
                    .orElseThrow(() -> new IllegalArgumentException("no payload type for codec " + name));
            formats.putIfAbsent(f.payloadType(), f);
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("no codec to offer");
        }
        if (telephoneEvent) {
            // RFC 4733 §7.1.1: telephone-event at each codec's clock rate (Opus 48000, G.711 8000)
            int pt = TELEPHONE_EVENT_PT;
            Set<Integer> rates = new LinkedHashSet<>();
            List<PayloadFormat> codecs = new ArrayList<>(formats.values());
            for (PayloadFormat f : codecs) {
                if (rates.add(f.clockRate())) {
                    formats.put(pt, PayloadFormat.telephoneEvent(pt, f.clockRate(), TELEPHONE_EVENTS));
                    pt = pt == TELEPHONE_EVENT_PT ? TELEPHONE_EVENT_PT_2 : pt + 1;
                }
            }
        }
        MediaDescription audio = audioLine(rtpPort, MediaDescription.RTP_AVP, new ArrayList<>(formats.values()),
                DEFAULT_PTIME_MS, direction);
        return origin.stamp(session(advertisedAddress, List.of(audio)));
    }

    /** {@link #answer(SessionDescription, SdpOrigin, String, int, List, Direction)} with no local restriction. */
    public static Negotiated answer(SessionDescription offer, SdpOrigin origin, String advertisedAddress,
            int rtpPort, List<String> codecPreference) throws NoCommonCodecException, SdpException {
        return answer(offer, origin, advertisedAddress, rtpPort, codecPreference, Direction.SENDRECV);
    }

    /**
     * Answers a peer's offer (RFC 3264 §6). Accepts the first audio m-line on RTP/AVP (or RTP/AVPF) with a codec in
     * common, choosing the codec we send by OUR preference order and using the offerer's payload type; the answer
     * lists it first, then every other offered format of our preference list, in that order (§6.1: the offerer may
     * send any of them, so we receive them all); adds telephone-event when offered at the clock rate of an answered
     * format (offerer's payload type, events intersected with 0-16); answers the
     * direction as §6.1 says, further limited by {@code localDirection}; copies {@code a=ptime} when offered. Every
     * other m-line is rejected with port 0, in its place.
     *
     * @throws NoCommonCodecException no usable audio stream: its warn-code says whether audio, the transport or the
     *     codecs were the problem
     * @throws SdpException the chosen stream has no usable connection address
     */
    public static Negotiated answer(SessionDescription offer, SdpOrigin origin, String advertisedAddress,
            int rtpPort, List<String> codecPreference, Direction localDirection)
            throws NoCommonCodecException, SdpException {
        int chosenIndex = -1;
        PayloadFormat chosen = null;
        boolean sawAudio = false;
        boolean sawProtocol = false;
        for (int i = 0; i < offer.media().size() && chosenIndex < 0; i++) {
            MediaDescription m = offer.media().get(i);
            if (!m.type().equals(MediaDescription.AUDIO) || m.port() == 0) {
                continue;
            }
            sawAudio = true;
            if (!isAvp(m.protocol())) {
                continue;
            }
            sawProtocol = true;
            chosen = pickByPreference(m, codecPreference);
            if (chosen != null) {
                chosenIndex = i;
            }
        }
        if (chosenIndex < 0) {
            throw noCommonCodec(offer, codecPreference, sawAudio, sawProtocol);
        }
        MediaDescription offered = offer.media().get(chosenIndex);
        Connection connection = offer.connectionFor(offered);
        if (connection == null) {
            throw new SdpException(0, "the audio stream has no connection address (c=)");
        }
        Direction remoteDirection = offer.direction(offered);
        if (connection.isHoldAddress()) {
            remoteDirection = remoteDirection.withoutReceiving();
        }

        List<PayloadFormat> audio = new ArrayList<>(codecPreference.size());
        audio.add(chosen);
        for (String preference : codecPreference) {
            PayloadFormat f = firstMatch(offered, preference);
            if (f != null && !containsCodec(audio, f)) {
                audio.add(f);
            }
        }
        List<PayloadFormat> answerFormats = new ArrayList<>(audio.size() + 2);
        for (PayloadFormat f : audio) {
            // RFC 7587 §7.1: the answer's fmtp describes what we receive; ours is the same whatever was offered
            answerFormats.add(f.isOpus() ? f.withFmtp(PayloadFormat.OPUS.fmtp()) : f);
        }
        int telephoneEventPt = -1;
        Set<Integer> rates = new LinkedHashSet<>();
        for (PayloadFormat f : audio) {
            PayloadFormat offeredEvents = rates.add(f.clockRate()) ? telephoneEvent(offered, f.clockRate()) : null;
            if (offeredEvents == null) {
                continue;
            }
            String events = intersectEvents(offeredEvents.fmtp(), TELEPHONE_EVENTS);
            if (!events.isEmpty()) {
                if (f == chosen) {
                    telephoneEventPt = offeredEvents.payloadType();
                }
                answerFormats.add(offeredEvents.withFmtp(events));
            }
        }
        int offeredPtime = offered.ptime().orElse(-1);
        Direction ourDirection = remoteDirection.answerTo().intersect(localDirection);

        List<MediaDescription> answerMedia = new ArrayList<>(offer.media().size());
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            if (i == chosenIndex) {
                answerMedia.add(audioLine(rtpPort, m.protocol(), answerFormats, offeredPtime, ourDirection));
            } else {
                // RFC 3264 §6: a rejected stream keeps its place with port 0.
                answerMedia.add(new MediaDescription(m.type(), 0, m.protocol(), m.formats(), null, List.of()));
            }
        }
        SessionDescription answer = origin.stamp(session(advertisedAddress, answerMedia));
        InetSocketAddress[] remote = remoteAddresses(offered, connection);
        return new Negotiated(answer, chosen, telephoneEventPt, remote[0], remote[1], remoteDirection,
                offeredPtime > 0 ? offeredPtime : DEFAULT_PTIME_MS, answerFormats);
    }

    /**
     * Reads the peer's answer to our offer (RFC 3264 §6, §7): same number and types of m-lines; our audio stream
     * accepted (non-zero port) with a codec we offered. Sends the first codec the answer lists that was in our offer;
     * receives every answered format that was in our offer (§7: the answerer sends any of them), with
     * telephone-event at their clock rates when both list it.
     *
     * @throws NoCommonCodecException the peer rejected the audio stream or answered with codecs we did not offer
     * @throws SdpException the answer does not match the offer's structure or lacks a connection address
     */
    public static Negotiated accept(SessionDescription ourOffer, SessionDescription answer)
            throws NoCommonCodecException, SdpException {
        if (answer.media().size() != ourOffer.media().size()) {
            throw new SdpException(0, "the answer has " + answer.media().size() + " media descriptions, the offer "
                    + ourOffer.media().size());
        }
        int index = -1;
        for (int i = 0; i < ourOffer.media().size(); i++) {
            if (!ourOffer.media().get(i).type().equals(answer.media().get(i).type())) {
                throw new SdpException(0, "answer media " + (i + 1) + " is " + answer.media().get(i).type()
                        + ", the offer's is " + ourOffer.media().get(i).type());
            }
            MediaDescription m = ourOffer.media().get(i);
            if (index < 0 && m.type().equals(MediaDescription.AUDIO) && m.port() != 0) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("our offer has no active audio stream");
        }
        MediaDescription ours = ourOffer.media().get(index);
        MediaDescription theirs = answer.media().get(index);
        if (theirs.port() == 0) {
            throw new NoCommonCodecException(NoCommonCodecException.INCOMPATIBLE_MEDIA_FORMAT,
                    "the peer rejected the audio stream (port 0); offered " + describe(ours));
        }
        if (!theirs.protocol().equalsIgnoreCase(ours.protocol())) {
            throw new SdpException(0, "the answer's audio protocol " + theirs.protocol() + " differs from the offer's "
                    + ours.protocol());
        }
        PayloadFormat codec = null;
        List<PayloadFormat> received = new ArrayList<>();
        for (PayloadFormat f : theirs.payloadFormats()) {
            if (f.isTelephoneEvent() || f.encoding().equals("CN")) {
                continue;
            }
            if (offered(ours, f)) {
                if (codec == null) {
                    codec = f;
                }
                received.add(f);
            }
        }
        if (codec == null) {
            throw new NoCommonCodecException(NoCommonCodecException.INCOMPATIBLE_MEDIA_FORMAT,
                    "the answer's codecs " + describe(theirs) + " were not offered; offered " + describe(ours));
        }
        int telephoneEventPt = -1;
        Set<Integer> rates = new LinkedHashSet<>();
        for (int i = 0, n = received.size(); i < n; i++) {
            int rate = received.get(i).clockRate();
            PayloadFormat events = telephoneEvent(theirs, rate);
            if (rates.add(rate) && events != null && telephoneEvent(ours, rate) != null) {
                received.add(events);
                if (rate == codec.clockRate()) {
                    telephoneEventPt = events.payloadType();
                }
            }
        }
        Connection connection = answer.connectionFor(theirs);
        if (connection == null) {
            throw new SdpException(0, "the answer's audio stream has no connection address (c=)");
        }
        Direction remoteDirection = answer.direction(theirs);
        if (connection.isHoldAddress()) {
            remoteDirection = remoteDirection.withoutReceiving();
        }
        InetSocketAddress[] remote = remoteAddresses(theirs, connection);
        int ptime = theirs.ptime().orElse(ours.ptime().orElse(DEFAULT_PTIME_MS));
        return new Negotiated(ourOffer, codec, telephoneEventPt, remote[0], remote[1], remoteDirection, ptime,
                received);
    }

    private static boolean isAvp(String protocol) {
        return protocol.equalsIgnoreCase("RTP/AVP") || protocol.equalsIgnoreCase("RTP/AVPF");
    }

    private static PayloadFormat pickByPreference(MediaDescription m, List<String> codecPreference) {
        List<PayloadFormat> formats = m.payloadFormats();
        for (String preference : codecPreference) {
            for (PayloadFormat f : formats) {
                if (!f.isTelephoneEvent() && f.matches(preference)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static PayloadFormat firstMatch(MediaDescription m, String preference) {
        for (PayloadFormat f : m.payloadFormats()) {
            if (!f.isTelephoneEvent() && f.matches(preference)) {
                return f;
            }
        }
        return null;
    }

    private static boolean containsCodec(List<PayloadFormat> formats, PayloadFormat f) {
        for (PayloadFormat g : formats) {
            if (g.sameCodec(f)) {
                return true;
            }
        }
        return false;
    }

    private static boolean offered(MediaDescription ours, PayloadFormat f) {
        for (PayloadFormat o : ours.payloadFormats()) {
            if (o.sameCodec(f)) {
                return true;
            }
        }
        return false;
    }

    private static PayloadFormat telephoneEvent(MediaDescription m, int clockRate) {
        for (PayloadFormat f : m.payloadFormats()) {
            if (f.isTelephoneEvent() && f.clockRate() == clockRate) {
                return f;
            }
        }
        return null;
    }

    private static NoCommonCodecException noCommonCodec(SessionDescription offer, List<String> preference,
            boolean sawAudio, boolean sawProtocol) {
        if (!sawAudio) {
            return new NoCommonCodecException(NoCommonCodecException.MEDIA_TYPE_NOT_AVAILABLE,
                    "no active audio stream offered");
        }
        if (!sawProtocol) {
            return new NoCommonCodecException(NoCommonCodecException.INCOMPATIBLE_TRANSPORT,
                    "audio offered only over unsupported transports; RTP/AVP required");
        }
        StringBuilder offered = new StringBuilder();
        for (MediaDescription m : offer.media()) {
            if (m.type().equals(MediaDescription.AUDIO) && m.port() != 0 && isAvp(m.protocol())) {
                offered.append(offered.length() == 0 ? "" : "; ").append(describe(m));
            }
        }
        return new NoCommonCodecException(NoCommonCodecException.INCOMPATIBLE_MEDIA_FORMAT,
                "no common codec: offered " + offered + ", supported " + String.join(", ", preference));
    }

    private static String describe(MediaDescription m) {
        List<String> names = new ArrayList<>();
        for (int pt : m.payloadTypes()) {
            names.add(m.rtpmap(pt).map(f -> f.rtpmap() + "(" + pt + ")").orElse(Integer.toString(pt)));
        }
        return String.join(" ", names);
    }

    private static MediaDescription audioLine(int rtpPort, String protocol, List<PayloadFormat> formats,
            int ptimeMs, Direction direction) {
        List<String> pts = new ArrayList<>();
        List<Attribute> attributes = new ArrayList<>();
        for (PayloadFormat f : formats) {
            pts.add(Integer.toString(f.payloadType()));
            attributes.add(Attribute.of("rtpmap", f.payloadType() + " " + f.rtpmap()));
            if (f.fmtp() != null) {
                attributes.add(Attribute.of("fmtp", f.payloadType() + " " + f.fmtp()));
            }
        }
        if (ptimeMs > 0) {
            attributes.add(Attribute.of("ptime", Integer.toString(ptimeMs)));
        }
        attributes.add(Attribute.property(direction.attribute()));
        return new MediaDescription(MediaDescription.AUDIO, rtpPort, protocol, pts, null, attributes);
    }

    private static SessionDescription session(String advertisedAddress, List<MediaDescription> media) {
        Connection c = Connection.of(advertisedAddress);
        Origin placeholder = new Origin("-", "0", 0, c.addressType(), c.address());
        return new SessionDescription(placeholder, SESSION_NAME, c, List.of(), media);
    }

    /** RTP and RTCP destinations, or nulls for a rejected stream or the hold address. */
    private static InetSocketAddress[] remoteAddresses(MediaDescription m, Connection connection)
            throws SdpException {
        if (m.port() == 0 || connection.isHoldAddress()) {
            return new InetSocketAddress[2];
        }
        InetAddress address = connection.inetAddress();
        if (address == null) {
            throw new SdpException(0, "connection address is not an IP literal: " + connection.address());
        }
        InetSocketAddress rtp = new InetSocketAddress(address, m.port());
        int rtcpPort = m.rtcpPort().orElse(Math.min(65535, m.port() + 1));
        InetAddress rtcpAddress = address;
        Optional<Connection> rtcpConnection = m.rtcpConnection();
        if (rtcpConnection.isPresent() && rtcpConnection.get().inetAddress() != null) {
            rtcpAddress = rtcpConnection.get().inetAddress();
        }
        return new InetSocketAddress[] {rtp, new InetSocketAddress(rtcpAddress, rtcpPort)};
    }

    /** RFC 4733 §7.1.1 event lists ("0-15,66"): the events in both; absent or unreadable means 0-15. */
    static String intersectEvents(String offered, String supported) {
        BitSet a = parseEvents(offered == null ? "" : offered);
        if (a.isEmpty()) {
            a = parseEvents("0-15");
        }
        a.and(parseEvents(supported));
        StringBuilder out = new StringBuilder();
        int i = a.nextSetBit(0);
        while (i >= 0) {
            int end = a.nextClearBit(i) - 1;
            out.append(out.length() == 0 ? "" : ",").append(i);
            if (end > i) {
                out.append('-').append(end);
            }
            i = a.nextSetBit(end + 1);
        }
        return out.toString();
    }

    private static BitSet parseEvents(String list) {
        BitSet events = new BitSet(MAX_EVENT + 1);
        for (String part : list.trim().split(",", 64)) {
            String[] range = part.trim().split("-", -1);
            if (range.length > 2 || !SdpSyntax.isDigits(range[0], 3)
                    || (range.length == 2 && !SdpSyntax.isDigits(range[1], 3))) {
                continue;
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            if (from <= to && to <= MAX_EVENT) {
                events.set(from, to + 1);
            }
        }
        return events;
    }
}
