package io.warmline.bridge.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A parsed Prometheus text exposition (format 0.0.4): samples with their labels, and the {@code # TYPE} of each
 * metric family. Strict enough for tests: a line that is neither a comment nor a well-formed sample is an error.
 */
public final class Exposition {
    /** One sample line: {@code name{label="value",...} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final Map<String, String> types;

    private Exposition(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    public static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] p = line.split(" ", 4);
                if (p.length >= 4 && p[1].equals("TYPE")) {
                    types.put(p[2], p[3]);
                }
                continue;
            }
            samples.add(sample(line));
        }
        return new Exposition(samples, types);
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name in: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf("=\"", i);
                String label = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Sample(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The {@code # TYPE} of a metric family ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
    public String type(String family) {
        return types.get(family);
    }

    /**
     * The value of the one sample named {@code name} whose labels include {@code labels} (given as name, value
     * pairs); empty when there is none; an error when several match.
     */
    public OptionalDouble value(String name, String... labels) {
        OptionalDouble found = OptionalDouble.empty();
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s.labels(), labels)) {
                if (found.isPresent()) {
                    throw new IllegalStateException("several samples " + name + " match " + List.of(labels));
                }
                found = OptionalDouble.of(s.value());
            }
        }
        return found;
    }

    /** As {@link #value} but 0 when absent (a counter not yet incremented). */
    public double valueOrZero(String name, String... labels) {
        return value(name, labels).orElse(0);
    }

    private static boolean matches(Map<String, String> have, String[] want) {
        for (int i = 0; i + 1 < want.length; i += 2) {
            String v = have.get(want[i]);
            if (v == null || !(v.equals(want[i + 1]) || want[i].equals("le") && sameBound(v, want[i + 1]))) {
                return false;
            }
        }
        return true;
    }

    /** Bucket bounds compare as numbers: {@code le="50"} and {@code le="50.0"} are one bound. */
    private static boolean sameBound(String a, String b) {
        try {
            return parseValue(a) == parseValue(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
