package io.warmline.webrtc.sdp;

import io.warmline.media.sdp.Direction;
import io.warmline.media.sdp.PayloadFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The audio stream an answer agreed on.
 *
 * @param codec the codec with the offerer's payload type and the offerer's fmtp (what it asks of our encoder)
 * @param telephoneEventPt the RFC 4733 payload type at the codec's clock rate, or -1
 * @param audioLevelExtensionId the RFC 6464 header extension id, or -1 when not negotiated
 * @param mid the {@code a=mid} of the audio m-line, or null
 * @param localDirection our direction in the answer
 */
public record AudioSelection(PayloadFormat codec, int telephoneEventPt, int audioLevelExtensionId, String mid,
        Direction localDirection) {

    public AudioSelection {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(localDirection, "localDirection");
        if (telephoneEventPt < -1 || telephoneEventPt > 127) {
            throw new IllegalArgumentException("telephone-event payload type out of range: " + telephoneEventPt);
        }
        if (audioLevelExtensionId < -1 || audioLevelExtensionId == 0 || audioLevelExtensionId > 255) {
            throw new IllegalArgumentException("extension id out of range: " + audioLevelExtensionId);
        }
    }

    public boolean isOpus() {
        return codec.encoding().equals("OPUS");
    }

    /**
     * A parameter of the offerer's fmtp for the codec (RFC 7587 §6.1 for Opus: {@code useinbandfec}, {@code usedtx},
     * {@code maxaveragebitrate}, ...), names compared case-insensitively.
     */
    public Optional<String> remoteParameter(String name) {
        if (codec.fmtp() == null) {
            return Optional.empty();
        }
        for (String p : codec.fmtp().split(";", 32)) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim();
            if (key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(eq < 0 ? "" : p.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    /** RFC 7587 §6.1: the offerer can decode in-band FEC, so our Opus encoder may add it. */
    public boolean remoteAcceptsFec() {
        return remoteParameter("useinbandfec").map("1"::equals).orElse(false);
    }
}
