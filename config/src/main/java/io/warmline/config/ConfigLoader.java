package io.warmline.config;

import io.warmline.config.internal.ConfigBinder;
import io.warmline.config.internal.Problems;
import io.warmline.config.internal.YamlTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads the operator's YAML config file into a validated {@link WarmlineConfig}. A file only needs the keys it
 * changes; everything else takes the defaults of {@link #defaults()}. A file with mistakes is refused with
 * every mistake listed. See docs/configuration.md for the keys. Thread-safe (no shared state).
 */
public final class ConfigLoader {

    /** Files larger than this are refused before parsing. */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    private ConfigLoader() {
    }

    /** The configuration used when no file is given: SIP udp+tcp and HTTP on loopback, no trunks. */
    public static WarmlineConfig defaults() {
        Problems problems = new Problems("<defaults>");
        WarmlineConfig config = new ConfigBinder(problems, name -> null, Path.of("")).bind(null);
        if (config == null) {
            throw new IllegalStateException("built-in defaults are invalid: " + problems.errors());
        }
        return config;
    }

    /**
     * Reads and validates {@code file}. Relative paths in it (the TLS keystore) are taken relative to the
     * file's directory.
     *
     * @param env looks up an environment variable by name, null when unset (secrets come from there)
     * @throws ConfigException listing every problem, when the file cannot be used
     */
    public static LoadedConfig load(Path file, Function<String, String> env) throws ConfigException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = readBounded(file);
        } catch (IOException e) {
            throw single(name, "cannot read the file (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes == null) {
            throw single(name, "the file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        Path dir = file.toAbsolutePath().getParent();
        return load(name, bytes, dir != null ? dir : Path.of("").toAbsolutePath(), env);
    }

    /**
     * Validates config file content already in memory.
     *
     * @param sourceName the name errors refer to
     * @param baseDirectory what relative paths in the content are relative to
     */
    public static LoadedConfig load(String sourceName, byte[] content, Path baseDirectory,
            Function<String, String> env) throws ConfigException {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(env, "env");
        if (content.length > MAX_FILE_BYTES) {
            throw single(sourceName, "the file is larger than " + MAX_FILE_BYTES + " bytes");
        }
        String text = decodeUtf8(sourceName, content);
        Problems problems = new Problems(sourceName);
        YamlTreeReader.Result tree = YamlTreeReader.read(text, problems);
        WarmlineConfig config = null;
        if (tree.readable()) {
            config = new ConfigBinder(problems, env, baseDirectory).bind(tree.root());
        }
        if (problems.hasErrors() || config == null) {
            throw new ConfigException(problems.errors());
        }
        return new LoadedConfig(config, problems.warnings());
    }

    /** The file's bytes, or null when it exceeds {@link #MAX_FILE_BYTES}. */
    private static byte[] readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            return bytes.length > MAX_FILE_BYTES ? null : bytes;
        }
    }

    private static String decodeUtf8(String name, byte[] content) throws ConfigException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content));
            String text = chars.toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int line = 1;
            int column = 1;
            int bad = firstInvalidUtf8(content);
            for (int i = 0; i < bad; i++) {
                if (content[i] == '\n') {
                    line++;
                    column = 1;
                } else if ((content[i] & 0xc0) != 0x80) {
                    column++;
                }
            }
            throw new ConfigException(List.of(
                    new ConfigError(name, line, column, "", "the file is not valid UTF-8")));
        }
    }

    private static int firstInvalidUtf8(byte[] content) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : content.length;
    }

    private static ConfigException single(String name, String message) {
        return new ConfigException(List.of(new ConfigError(name, 1, 1, "", message)));
    }
}
