package io.warmline.bridge.recording;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a recording's files go: one directory per UTC day under the configured directory, and in it
 * {@code <conversation>_<start>_<part>.wav}, e.g. {@code 2026-11-21/conv-42_20261121T161003.123Z_mix.wav} or
 * {@code ..._caller.wav}. Conversation IDs and leg ids come from outside (SIP headers, the API), so each is reduced
 * to a safe file-name component: only {@code A-Z a-z 0-9 . _ -}, no leading dot, bounded length; when that changed
 * the text, a short hash of the original is appended so that two IDs never share a name. A name can therefore never
 * hold a separator or {@code ..}, or leave the day's directory. Thread-safe.
 */
public final class RecordingFiles {
    /** Longest conversation component (a hash suffix included). */
    static final int MAX_CONVERSATION = 64;
    /** Longest part component (a hash suffix included). */
    static final int MAX_PART = 40;
    private static final int HASH_CHARS = 8;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;

    public RecordingFiles(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    /** The file of {@code part} ({@code mix} or a leg id) of a recording of a conversation begun at {@code start}. */
    public Path file(String conversationId, Instant start, String part) {
        String name = component(conversationId, MAX_CONVERSATION) + "_" + STAMP.format(start) + "_"
                + component(part, MAX_PART) + ".wav";
        return directory.resolve(DAY.format(start)).resolve(name);
    }

    /** {@code file} relative to the recording directory, with '/' separators (what the API reports). */
    public String relative(Path file) {
        return directory.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** {@code text} as a safe file-name component of at most {@code max} characters. */
    static String component(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c == '_' || c == '.' && b.length() > 0;
            b.append(safe ? c : '_');
        }
        String s = b.toString();
        if (s.equals(text) && !s.isEmpty()) {
            return s;
        }
        String base = s.substring(0, Math.min(s.length(), max - HASH_CHARS - 1));
        return base + "-" + hash(text);
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, HASH_CHARS / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
