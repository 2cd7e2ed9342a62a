package io.warmline.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the keys of one YAML mapping. Every key asked for becomes known; {@link #finish()} reports every key in
 * the file that was never asked for (a typo must never be silently ignored). An absent mapping reads as empty;
 * a key with an empty value ({@code key:} or {@code ~}) reads as absent. Not thread-safe.
 */
public final class MapReader {

    private final Map<String, YamlNode.Entry> entries;
    private final String path;
    private final Problems problems;
    private final int line;
    private final int column;
    private final Set<String> known = new LinkedHashSet<>();

    private MapReader(Map<String, YamlNode.Entry> entries, String path, Problems problems, int line, int column) {
        this.entries = entries;
        this.path = path;
        this.problems = problems;
        this.line = line;
        this.column = column;
    }

    /**
     * A reader over {@code node}, which may be null (absent: every key absent). Errors about the map as a whole,
     * such as a missing key, are reported at {@code anchor} (usually the key that holds the map), or at the map
     * itself when {@code anchor} is null. A node that is not a map is reported and reads as empty, with no
     * further errors.
     */
    public static MapReader of(YamlNode node, String path, Problems problems, YamlNode anchor) {
        YamlNode at = anchor != null ? anchor : node;
        int l = at == null ? 1 : at.line();
        int c = at == null ? 1 : at.column();
        if (node == null || isNull(node)) {
            return new MapReader(Map.of(), path, problems, l, c);
        }
        if (node instanceof YamlNode.MapNode map) {
            return new MapReader(map.entries(), path, problems, l, c);
        }
        problems.error(node, path, "expected a map, got " + node.kindName());
        return new MapReader(null, path, problems, l, c);
    }

    /** False when the node was not a map (already reported): its keys are then neither present nor missing. */
    public boolean readable() {
        return entries != null;
    }

    public String path() {
        return path;
    }

    public String path(String key) {
        return Text.child(path, key);
    }

    /** The sub-mapping under {@code key}; absent reads as empty. */
    public MapReader section(String key) {
        YamlNode value = node(key);
        YamlNode.Entry e = entries == null ? null : entries.get(key);
        YamlNode at = e != null ? new YamlNode.Scalar(e.line(), e.column(), YamlNode.Kind.NULL, "") : anchor();
        return of(value, path(key), problems, at);
    }

    /** The value under {@code key}, or null when absent or empty. Marks the key as known. */
    public YamlNode node(String key) {
        known.add(key);
        if (entries == null) {
            return null;
        }
        YamlNode.Entry e = entries.get(key);
        return e == null || isNull(e.value()) ? null : e.value();
    }

    public boolean has(String key) {
        return node(key) != null;
    }

    /** Where this map starts (or, for an absent map, its parent), for errors about the map as a whole. */
    public YamlNode anchor() {
        return new YamlNode.Scalar(line, column, YamlNode.Kind.NULL, "");
    }

    /** The value's node when present, else this map's anchor: where to report an error about {@code key}. */
    public YamlNode at(String key) {
        YamlNode n = node(key);
        return n != null ? n : anchor();
    }

    public <T> T required(String key, Binder<T> binder) {
        YamlNode n = node(key);
        if (n == null) {
            if (entries != null) {
                problems.error(line, column, path(key), "missing required key " + Text.quote(key));
            }
            return null;
        }
        return binder.bind(n, path(key), problems);
    }

    /** The bound value, {@code absent} when the key is absent, or null after a reported error. */
    public <T> T optional(String key, Binder<T> binder, T absent) {
        YamlNode n = node(key);
        return n == null ? absent : binder.bind(n, path(key), problems);
    }

    /** The entries of the sub-mapping under {@code key} (keys chosen by the operator, e.g. trunk names). */
    public List<YamlNode.Entry> entries(String key) {
        YamlNode n = node(key);
        if (n == null) {
            return List.of();
        }
        if (n instanceof YamlNode.MapNode map) {
            return new ArrayList<>(map.entries().values());
        }
        problems.error(n, path(key), "expected a map, got " + n.kindName());
        return List.of();
    }

    /** Reports every key in the file that no one asked for. */
    public void finish() {
        if (entries == null) {
            return;
        }
        for (YamlNode.Entry e : entries.values()) {
            if (!known.contains(e.key())) {
                problems.error(e.line(), e.column(), path(e.key()), "unknown key " + Text.quote(e.key()) + hint(e.key()));
            }
        }
    }

    private String hint(String key) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = Text.distance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        String allowed = String.join(", ", known);
        return best != null ? " (did you mean " + Text.quote(best) + "?)" : " (allowed here: " + allowed + ")";
    }

    private static boolean isNull(YamlNode n) {
        return n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL;
    }
}
