package io.warmline.webrtc.sdp;

import io.warmline.media.sdp.Attribute;
import io.warmline.media.sdp.Direction;
import io.warmline.media.sdp.MediaDescription;
import io.warmline.media.sdp.SdpException;
import io.warmline.media.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a browser's offer (JSEP, RFC 9429) says about its audio stream: the m-line we serve, its ICE credentials,
 * DTLS fingerprint and setup role, BUNDLE group, candidates, SSRCs and the ssrc-audio-level extension id. Video and
 * data m-lines are kept only to be rejected in the answer.
 *
 * @param audioIndex index of the served audio m-line in {@code description.media()}
 * @param audioMid its {@code a=mid}, or null
 * @param bundleGroup the mids of the BUNDLE group holding the audio mid (RFC 8843 §7.1), empty when none
 * @param fingerprint the strongest fingerprint offered for the audio m-line (RFC 8122 §5)
 * @param setup the offerer's {@code a=setup}; ACTIVE when absent (RFC 4145 §4)
 * @param candidates the candidates in the offer that parse (others are skipped)
 * @param ssrcs the distinct SSRCs of {@code a=ssrc} lines (RFC 5576), in order
 * @param audioLevelExtensionId the {@code a=extmap} id of {@value #AUDIO_LEVEL_URI} (RFC 6464), or -1
 * @param direction the offerer's direction for the audio stream, from its own point of view
 */
public record WebRtcOffer(SessionDescription description, int audioIndex, String audioMid, List<String> bundleGroup,
        IceCredentials ice, DtlsFingerprint fingerprint, SetupRole setup, List<IceCandidate> candidates,
        List<Long> ssrcs, int audioLevelExtensionId, Direction direction) {

    public static final String AUDIO_LEVEL_URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    /** Most candidates or SSRCs kept from one offer. */
    public static final int MAX_CANDIDATES = 32;
    public static final int MAX_SSRCS = 16;

    private static final String[] HASH_STRENGTH = {"sha-512", "sha-384", "sha-256", "sha-224", "sha-1"};

    public WebRtcOffer {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(direction, "direction");
        bundleGroup = List.copyOf(bundleGroup);
        candidates = List.copyOf(candidates);
        ssrcs = List.copyOf(ssrcs);
        if (audioIndex < 0 || audioIndex >= description.media().size()) {
            throw new IllegalArgumentException("audio index out of range: " + audioIndex);
        }
    }

    /** The served audio m-line. */
    public MediaDescription audio() {
        return description.media().get(audioIndex);
    }

    /** Whether the audio m-line is in a BUNDLE group, so the answer groups it too. */
    public boolean bundled() {
        return audioMid != null && bundleGroup.contains(audioMid);
    }

    /**
     * Parses and checks a browser offer. Refuses, in this order: malformed SDP, no audio m-line with a port (or
     * {@code a=bundle-only}), audio without DTLS-SRTP (SDES, plain RTP), no ICE credentials, no checkable fingerprint,
     * no rtcp-mux or a {@code holdconn} setup. Codec choice is the answerer's ({@link WebRtcAnswerer}).
     */
    public static WebRtcOffer parse(String sdp) throws OfferRefusedException {
        SessionDescription d;
        try {
            d = SessionDescription.parse(sdp);
        } catch (SdpException e) {
            throw new OfferRefusedException(RefusalReason.MALFORMED_SDP, e.getMessage());
        }
        int index = audioIndex(d);
        if (index < 0) {
            throw new OfferRefusedException(RefusalReason.NO_AUDIO, "the offer has no active audio m-line");
        }
        MediaDescription audio = d.media().get(index);
        checkProfile(audio);

        String ufrag = level(d, audio, "ice-ufrag");
        String pwd = level(d, audio, "ice-pwd");
        if (ufrag == null || pwd == null) {
            throw new OfferRefusedException(RefusalReason.NO_ICE_CREDENTIALS,
                    "the audio m-line has no a=ice-ufrag and a=ice-pwd");
        }
        IceCredentials ice;
        try {
            ice = new IceCredentials(ufrag.trim(), pwd.trim());
        } catch (IllegalArgumentException e) {
            throw new OfferRefusedException(RefusalReason.NO_ICE_CREDENTIALS, e.getMessage());
        }

        DtlsFingerprint fingerprint = strongestFingerprint(d, audio);

        String setupValue = level(d, audio, "setup");
        SetupRole setup = setupValue == null ? SetupRole.ACTIVE : SetupRole.parse(setupValue).orElseThrow(
                () -> new OfferRefusedException(RefusalReason.MALFORMED_SDP, "unknown a=setup value"));
        if (setup == SetupRole.HOLDCONN) {
            throw new OfferRefusedException(RefusalReason.UNSUPPORTED_TRANSPORT, "a=setup:holdconn");
        }
        if (audio.attribute("rtcp-mux").isEmpty()) {
            throw new OfferRefusedException(RefusalReason.UNSUPPORTED_TRANSPORT,
                    "a=rtcp-mux is required (RFC 8858); RTCP on a separate port is not served");
        }

        String mid = audio.attribute("mid").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        return new WebRtcOffer(d, index, mid, bundleGroup(d, mid), ice, fingerprint, setup, candidates(audio),
                ssrcs(audio), audioLevelId(audio), d.direction(audio));
    }

    /** The first audio m-line that is not rejected: a port, or port 0 with {@code a=bundle-only} (RFC 8843 §6). */
    private static int audioIndex(SessionDescription d) {
        for (int i = 0; i < d.media().size(); i++) {
            MediaDescription m = d.media().get(i);
            if (m.type().equals(MediaDescription.AUDIO) && m.isRtp()
                    && (m.port() != 0 || m.attribute("bundle-only").isPresent())) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5764 §8 and RFC 8842: DTLS-SRTP profiles are {@code UDP/TLS/RTP/SAVP(F)} and {@code TCP/...}. */
    private static void checkProfile(MediaDescription audio) throws OfferRefusedException {
        String p = audio.protocol().toUpperCase(Locale.ROOT);
        boolean dtls = (p.startsWith("UDP/TLS/") || p.startsWith("TCP/TLS/") || p.startsWith("TCP/DTLS/")
                || p.startsWith("UDP/DTLS/")) && (p.endsWith("RTP/SAVPF") || p.endsWith("RTP/SAVP"));
        if (dtls) {
            return;
        }
        if (p.endsWith("RTP/SAVP") || p.endsWith("RTP/SAVPF")) {
            throw new OfferRefusedException(RefusalReason.UNSUPPORTED_CRYPTO,
                    audio.protocol() + (audio.attribute("crypto").isPresent() ? " with SDES keys (a=crypto)" : "")
                            + " offered; only DTLS-SRTP (UDP/TLS/RTP/SAVPF) is accepted");
        }
        throw new OfferRefusedException(RefusalReason.UNSUPPORTED_CRYPTO,
                audio.protocol() + " offered; only DTLS-SRTP (UDP/TLS/RTP/SAVPF) is accepted");
    }

    /** A media-level attribute, else the session-level one (RFC 8839 §5.4, RFC 8122 §5, RFC 4145 §4). */
    private static String level(SessionDescription d, MediaDescription m, String name) {
        return m.attribute(name).or(() -> d.attribute(name)).orElse(null);
    }

    private static DtlsFingerprint strongestFingerprint(SessionDescription d, MediaDescription audio)
            throws OfferRefusedException {
        List<Attribute> source = has(audio.attributes(), "fingerprint") ? audio.attributes() : d.sessionAttributes();
        List<DtlsFingerprint> found = new ArrayList<>();
        boolean any = false;
        for (Attribute a : source) {
            if (a.name().equals("fingerprint")) {
                any = true;
                DtlsFingerprint.parse(a.value()).ifPresent(found::add);
            }
        }
        for (String h : HASH_STRENGTH) {
            for (DtlsFingerprint f : found) {
                if (f.hashFunction().equals(h)) {
                    return f;
                }
            }
        }
        throw new OfferRefusedException(RefusalReason.NO_FINGERPRINT, any
                ? "no a=fingerprint with a supported hash function (sha-1, sha-224, sha-256, sha-384, sha-512)"
                : "the offer has no a=fingerprint; DTLS-SRTP needs one (RFC 8122)");
    }

    private static boolean has(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 8843 §7.1: {@code a=group:BUNDLE <mid> ...}; the group that holds {@code mid}. */
    private static List<String> bundleGroup(SessionDescription d, String mid) {
        if (mid == null) {
            return List.of();
        }
        for (Attribute a : d.sessionAttributes()) {
            if (a.name().equals("group") && a.value() != null) {
                String[] f = a.value().trim().split(" +", SessionDescription.MAX_MEDIA + 2);
                if (f[0].equals("BUNDLE")) {
                    List<String> mids = List.of(f).subList(1, f.length);
                    if (mids.contains(mid)) {
                        return mids;
                    }
                }
            }
        }
        return List.of();
    }

    private static List<IceCandidate> candidates(MediaDescription audio) {
        List<IceCandidate> out = new ArrayList<>();
        for (Attribute a : audio.attributes()) {
            if (a.name().equals("candidate") && out.size() < MAX_CANDIDATES) {
                IceCandidate.parse(a.value()).ifPresent(out::add);
            }
        }
        return out;
    }

    private static List<Long> ssrcs(MediaDescription audio) {
        List<Long> out = new ArrayList<>();
        for (Attribute a : audio.attributes()) {
            if (a.name().equals("ssrc") && a.value() != null && out.size() < MAX_SSRCS) {
                String v = a.value();
                int space = v.indexOf(' ');
                String n = space < 0 ? v : v.substring(0, space);
                if (!n.isEmpty() && n.length() <= 10 && n.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    long ssrc = Long.parseLong(n);
                    if (ssrc <= 0xFFFF_FFFFL && !out.contains(ssrc)) {
                        out.add(ssrc);
                    }
                }
            }
        }
        return out;
    }

    /** RFC 8285 §8: {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]}; ids 1-14 (one-byte) or 1-255. */
    private static int audioLevelId(MediaDescription audio) {
        for (Attribute a : audio.attributes()) {
            if (a.name().equals("extmap") && a.value() != null) {
                String[] f = a.value().trim().split(" +", 3);
                if (f.length >= 2 && f[1].equals(AUDIO_LEVEL_URI)) {
                    String id = f[0];
                    int slash = id.indexOf('/');
                    if (slash >= 0) {
                        id = id.substring(0, slash);
                    }
                    if (!id.isEmpty() && id.length() <= 3 && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        int n = Integer.parseInt(id);
                        if (n >= 1 && n <= 255) {
                            return n;
                        }
                    }
                }
            }
        }
        return -1;
    }

    public Optional<String> mid() {
        return Optional.ofNullable(audioMid);
    }
}
