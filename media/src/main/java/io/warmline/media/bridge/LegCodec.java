package io.warmline.media.bridge;

import io.warmline.media.opus.OpusConfig;
import java.util.Locale;
import java.util.Objects;

/**
 * The negotiated audio of one terminated leg: G.711 µ-law or A-law (8 kHz), or Opus (RFC 7587: 48 kHz RTP clock
 * whatever the encoder's input rate, mono voice), with its payload type and the telephone-event payload type
 * (RFC 4733 §7.1.1), or -1 when none was negotiated. Frames are 20 ms (ptime 20) both ways.
 *
 * @param opus the encoder settings for {@link Encoding#OPUS}, null otherwise; its input rate must be 8, 16 or
 *     48 kHz (the bridge's resampler rates) and its frames 20 ms
 */
public record LegCodec(Encoding encoding, int payloadType, int telephoneEventPt, OpusConfig opus) {

    public enum Encoding {
        PCMU("PCMU"), PCMA("PCMA"), OPUS("opus");

        private final String sdpName;

        Encoding(String sdpName) {
            this.sdpName = sdpName;
        }

        /** The encoding name as written in SDP {@code a=rtpmap} (RFC 3551 §6, RFC 7587 §7). */
        public String sdpName() {
            return sdpName;
        }
    }

    public static final int FRAME_MILLIS = 20;

    public LegCodec {
        Objects.requireNonNull(encoding, "encoding");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (telephoneEventPt < -1 || telephoneEventPt > 127 || telephoneEventPt == payloadType) {
            throw new IllegalArgumentException("bad telephone-event payload type: " + telephoneEventPt);
        }
        if ((encoding == Encoding.OPUS) != (opus != null)) {
            throw new IllegalArgumentException("Opus settings go with the Opus encoding only");
        }
        if (opus != null) {
            int rate = opus.sampleRate();
            if (rate != 8000 && rate != 16000 && rate != 48000) {
                throw new IllegalArgumentException("Opus encoder input rate must be 8000, 16000 or 48000: " + rate);
            }
            if (opus.frameMillis() != FRAME_MILLIS) {
                throw new IllegalArgumentException("Opus frames must be 20 ms: " + opus.frameMillis());
            }
        }
    }

    /** PCMU with its static payload type 0 (RFC 3551 §6). */
    public static LegCodec pcmu(int telephoneEventPt) {
        return new LegCodec(Encoding.PCMU, 0, telephoneEventPt, null);
    }

    /** PCMA with its static payload type 8 (RFC 3551 §6). */
    public static LegCodec pcma(int telephoneEventPt) {
        return new LegCodec(Encoding.PCMA, 8, telephoneEventPt, null);
    }

    /** Opus on a dynamic payload type. */
    public static LegCodec opus(int payloadType, int telephoneEventPt, OpusConfig config) {
        return new LegCodec(Encoding.OPUS, payloadType, telephoneEventPt, Objects.requireNonNull(config, "config"));
    }

    /** Whether a negotiated {@code a=rtpmap} encoding can be terminated (names compare case-insensitively). */
    public static boolean supports(String encodingName, int clockRate) {
        return encodingOf(encodingName, clockRate) != null;
    }

    /**
     * The codec for a negotiated format.
     *
     * @param opusConfig the encoder settings to use when the format is Opus
     * @throws IllegalArgumentException if the format is not one the bridge terminates
     */
    public static LegCodec of(String encodingName, int payloadType, int clockRate, int telephoneEventPt,
                              OpusConfig opusConfig) {
        Encoding e = encodingOf(encodingName, clockRate);
        if (e == null) {
            throw new IllegalArgumentException("cannot terminate " + encodingName + "/" + clockRate);
        }
        return new LegCodec(e, payloadType, telephoneEventPt, e == Encoding.OPUS ? opusConfig : null);
    }

    private static Encoding encodingOf(String name, int clockRate) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.equals("PCMU") && clockRate == 8000) {
            return Encoding.PCMU;
        }
        if (n.equals("PCMA") && clockRate == 8000) {
            return Encoding.PCMA;
        }
        if (n.equals("OPUS") && clockRate == 48000) {
            return Encoding.OPUS;
        }
        return null;
    }

    /** The RTP clock rate: 8000 for G.711, 48000 for Opus (RFC 7587 §4.1). */
    public int clockRate() {
        return encoding == Encoding.OPUS ? 48000 : 8000;
    }

    /** RTP timestamp units per 20 ms frame. */
    public int timestampIncrement() {
        return clockRate() / 1000 * FRAME_MILLIS;
    }

    /** The PCM rate the encoder takes: 8000 for G.711, the Opus encoder's input rate. */
    public int pcmRate() {
        return encoding == Encoding.OPUS ? opus.sampleRate() : 8000;
    }

    public boolean hasTelephoneEvent() {
        return telephoneEventPt >= 0;
    }

    /** Whether both encode the same PCM into the same bytes (payload types aside), so one encode can serve both. */
    public boolean sameAudio(LegCodec other) {
        return encoding == other.encoding && Objects.equals(opus, other.opus);
    }
}
