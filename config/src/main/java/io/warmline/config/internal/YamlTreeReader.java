package io.warmline.config.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Streams one YAML document into a {@link YamlNode} tree that remembers where every value and key is. Duplicate
 * keys and aliases are reported as errors (they are legal YAML, but in a config file they hide mistakes);
 * depth and size are bounded. Not thread-safe; one instance per read.
 */
public final class YamlTreeReader {

    public static final int MAX_DEPTH = 32;
    public static final int MAX_NODES = 100_000;

    private static final YAMLFactory FACTORY = factory();

    private final Problems problems;
    private int nodes;

    private YamlTreeReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * Reads {@code text}. Returns the root (null for an empty document), or null with an error reported when
     * the text is not one well-formed YAML document within the bounds.
     */
    public static Result read(String text, Problems problems) {
        return new YamlTreeReader(problems).readDocument(text);
    }

    /** The document's root (null when the file holds no document) and whether it could be read at all. */
    public record Result(YamlNode root, boolean readable) {
    }

    private static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(MAX_DEPTH + 2);
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(2 * 1024 * 1024);
        return YAMLFactory.builder()
                .loaderOptions(options)
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH + 2)
                        .maxStringLength(2 * 1024 * 1024)
                        .maxNameLength(64 * 1024)
                        .build())
                .build();
    }

    private Result readDocument(String text) {
        YAMLParser parser = null;
        try {
            parser = FACTORY.createParser(text);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Result(null, true);
            }
            YamlNode root = readValue(parser, first, 0, "");
            if (root == null) {
                return new Result(null, false);
            }
            if (parser.nextToken() != null) {
                JsonLocation loc = parser.currentTokenLocation();
                problems.error(loc.getLineNr(), loc.getColumnNr(), "",
                        "a second YAML document; the config file must hold exactly one");
                return new Result(null, false);
            }
            return new Result(root, true);
        } catch (JacksonException e) {
            reportSyntax(e, parser);
            return new Result(null, false);
        } catch (IOException | RuntimeException e) {
            // The YAML scanner can fail in ways it does not report as a parse error; the file is still unreadable.
            JsonLocation loc = parser == null ? null : parser.currentLocation();
            problems.error(loc == null ? 1 : Math.max(1, loc.getLineNr()), loc == null ? 1 : Math.max(1, loc.getColumnNr()),
                    "", "not valid YAML (" + e.getClass().getSimpleName() + ")");
            return new Result(null, false);
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // Reading from a String: nothing to release.
                }
            }
        }
    }

    /** Returns null when reading had to stop (the error is reported). */
    private YamlNode readValue(YAMLParser p, JsonToken token, int depth, String path) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int column = loc.getColumnNr();
        if (++nodes > MAX_NODES) {
            problems.error(line, column, path, "more than " + MAX_NODES + " values in the file");
            return null;
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            if (depth >= MAX_DEPTH) {
                problems.error(line, column, path, "nested deeper than " + MAX_DEPTH + " levels");
                return null;
            }
        }
        switch (token) {
            case START_OBJECT:
                return readMap(p, line, column, depth, path);
            case START_ARRAY:
                return readList(p, line, column, depth, path);
            case VALUE_STRING:
                if (p.isCurrentAlias()) {
                    problems.error(line, column, path, "YAML aliases (*name) are not supported in the config file");
                    return new YamlNode.Scalar(line, column, YamlNode.Kind.NULL, "");
                }
                return new YamlNode.Scalar(line, column, YamlNode.Kind.STRING, p.getText());
            case VALUE_NUMBER_INT:
                return new YamlNode.Scalar(line, column, YamlNode.Kind.INTEGER, p.getText());
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.Scalar(line, column, YamlNode.Kind.FLOAT, p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode.Scalar(line, column, YamlNode.Kind.BOOLEAN, p.getText());
            case VALUE_NULL:
                return new YamlNode.Scalar(line, column, YamlNode.Kind.NULL, "");
            default:
                problems.error(line, column, path, "unsupported YAML construct");
                return null;
        }
    }

    private YamlNode readMap(YAMLParser p, int line, int column, int depth, String path) throws IOException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                JsonLocation loc = p.currentTokenLocation();
                problems.error(loc.getLineNr(), loc.getColumnNr(), path, "expected a key");
                return null;
            }
            JsonLocation keyLoc = p.currentTokenLocation();
            String key = p.currentName();
            String keyPath = Text.child(path, key);
            JsonToken valueToken = p.nextToken();
            if (valueToken == null) {
                problems.error(keyLoc.getLineNr(), keyLoc.getColumnNr(), keyPath, "unexpected end of file");
                return null;
            }
            YamlNode value = readValue(p, valueToken, depth + 1, keyPath);
            if (value == null) {
                return null;
            }
            YamlNode.Entry entry = new YamlNode.Entry(key, keyLoc.getLineNr(), keyLoc.getColumnNr(), value);
            YamlNode.Entry earlier = entries.putIfAbsent(key, entry);
            if (earlier != null) {
                problems.error(entry.line(), entry.column(), keyPath,
                        "duplicate key " + Text.quote(key) + " (first at line " + earlier.line() + ")");
            }
        }
        return new YamlNode.MapNode(line, column, entries);
    }

    private YamlNode readList(YAMLParser p, int line, int column, int depth, String path) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                problems.error(line, column, path, "unexpected end of file in a list");
                return null;
            }
            YamlNode item = readValue(p, t, depth + 1, Text.index(path, items.size()));
            if (item == null) {
                return null;
            }
            items.add(item);
        }
        return new YamlNode.ListNode(line, column, items);
    }

    private void reportSyntax(JacksonException e, YAMLParser parser) {
        int line = 0;
        int column = 0;
        String message = "not valid YAML";
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYAMLException marked) {
            Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            if (mark != null) {
                line = mark.getLine() + 1;
                column = mark.getColumn() + 1;
            }
            // Problem and context only: the full message quotes the file, which may hold a secret.
            String problem = marked.getProblem();
            String context = marked.getContext();
            message = "not valid YAML: " + (context != null ? context + ", " : "") + (problem != null ? problem : "");
        } else {
            if (e.getLocation() != null) {
                line = e.getLocation().getLineNr();
                column = e.getLocation().getColumnNr();
            }
            // Other parse errors describe parser events, which can carry values from the file: not echoed.
            message = e instanceof StreamConstraintsException
                    ? "too deeply nested or too long: " + e.getOriginalMessage()
                    : "not valid YAML here (complex keys and tags are not supported)";
        }
        if (line <= 0 && parser != null) {
            JsonLocation loc = parser.currentLocation();
            line = loc.getLineNr();
            column = loc.getColumnNr();
        }
        problems.error(Math.max(1, line), Math.max(1, column), "", Text.clean(message, 200));
    }
}
