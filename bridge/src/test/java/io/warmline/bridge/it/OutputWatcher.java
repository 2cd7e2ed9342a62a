package io.warmline.bridge.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a child process's output line by line on its own thread, copies it to a file and keeps the last lines in
 * memory so a test can wait for a line with a bounded timeout. Thread-safe.
 */
final class OutputWatcher {
    private static final int MAX_LINES = 100_000;

    private final List<String> lines = new ArrayList<>();
    private final Thread thread;
    private boolean closed;

    OutputWatcher(String name, InputStream in, Path copy) {
        thread = new Thread(() -> pump(in, copy), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(InputStream in, Path copy) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (this) {
                    if (lines.size() == MAX_LINES) {
                        lines.remove(0);
                    }
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The process went away; what was read so far stays available.
        } finally {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
        }
    }

    /** Waits until a line matches; false on timeout or when the stream ends first. */
    synchronized boolean await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (match.test(lines.get(checked))) {
                    return true;
                }
            }
            long left = deadline - System.nanoTime();
            if (closed || left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    /** The last {@code n} lines, for failure messages. */
    synchronized String tail(int n) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    void join(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }
}
