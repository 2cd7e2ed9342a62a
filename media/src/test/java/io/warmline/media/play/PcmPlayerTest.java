package io.warmline.media.play;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.mix.Signals;
import org.junit.jupiter.api.Test;

class PcmPlayerTest {

    @Test
    void playsPushedAudioResampledToTheBridgeRate() {
        PcmPlayer player = new PcmPlayer(16000, 48000, 2000);
        short[] speech = Signals.tone(800, 9000, 16000, 0, 16000, 0);
        for (int i = 0; i < speech.length; i += 333) {
            assertEquals(0, player.push(speech, i, Math.min(333, speech.length - i)));
        }
        player.finish();
        short[] out = new short[48000];
        for (int f = 0; f < 50; f++) {
            assertTrue(player.readFrame(out, f * 960));
        }
        assertTrue(player.finished());
        assertEquals(0, player.underrunFrames());
        assertEquals(48000, player.playedSamples());
        assertEquals(9000, Signals.goertzelAmplitude(out, 4800, 38400, 800, 48000), 9000 * 0.01);
        assertFalse(player.readFrame(out, 0));
    }

    @Test
    void underrunsPlaySilenceAndAreCounted() {
        PcmPlayer player = new PcmPlayer(8000, 8000, 1000);
        short[] frame = new short[160];
        player.readFrame(frame, 0);
        assertEquals(0, player.underrunFrames(), "nothing pushed yet is not an underrun");
        short[] audio = Signals.tone(400, 5000, 8000, 0, 400, 0); // 50 ms
        player.push(audio, 0, audio.length);
        short[] out = new short[5 * 160];
        for (int f = 0; f < 5; f++) {
            assertTrue(player.readFrame(out, f * 160));
        }
        assertEquals(3, player.underrunFrames());
        assertEquals(80 + 160 + 160, player.underrunSamples());
        for (int i = 0; i < 400; i++) {
            assertEquals(audio[i], out[i]);
        }
        assertEquals(0, Signals.rms(out, 400, 400));
        player.push(audio, 0, 100);
        player.finish();
        assertThrows(IllegalStateException.class, () -> player.push(audio, 0, 1));
        assertTrue(player.readFrame(frame, 0));
        assertTrue(player.finished());
        assertEquals(3, player.underrunFrames(), "the short last frame after finish() is not an underrun");
    }

    @Test
    void aFullBufferDropsAndCounts() {
        PcmPlayer player = new PcmPlayer(8000, 16000, 100);
        short[] audio = new short[8000 * 2 / 10]; // 200 ms
        int dropped = player.push(audio, 0, audio.length);
        assertEquals(1600, dropped);
        assertEquals(1600, player.buffered());
        assertEquals(1600, player.droppedSamples());
        player.stop();
        assertTrue(player.finished());
        assertEquals(0, player.buffered());
    }

    @Test
    void refusesBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new PcmPlayer(8000, 22050, 1000));
        assertThrows(IllegalArgumentException.class, () -> new PcmPlayer(44100, 8000, 1000));
        assertThrows(IllegalArgumentException.class, () -> new PcmPlayer(8000, 8000, 10));
    }

    @Test
    void pushAndReadAllocateNothing() {
        PcmPlayer player = new PcmPlayer(16000, 48000, 1000);
        short[] in = Signals.tone(500, 5000, 16000, 0, 320, 0);
        short[] out = new short[960];
        Runnable frames = () -> {
            for (int i = 0; i < 500; i++) {
                player.push(in, 0, in.length);
                player.readFrame(out, 0);
            }
        };
        frames.run();
        assertTrue(Allocations.steadyStateBytes(frames) < 1024);
        assertEquals(0, player.droppedSamples());
    }
}
