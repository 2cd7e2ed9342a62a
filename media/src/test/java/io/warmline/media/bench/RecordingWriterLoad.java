package io.warmline.media.bench;

import io.warmline.media.record.Recording;
import io.warmline.media.record.RecordingWriter;
import io.warmline.media.record.RecordingWriterStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What call recording costs: {@code recordings} recordings at 8 kHz fed {@code seconds} of 20 ms frames (as their
 * bridges' ticks would, but as fast as possible), waiting after each second of audio until the writer has written
 * that second's buffers. Reports the event loop's cost per frame handed to a recording and the writer thread's
 * time per one-second buffer (append, WAV header patch), on the file system of {@code java.io.tmpdir}.
 *
 * <p>{@code mvn -B -pl media -Pbench -DskipTests test -Dbench.main=io.warmline.media.bench.RecordingWriterLoad
 * -Djmh.args='500 20'}
 */
public final class RecordingWriterLoad {
    private RecordingWriterLoad() {
    }

    public static void main(String[] args) throws Exception {
        int recordings = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("warmline-recording-load");
        RecordingWriter writer = RecordingWriter.start(recordings * 4, 0);
        try {
            Recording[] r = new Recording[recordings];
            for (int i = 0; i < recordings; i++) {
                r[i] = writer.open(dir.resolve("r" + i + ".wav"), 8000, Duration.ofHours(1));
            }
            short[] frame = new short[160];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (short) (3000 * Math.sin(i * 0.3));
            }
            writer.awaitWritten(Duration.ofSeconds(60));
            long loopNanos = 0;
            long waitNanos = 0;
            for (int tick = 0; tick < seconds * 50; tick++) {
                long t = System.nanoTime();
                for (Recording x : r) {
                    x.onFrame(frame, 0, frame.length, 8000, 0);
                }
                loopNanos += System.nanoTime() - t;
                if (tick % 50 == 49) {
                    long w = System.nanoTime();
                    writer.awaitWritten(Duration.ofSeconds(60));
                    waitNanos += System.nanoTime() - w;
                }
            }
            RecordingWriterStats s = writer.stats();
            System.out.printf(Locale.ROOT, "%d recordings x %d s: event loop %.2f us per frame handed to a recording;"
                            + " writer %.1f us per one-second buffer (%d written, %d dropped): one writer thread"
                            + " keeps up with about %d recordings%n", recordings, seconds,
                    loopNanos / 1e3 / ((double) recordings * seconds * 50), waitNanos / 1e3 / s.chunksWritten(),
                    s.chunksWritten(), s.chunksDropped(), (long) (1e9 / (waitNanos / (double) s.chunksWritten())));
            for (Recording x : r) {
                x.close();
            }
            writer.awaitWritten(Duration.ofSeconds(60));
        } finally {
            writer.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
