package io.warmline.media.sdp;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An RTP payload format as an m-line describes it: payload type, encoding name (upper-case), clock rate, channels,
 * and the {@code a=fmtp} parameters if any (RFC 8866 §6.6, §6.15).
 *
 * @param fmtp the format parameters, or null
 */
public record PayloadFormat(int payloadType, String encoding, int clockRate, int channels, String fmtp) {

    public static final String TELEPHONE_EVENT = "TELEPHONE-EVENT";

    public static final PayloadFormat PCMU = new PayloadFormat(0, "PCMU", 8000, 1, null);
    public static final PayloadFormat PCMA = new PayloadFormat(8, "PCMA", 8000, 1, null);
    /**
     * Opus as we offer it (RFC 7587 §7): always {@code opus/48000/2} whatever is sent; {@code useinbandfec=1} says our
     * decoder uses in-band FEC (§6.1), so the far end should send it. Dynamic payload type 111 (browsers' choice).
     */
    public static final PayloadFormat OPUS = new PayloadFormat(111, "OPUS", 48000, 2, "useinbandfec=1");

    /** RFC 3551 §6 Table 4: static audio payload types. */
    private static final PayloadFormat[] STATIC_AUDIO = new PayloadFormat[35];

    static {
        for (PayloadFormat f : new PayloadFormat[] {
            PCMU,
            new PayloadFormat(3, "GSM", 8000, 1, null),
            new PayloadFormat(4, "G723", 8000, 1, null),
            new PayloadFormat(5, "DVI4", 8000, 1, null),
            new PayloadFormat(6, "DVI4", 16000, 1, null),
            new PayloadFormat(7, "LPC", 8000, 1, null),
            PCMA,
            // RFC 3551 §4.5.2: G.722's RTP clock rate is 8000 although it samples at 16 kHz.
            new PayloadFormat(9, "G722", 8000, 1, null),
            new PayloadFormat(10, "L16", 44100, 2, null),
            new PayloadFormat(11, "L16", 44100, 1, null),
            new PayloadFormat(12, "QCELP", 8000, 1, null),
            new PayloadFormat(13, "CN", 8000, 1, null),
            new PayloadFormat(14, "MPA", 90000, 1, null),
            new PayloadFormat(15, "G728", 8000, 1, null),
            new PayloadFormat(16, "DVI4", 11025, 1, null),
            new PayloadFormat(17, "DVI4", 22050, 1, null),
            new PayloadFormat(18, "G729", 8000, 1, null),
        }) {
            STATIC_AUDIO[f.payloadType()] = f;
        }
    }

    public PayloadFormat {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        Objects.requireNonNull(encoding, "encoding");
        if (!SdpSyntax.isToken(encoding) || encoding.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid encoding name: " + encoding);
        }
        encoding = encoding.toUpperCase(Locale.ROOT);
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive: " + channels);
        }
        if (fmtp != null && SdpSyntax.hasLineBreak(fmtp)) {
            throw new IllegalArgumentException("fmtp contains a line break");
        }
    }

    /** The RFC 3551 static format for {@code payloadType}, used when an m-line has no rtpmap for it. */
    public static Optional<PayloadFormat> staticFormat(int payloadType) {
        if (payloadType < 0 || payloadType >= STATIC_AUDIO.length) {
            return Optional.empty();
        }
        return Optional.ofNullable(STATIC_AUDIO[payloadType]);
    }

    /**
     * The static format named {@code name} ("PCMU" or "PCMU/8000", case-insensitive), for building offers from a
     * codec preference list.
     */
    public static Optional<PayloadFormat> staticFormat(String name) {
        for (PayloadFormat f : STATIC_AUDIO) {
            if (f != null && f.matches(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The format we offer for a codec preference entry: a static RFC 3551 format ("PCMU"), or {@link #OPUS} for
     * "opus" (any case, optionally "opus/48000/2").
     */
    public static Optional<PayloadFormat> offerFormat(String name) {
        if (OPUS.matches(name)) {
            return Optional.of(OPUS);
        }
        return staticFormat(name);
    }

    public boolean isOpus() {
        return encoding.equals("OPUS") && clockRate == 48000;
    }

    /** The telephone-event format (RFC 4733 §7.1.1) at {@code payloadType}. */
    public static PayloadFormat telephoneEvent(int payloadType, int clockRate, String events) {
        return new PayloadFormat(payloadType, TELEPHONE_EVENT, clockRate, 1, events);
    }

    /**
     * The {@code a=rtpmap} value without the payload type, e.g. {@code PCMU/8000}. Encoding names compare
     * case-insensitively (RFC 8866 §6.6), but some devices match them literally, so we write them as registered.
     */
    public String rtpmap() {
        return registeredName() + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    private String registeredName() {
        return switch (encoding) {
            case TELEPHONE_EVENT -> "telephone-event";
            case "OPUS" -> "opus";
            default -> encoding;
        };
    }

    /** Same encoding, clock rate and channels (payload type and fmtp aside). */
    public boolean sameCodec(PayloadFormat other) {
        return encoding.equals(other.encoding) && clockRate == other.clockRate && channels == other.channels;
    }

    /**
     * Whether this format is the one a preference entry names: "PCMU" matches by encoding name (at the clock rate of
     * its static type, if it has one); "PCMU/8000" or "L16/16000/2" match encoding, rate and channels.
     */
    public boolean matches(String preference) {
        String[] parts = preference.trim().split("/", -1);
        if (!encoding.equalsIgnoreCase(parts[0])) {
            return false;
        }
        try {
            if (parts.length == 1) {
                for (PayloadFormat f : STATIC_AUDIO) {
                    if (f != null && f.encoding.equals(encoding)) {
                        return f.clockRate == clockRate && f.channels == channels;
                    }
                }
                return true;
            }
            int rate = Integer.parseInt(parts[1]);
            int ch = parts.length > 2 ? Integer.parseInt(parts[2]) : 1;
            return rate == clockRate && ch == channels;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public boolean isTelephoneEvent() {
        return TELEPHONE_EVENT.equals(encoding);
    }

    public PayloadFormat withPayloadType(int pt) {
        return new PayloadFormat(pt, encoding, clockRate, channels, fmtp);
    }

    public PayloadFormat withFmtp(String parameters) {
        return new PayloadFormat(payloadType, encoding, clockRate, channels, parameters);
    }
}
