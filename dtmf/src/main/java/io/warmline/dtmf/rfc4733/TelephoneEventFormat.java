package io.warmline.dtmf.rfc4733;

import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import java.util.ArrayList;
import java.util.List;

/**
 * One agreed telephone-event format: its payload type and its RTP clock rate (RFC 4733 §7.1.1). An answer may agree
 * on several, one per audio clock rate ({@code telephone-event/48000} beside Opus and {@code telephone-event/8000}
 * beside PCMU): each is received by its own payload type, its timestamps and durations counted in its own clock.
 */
public record TelephoneEventFormat(int payloadType, int clockRate) {

    public TelephoneEventFormat {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("telephone-event payload type out of range: " + payloadType);
        }
        if (clockRate != 8000 && clockRate != 16000 && clockRate != 48000) {
            throw new IllegalArgumentException("telephone-event clock rate must be 8000, 16000 or 48000: " + clockRate);
        }
    }

    /**
     * The telephone-event formats a leg with {@code codecs} may receive: the send codec's, then each received codec's,
     * each at the clock rate of the audio it goes with, one entry per payload type.
     *
     * @throws IllegalArgumentException when one payload type is agreed at two clock rates
     */
    public static List<TelephoneEventFormat> received(LegCodecs codecs) {
        List<TelephoneEventFormat> formats = new ArrayList<>();
        add(formats, codecs.send());
        for (LegCodec c : codecs.receive()) {
            add(formats, c);
        }
        return List.copyOf(formats);
    }

    private static void add(List<TelephoneEventFormat> formats, LegCodec codec) {
        if (!codec.hasTelephoneEvent()) {
            return;
        }
        TelephoneEventFormat f = new TelephoneEventFormat(codec.telephoneEventPt(), codec.clockRate());
        for (TelephoneEventFormat known : formats) {
            if (known.payloadType == f.payloadType) {
                if (known.clockRate != f.clockRate) {
                    throw new IllegalArgumentException("telephone-event payload type " + f.payloadType
                            + " agreed at " + known.clockRate + " and " + f.clockRate + " Hz");
                }
                return;
            }
        }
        formats.add(f);
    }
}
