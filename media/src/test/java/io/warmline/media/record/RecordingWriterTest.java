package io.warmline.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.play.WavAudio;
import io.warmline.media.play.WavReader;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingWriterTest {
    private static final int RATE = 8000;
    private static final int FRAME = 160;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private RecordingWriter writer;

    @AfterEach
    void stop() {
        if (writer != null) {
            assertTrue(writer.close(WAIT));
        }
    }

    @Test
    void aFileReadWhileRecordingHoldsEveryFullSecondAndTheRestAfterClose() throws Exception {
        writer = RecordingWriter.start(16, 0);
        Path file = dir.resolve("day/conv-caller.wav");
        Recording r = writer.open(file, RATE, Duration.ofHours(1));
        short[] audio = ramp(RATE * 5 / 2);
        feed(r, audio, 0, audio.length);
        assertTrue(writer.awaitWritten(WAIT));

        // What a reader finds if the process died now: the two full seconds, a valid WAV.
        WavAudio live = WavReader.read(file);
        assertEquals(RATE, live.sampleRate());
        assertArrayEquals(Arrays.copyOf(audio, 2 * RATE), live.samples());

        r.close();
        assertTrue(writer.awaitWritten(WAIT));
        assertArrayEquals(audio, WavReader.read(file).samples());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        RecordingWriterStats s = writer.stats();
        assertEquals(1, s.filesOpened());
        assertEquals(3, s.chunksWritten());
        assertEquals(0, s.chunksDropped());
    }

    @Test
    void aWriterThatFallsBehindDropsWholeSecondsAndKeepsTheTimelineWithSilence() throws Exception {
        BlockingStorage storage = new BlockingStorage();
        writer = RecordingWriter.start(storage, 2, 0);
        Path file = dir.resolve("behind.wav");
        Recording r = writer.open(file, RATE, Duration.ofHours(1));
        short[] audio = ramp(RATE * 4);
        // The writer is stuck creating the file: seconds 0 and 1 queue, second 2 finds the queue full, second 3
        // reuses the refused buffer and is refused again.
        feed(r, audio, 0, audio.length);
        assertEquals(2, writer.stats().queuedChunks());
        assertEquals(2, writer.stats().chunksDropped());
        assertEquals(2L * RATE, r.droppedSamples());

        storage.release.countDown();
        assertTrue(writer.awaitWritten(WAIT));
        short[] more = ramp(RATE);
        feed(r, more, 0, more.length);
        r.close();
        assertTrue(writer.awaitWritten(WAIT));

        short[] got = WavReader.read(file).samples();
        assertEquals(5 * RATE, got.length, "the dropped seconds stay in the timeline");
        assertArrayEquals(Arrays.copyOf(audio, 2 * RATE), Arrays.copyOf(got, 2 * RATE));
        assertArrayEquals(new short[2 * RATE], Arrays.copyOfRange(got, 2 * RATE, 4 * RATE));
        assertArrayEquals(more, Arrays.copyOfRange(got, 4 * RATE, 5 * RATE));
        assertEquals(3, writer.stats().chunksWritten());
    }

    @Test
    void aRecordingWithAllItsBuffersQueuedDropsTheNextSecond() throws Exception {
        BlockingStorage storage = new BlockingStorage();
        writer = RecordingWriter.start(storage, 100, 0);
        Recording r = writer.open(dir.resolve("buffers.wav"), RATE, Duration.ofHours(1));
        short[] audio = ramp(RATE * 5);
        feed(r, audio, 0, audio.length);
        assertEquals(Recording.BUFFERS, writer.stats().queuedChunks());
        assertEquals(2L * RATE, r.droppedSamples());
        assertEquals(2, writer.stats().chunksDropped());
        storage.release.countDown();
        r.close();
        assertTrue(writer.awaitWritten(WAIT));
        assertEquals(3L * RATE, WavReader.read(dir.resolve("buffers.wav")).length());
    }

    @Test
    void ticksTheBridgeSkippedAreRecordedAsSilence() throws Exception {
        writer = RecordingWriter.start(16, 0);
        Path file = dir.resolve("skips.wav");
        Recording r = writer.open(file, RATE, Duration.ofHours(1));
        short[] audio = ramp(FRAME * 10);
        long deadline = 7_000_000_000L;
        for (int i = 0; i < 5; i++, deadline += 20_000_000L) {
            r.onFrame(audio, i * FRAME, FRAME, RATE, deadline);
        }
        deadline += 3 * 20_000_000L + 1_000_000L; // a stall: three ticks skipped, the next one 1 ms late
        for (int i = 5; i < 10; i++, deadline += 20_000_000L) {
            r.onFrame(audio, i * FRAME, FRAME, RATE, deadline);
        }
        r.close();
        assertTrue(writer.awaitWritten(WAIT));
        short[] got = WavReader.read(file).samples();
        assertEquals(13 * FRAME, got.length);
        assertArrayEquals(Arrays.copyOf(audio, 5 * FRAME), Arrays.copyOf(got, 5 * FRAME));
        assertArrayEquals(new short[3 * FRAME], Arrays.copyOfRange(got, 5 * FRAME, 8 * FRAME));
        assertArrayEquals(Arrays.copyOfRange(audio, 5 * FRAME, 10 * FRAME),
                Arrays.copyOfRange(got, 8 * FRAME, 13 * FRAME));
    }

    @Test
    void stopsAtTheMaximumDuration() throws Exception {
        writer = RecordingWriter.start(16, 0);
        Path file = dir.resolve("max.wav");
        Recording r = writer.open(file, RATE, Duration.ofMillis(1500));
        short[] audio = ramp(RATE * 3);
        feed(r, audio, 0, audio.length);
        assertTrue(r.isClosed());
        assertTrue(writer.awaitWritten(WAIT));
        assertArrayEquals(Arrays.copyOf(audio, RATE * 3 / 2), WavReader.read(file).samples());
        assertEquals(1, writer.stats().stoppedMaxDuration());
    }

    @Test
    void stopsWhenFreeSpaceFallsBelowTheMinimum() throws Exception {
        BlockingStorage storage = new BlockingStorage();
        storage.release.countDown();
        storage.usable = 10L << 20;
        writer = RecordingWriter.start(storage, 16, 5L << 20);
        Path file = dir.resolve("space.wav");
        Recording r = writer.open(file, RATE, Duration.ofHours(1));
        short[] audio = ramp(RATE * 2);
        feed(r, audio, 0, RATE);
        assertTrue(writer.awaitWritten(WAIT));
        storage.usable = 1L << 20;
        feed(r, audio, RATE, RATE);
        r.close();
        assertTrue(writer.awaitWritten(WAIT));
        assertEquals(RATE, WavReader.read(file).length(), "the file stays valid up to the last second written");
        assertEquals(1, writer.stats().stoppedLowSpace());
        assertEquals(1, writer.stats().chunksWritten());
    }

    @Test
    void aFileThatCannotBeCreatedIsCountedAndItsAudioDiscarded() throws Exception {
        writer = RecordingWriter.start(16, 0);
        Path taken = Files.writeString(dir.resolve("taken.wav"), "x");
        Recording r = writer.open(taken, RATE, Duration.ofHours(1));
        short[] audio = ramp(RATE * 2);
        feed(r, audio, 0, audio.length);
        r.close();
        assertTrue(writer.awaitWritten(WAIT));
        assertEquals("x", Files.readString(taken), "an existing file is never overwritten");
        assertEquals(1, writer.stats().filesFailed());
        assertEquals(0, writer.stats().chunksWritten());
    }

    @Test
    void buffersAfterCloseAreRefused() throws Exception {
        writer = RecordingWriter.start(16, 0);
        Recording r = writer.open(dir.resolve("closing.wav"), RATE, Duration.ofHours(1));
        assertTrue(writer.close(WAIT));
        short[] audio = ramp(RATE);
        feed(r, audio, 0, audio.length);
        assertEquals(RATE, r.droppedSamples());
        assertFalse(writer.stats().chunksDropped() == 0);
        writer = null;
    }

    private static void feed(Recording r, short[] audio, int from, int length) {
        for (int i = from; i < from + length; i += FRAME) {
            r.onFrame(audio, i, FRAME, RATE, 0);
        }
    }

    private static short[] ramp(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (1 + i % 30000);
        }
        return s;
    }

    /** The file system, except that creating a file waits for {@link #release} and free space is set by the test. */
    private static final class BlockingStorage implements RecordingStorage {
        final CountDownLatch release = new CountDownLatch(1);
        volatile long usable = Long.MAX_VALUE;

        @Override
        public SeekableByteChannel create(Path file) throws IOException {
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("test storage never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return FILES.create(file);
        }

        @Override
        public long usableBytes(Path file) {
            return usable;
        }
    }
}
