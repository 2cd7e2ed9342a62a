package io.warmline.media.record;

import io.warmline.media.testing.Tools;
import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.mix.Mixer;
import io.warmline.media.mix.Participant;
import io.warmline.media.mix.Signals;
import io.warmline.media.play.WavAudio;
import io.warmline.media.play.WavReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavRecorderTest {

    private static final int RATE = 16000;
    private static final int FRAME = 320;

    private static void recordFrames(WavRecorder recorder, short[] audio, int fromFrame, int toFrame)
            throws IOException {
        for (int f = fromFrame; f < toFrame; f++) {
            recorder.write(audio, f * FRAME, FRAME);
        }
    }

    @Test
    void flushesEverySecondOfAudioWithoutBeingAsked(@TempDir Path dir) throws Exception {
        short[] audio = Signals.tone(440, 8000, RATE, 0, 3 * RATE, 0);
        Path file = dir.resolve("leg.wav");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            WavRecorder recorder = new WavRecorder(channel, RATE);
            recordFrames(recorder, audio, 0, 49);
            assertEquals(0, recorder.flushedSamples(), "less than a second is still buffered");
            recordFrames(recorder, audio, 49, 50);
            assertEquals(RATE, recorder.flushedSamples());
            assertEquals(1, recorder.flushes());
            // What a reader would find if the process died now: exactly one second.
            WavAudio now = WavReader.read(file);
            assertArrayEquals(Arrays.copyOf(audio, RATE), now.samples());
            recordFrames(recorder, audio, 50, 150);
            recorder.close();
            assertThrows(IllegalStateException.class, () -> recorder.write(audio, 0, 1));
        }
        WavAudio all = WavReader.read(file);
        assertEquals(RATE, all.sampleRate());
        assertArrayEquals(audio, all.samples());
        assertEquals(3 * RATE, soxSamples(file));
    }

    /**
     * A crash while the next block is being written leaves the patched header of the last flush followed by any
     * prefix of the later bytes. Every such cut reads back as exactly the flushed audio, by our parser and by sox.
     */
    @Test
    void aFileCutAnywhereAfterAFlushReadsBackTheFlushedAudio(@TempDir Path dir) throws Exception {
        short[] audio = Signals.tone(700, 9000, RATE, 0, 5 * RATE, 0.1);
        MemoryChannel channel = new MemoryChannel(1024, 1000);
        WavRecorder recorder = new WavRecorder(channel, RATE);
        recordFrames(recorder, audio, 0, 125); // 2.5 s: flushed at 1 s and 2 s
        assertEquals(2 * RATE, recorder.flushedSamples());
        byte[] atCrash = channel.contents();
        assertEquals(WavRecorder.HEADER_BYTES + 4 * RATE, atCrash.length);
        recordFrames(recorder, audio, 125, 250); // the data the process was writing when it died
        recorder.flush();
        byte[] later = channel.contents();

        Random random = new Random(11);
        short[] expected = Arrays.copyOf(audio, 2 * RATE);
        for (int round = 0; round < 8; round++) {
            int cut = round == 0 ? atCrash.length : atCrash.length + 1 + random.nextInt(later.length - atCrash.length);
            byte[] crashed = Arrays.copyOf(later, cut);
            System.arraycopy(atCrash, 0, crashed, 0, WavRecorder.HEADER_BYTES); // header of the last flush
            Path file = dir.resolve("cut-" + cut + ".wav");
            Files.write(file, crashed);
            assertArrayEquals(expected, WavReader.read(file).samples(), "cut at " + cut);
            assertEquals(2 * RATE, soxSamples(file), "sox on the cut at " + cut);
        }
    }

    @Test
    void recordsAMixAtAnyBridgeRate(@TempDir Path dir) throws Exception {
        Mixer mixer = new Mixer(48000);
        Participant customer = mixer.join("customer");
        Participant human = mixer.join("human");
        Participant recorderLeg = mixer.join("recorder");
        mixer.setMatrix(HearingMatrix.builder().hears("recorder", "customer", "human").build());
        Path file = dir.resolve("mix.wav");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            WavRecorder recorder = new WavRecorder(channel, 48000, 200);
            short[] out = new short[960];
            for (int t = 0; t < 100; t++) {
                customer.contribute(Signals.tone(500, 6000, 48000, t * 960L, 960, 0), 0);
                human.contribute(Signals.tone(900, 6000, 48000, t * 960L, 960, 0), 0);
                mixer.tick();
                recorderLeg.readMix(out, 0);
                recorder.write(out, 0, 960);
            }
            assertEquals(10, recorder.flushes(), "every 200 ms");
            recorder.close();
        }
        short[] recorded = WavReader.read(file).samples();
        assertEquals(96000, recorded.length);
        assertEquals(6000, Signals.goertzelAmplitude(recorded, 960, 48000, 500, 48000), 60);
        assertEquals(6000, Signals.goertzelAmplitude(recorded, 960, 48000, 900, 48000), 60);
        assertEquals(2.0, soxSamples(file) / 48000.0);
    }

    @Test
    void shortWritesOfTheChannelAreCompleted() throws Exception {
        MemoryChannel channel = new MemoryChannel(16, 3);
        WavRecorder recorder = new WavRecorder(channel, 8000, 20);
        short[] audio = Signals.tone(300, 4000, 8000, 0, 8000, 0);
        recorder.write(audio, 0, audio.length);
        recorder.close();
        assertArrayEquals(audio, WavReader.parse(channel.contents()).samples());
        assertEquals(50, recorder.flushes());
    }

    @Test
    void aWriteErrorStopsTheRecorderAndKeepsTheLastGoodFlush() throws Exception {
        MemoryChannel memory = new MemoryChannel(1024, 1 << 20);
        boolean[] broken = new boolean[1];
        java.nio.channels.SeekableByteChannel channel = new java.nio.channels.SeekableByteChannel() {
            @Override
            public int read(java.nio.ByteBuffer dst) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int write(java.nio.ByteBuffer src) throws IOException {
                if (broken[0]) {
                    throw new IOException("disk full");
                }
                return memory.write(src);
            }

            @Override
            public long position() {
                return memory.position();
            }

            @Override
            public java.nio.channels.SeekableByteChannel position(long p) {
                memory.position(p);
                return this;
            }

            @Override
            public long size() {
                return memory.size();
            }

            @Override
            public java.nio.channels.SeekableByteChannel truncate(long size) {
                memory.truncate(size);
                return this;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        WavRecorder recorder = new WavRecorder(channel, 8000, 100);
        short[] audio = Signals.tone(300, 4000, 8000, 0, 1600, 0);
        recorder.write(audio, 0, 800);
        broken[0] = true;
        IOException first = assertThrows(IOException.class, () -> recorder.write(audio, 800, 800));
        assertEquals("disk full", first.getMessage());
        IOException later = assertThrows(IOException.class, () -> recorder.write(audio, 0, 10));
        assertSame(first, later.getCause());
        assertSame(first, recorder.failure());
        assertThrows(IOException.class, recorder::flush);
        assertArrayEquals(Arrays.copyOf(audio, 800), WavReader.parse(memory.contents()).samples());
    }

    @Test
    void refusesBadConfiguration() throws IOException {
        MemoryChannel channel = new MemoryChannel(64, 64);
        assertThrows(IllegalArgumentException.class, () -> new WavRecorder(channel, 44100));
        assertThrows(IllegalArgumentException.class, () -> new WavRecorder(channel, 8000, 1001));
        assertThrows(IllegalArgumentException.class, () -> new WavRecorder(channel, 8000, 10));
    }

    @Test
    void steadyStateWritesAllocateNothing() throws IOException {
        // Room for every run (warm-up and measured, 5 s each), so the channel never grows while measured.
        MemoryChannel channel = new MemoryChannel(48000 * 2 * 5 * 12 + 64, 1 << 20);
        WavRecorder recorder = new WavRecorder(channel, 48000);
        short[] frame = Signals.tone(440, 3000, 48000, 0, 960, 0);
        Runnable frames = () -> {
            try {
                for (int i = 0; i < 250; i++) {
                    recorder.write(frame, 0, 960);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        frames.run();
        long bytes = Allocations.steadyStateBytes(frames);
        assertTrue(bytes < 1024, "5 s of frames allocated " + bytes);
        assertEquals(recorder.recordedSamples() / 48000, recorder.flushes(), "one flush per second of audio");
    }

    /** The sample count sox reads from the header ({@code sox --i -s}). */
    static long soxSamples(Path file) throws IOException, InterruptedException {
        String output = Tools.run(List.of("sox", "--i", "-s", file.toString())).trim();
        return Long.parseLong(output);
    }
}
