package io.warmline.media.play;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.codec.G711;
import io.warmline.media.mix.Signals;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WavPlayerTest {

    private static WavAudio pcmClip(double hz, double amplitude, int rate, int millis) throws WavFormatException {
        short[] tone = Signals.tone(hz, amplitude, rate, 0, rate * millis / 1000, 0);
        return WavReader.parse(WavBytes.mono(1, rate, 16, WavBytes.pcm16(tone)).build());
    }

    /** Plays until the player reports it had finished; returns everything it played. */
    private static short[] drain(WavPlayer player, int maxFrames) {
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        short[] frame = new short[player.frameSamples()];
        int frames = 0;
        while (player.readFrame(frame, 0)) {
            assertTrue(++frames <= maxFrames, "player does not finish");
            for (short s : frame) {
                collected.write(s & 0xFF);
                collected.write(s >> 8);
            }
        }
        byte[] bytes = collected.toByteArray();
        short[] out = new short[bytes.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"8000,48000", "8000,16000", "16000,16000", "48000,8000", "16000,48000", "48000,16000"})
    void playsAClipOnceAtTheBridgeRate(int clipRate, int bridgeRate) throws WavFormatException {
        WavPlayer player = new WavPlayer(pcmClip(1000, 10000, clipRate, 500), bridgeRate, false);
        short[] out = drain(player, 100);
        assertTrue(player.finished());
        // 500 ms of clip, plus one frame carrying the filter's tail.
        assertEquals(26 * bridgeRate / 50, out.length);
        int oneSecondOfFifty = bridgeRate / 5; // 200 ms from 100 ms in
        assertEquals(10000, Signals.goertzelAmplitude(out, bridgeRate / 10, oneSecondOfFifty, 1000, bridgeRate), 100);
        short[] after = new short[player.frameSamples()];
        java.util.Arrays.fill(after, (short) 7);
        assertFalse(player.readFrame(after, 0));
        assertEquals(0, Signals.rms(after));
    }

    @Test
    void playsALawClips() throws WavFormatException {
        short[] tone = Signals.tone(500, 8000, 8000, 0, 4000, 0);
        byte[] alaw = new byte[tone.length];
        G711.encodeAlaw(tone, 0, tone.length, alaw, 0);
        WavPlayer player = new WavPlayer(WavReader.parse(WavBytes.mono(6, 8000, 8, alaw).build()), 16000, false);
        short[] out = drain(player, 100);
        assertEquals(8000, Signals.goertzelAmplitude(out, 1600, 6400, 500, 16000), 8000 * 0.02);
    }

    @Test
    void loopsWithoutAClickAtTheWrap() throws WavFormatException {
        // 1 s of 500 Hz: whole cycles, so the loop is seamless if the player is.
        WavPlayer player = new WavPlayer(pcmClip(500, 12000, 8000, 1000), 16000, true);
        short[] out = new short[3 * 16000];
        for (int f = 0; f < 150; f++) {
            assertTrue(player.readFrame(out, f * 320));
        }
        assertEquals(2, player.loops());
        assertFalse(player.finished());
        double steepest = 2 * Math.PI * 500 / 16000 * 12000;
        assertTrue(Signals.maxStep(out, 1000, out.length) <= steepest * 1.05,
                "max step " + Signals.maxStep(out, 1000, out.length) + " vs " + steepest);
        assertEquals(12000, Signals.goertzelAmplitude(out, 16000, 16000, 500, 16000), 12000 * 0.01);
    }

    @Test
    void stopFadesOutThenFinishes() throws WavFormatException {
        WavPlayer player = new WavPlayer(pcmClip(500, 12000, 16000, 2000), 16000, true);
        short[] frame = new short[320];
        for (int f = 0; f < 10; f++) {
            player.readFrame(frame, 0);
        }
        short[] faded = new short[6 * 320];
        int previous = frame[319];
        player.stop(100);
        for (int f = 0; f < 5; f++) {
            assertTrue(player.readFrame(faded, f * 320), "frame " + f + " of the fade");
        }
        assertTrue(player.finished());
        assertFalse(player.readFrame(faded, 5 * 320));
        assertEquals(0, Signals.rms(faded, 5 * 320, 320));
        double steepest = 2 * Math.PI * 500 / 16000 * 12000;
        assertTrue(Math.abs(faded[0] - previous) <= steepest * 1.05);
        assertTrue(Signals.maxStep(faded, 0, faded.length) <= steepest * 1.05);
        // Loudness falls frame by frame: 20 ms windows of a linear 100 ms fade.
        double last = Double.MAX_VALUE;
        for (int f = 0; f < 5; f++) {
            double level = Signals.rms(faded, f * 320, 320);
            assertTrue(level < last, "frame " + f);
            last = level;
        }
        assertTrue(Signals.rms(faded, 4 * 320, 320) < 12000 / Math.sqrt(2) * 0.2);
    }

    @Test
    void stopWithoutFadeIsImmediate() throws WavFormatException {
        WavPlayer player = new WavPlayer(pcmClip(500, 12000, 8000, 1000), 8000, false);
        player.stop(0);
        assertFalse(player.readFrame(new short[160], 0));
        assertThrows(IllegalArgumentException.class, () -> player.stop(-1));
    }

    @Test
    void framesAllocateNothing() throws WavFormatException {
        WavPlayer player = new WavPlayer(pcmClip(500, 12000, 8000, 1000), 48000, true);
        short[] out = new short[960];
        Runnable frames = () -> {
            for (int i = 0; i < 500; i++) {
                player.readFrame(out, 0);
            }
        };
        frames.run();
        assertTrue(Allocations.steadyStateBytes(frames) < 1024);
    }
}
