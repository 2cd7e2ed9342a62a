package io.warmline.dtmf.rfc4733;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.opus.OpusConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelephoneEventFormatTest {

    private static final OpusConfig OPUS = OpusConfig.voice(48000);

    @Test
    void anAnswerWithEventsAtBothRatesReceivesBothEachAtItsAudiosClock() {
        // opus/48000/2 (111), PCMU/8000 (0), telephone-event/48000 (101), telephone-event/8000 (102)
        LegCodec opus = LegCodec.opus(111, 101, OPUS);
        LegCodecs codecs = new LegCodecs(opus, List.of(opus, LegCodec.pcmu(102)));
        assertEquals(List.of(new TelephoneEventFormat(101, 48000), new TelephoneEventFormat(102, 8000)),
                TelephoneEventFormat.received(codecs));
    }

    @Test
    void theSendCodecsTypeComesFirstAndEachTypeOnce() {
        LegCodec pcmu = LegCodec.pcmu(102);
        LegCodecs codecs = new LegCodecs(pcmu, List.of(LegCodec.opus(111, 101, OPUS), pcmu, LegCodec.pcma(102)));
        assertEquals(List.of(new TelephoneEventFormat(102, 8000), new TelephoneEventFormat(101, 48000)),
                TelephoneEventFormat.received(codecs));
    }

    @Test
    void noTelephoneEventAgreedMeansNone() {
        assertEquals(List.of(), TelephoneEventFormat.received(LegCodecs.symmetric(LegCodec.pcmu(-1))));
    }

    @Test
    void eventsReceivedOnlyBesideAnotherCodecAreStillReceived() {
        // we send Opus without telephone-event/48000; the peer may send PCMU with telephone-event/8000
        LegCodec opus = LegCodec.opus(111, -1, OPUS);
        assertEquals(List.of(new TelephoneEventFormat(102, 8000)),
                TelephoneEventFormat.received(new LegCodecs(opus, List.of(opus, LegCodec.pcmu(102)))));
    }

    @Test
    void oneTypeAtTwoClockRatesIsRefused() {
        LegCodec opus = LegCodec.opus(111, 101, OPUS);
        LegCodecs codecs = new LegCodecs(opus, List.of(opus, LegCodec.pcmu(101)));
        assertThrows(IllegalArgumentException.class, () -> TelephoneEventFormat.received(codecs));
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TelephoneEventFormat(128, 8000));
        assertThrows(IllegalArgumentException.class, () -> new TelephoneEventFormat(-1, 8000));
        assertThrows(IllegalArgumentException.class, () -> new TelephoneEventFormat(101, 44100));
    }
}
