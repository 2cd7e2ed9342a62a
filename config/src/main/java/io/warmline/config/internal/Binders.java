package io.warmline.config.internal;

import io.warmline.config.Cidr;
import io.warmline.config.HostPort;
import io.warmline.config.NumberPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binders for the value types of the config file. Each reports what it expected, with an echo of what it got. */
public final class Binders {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,10}");

    private Binders() {
    }

    /** A scalar as written (strings, and numbers such as {@code 2000} taken as their text), no control characters. */
    public static Binder<String> text(int maxLength) {
        return (node, path, p) -> {
            if (!(node instanceof YamlNode.Scalar s) || s.kind() == YamlNode.Kind.NULL) {
                p.error(node, path, "expected a text value, got " + node.kindName());
                return null;
            }
            String t = s.text();
            if (t.isEmpty() || t.length() > maxLength) {
                p.error(node, path, "expected 1.." + maxLength + " characters, got " + t.length());
                return null;
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    p.error(node, path, "control characters are not allowed here");
                    return null;
                }
            }
            return t;
        };
    }

    /** A text value that must match {@code pattern}; {@code expected} says what that means. */
    public static Binder<String> matching(Pattern pattern, String expected) {
        return map(text(256), (t, node, path, p) -> {
            if (!pattern.matcher(t).matches()) {
                p.error(node, path, "expected " + expected + ", got " + Text.quote(t));
                return null;
            }
            return t;
        });
    }

    /** A text value looked up in {@code choices} (exact spelling). */
    public static <T> Binder<T> oneOf(Map<String, T> choices) {
        return map(text(64), (t, node, path, p) -> {
            T v = choices.get(t);
            if (v == null) {
                p.error(node, path, "expected one of " + String.join(", ", choices.keySet()) + ", got " + Text.quote(t));
            }
            return v;
        });
    }

    public static Binder<Integer> integer(int min, int max) {
        return (node, path, p) -> {
            if (!(node instanceof YamlNode.Scalar s) || s.kind() != YamlNode.Kind.INTEGER
                    || !INTEGER.matcher(s.text()).matches()) {
                p.error(node, path, "expected an integer " + min + ".." + max + ", got " + echo(node));
                return null;
            }
            long v = Long.parseLong(s.text());
            if (v < min || v > max) {
                p.error(node, path, "must be " + min + ".." + max + ", got " + v);
                return null;
            }
            return (int) v;
        };
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h}, within [min, max]. */
    public static Binder<Duration> duration(Duration min, Duration max) {
        return (node, path, p) -> {
            if (!(node instanceof YamlNode.Scalar s) || s.kind() == YamlNode.Kind.NULL) {
                p.error(node, path, "expected a duration such as 500ms, 30s, 2m or 1h, got " + node.kindName());
                return null;
            }
            Duration d = parseDuration(s.text());
            if (d == null) {
                p.error(node, path, "expected a duration such as 500ms, 30s, 2m or 1h, got " + Text.quote(s.text()));
                return null;
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                p.error(node, path, "must be " + format(min) + ".." + format(max) + ", got " + format(d));
                return null;
            }
            return d;
        };
    }

    /** Like {@link #duration} but a whole number of seconds (for values sent in seconds on the wire). */
    public static Binder<Duration> seconds(Duration min, Duration max) {
        return map(duration(min, max), (d, node, path, p) -> {
            if (d.getNano() != 0) {
                p.error(node, path, "must be a whole number of seconds, got " + format(d));
                return null;
            }
            return d;
        });
    }

    public static Binder<HostPort> hostPort(int defaultPort) {
        return parsed(text(300), s -> HostPort.parse(s, defaultPort));
    }

    public static Binder<Cidr> cidr() {
        return parsed(text(64), Cidr::parse);
    }

    public static Binder<NumberPattern> numberPattern() {
        return parsed(text(64), NumberPattern::new);
    }

    /**
     * A list of {@code min..max} items. Every item is checked, so all mistakes are reported; null if any failed.
     */
    public static <T> Binder<List<T>> list(Binder<T> item, int min, int max) {
        return (node, path, p) -> {
            if (!(node instanceof YamlNode.ListNode l)) {
                p.error(node, path, "expected a list, got " + node.kindName());
                return null;
            }
            if (l.items().size() < min || l.items().size() > max) {
                p.error(node, path, (min == max ? "expected " + min : "expected " + min + ".." + max)
                        + " items, got " + l.items().size());
                return null;
            }
            int mark = p.mark();
            List<T> out = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                YamlNode n = l.items().get(i);
                String itemPath = Text.index(path, i);
                if (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL) {
                    p.error(n, itemPath, "empty list item");
                    continue;
                }
                T v = item.bind(n, itemPath, p);
                if (v != null) {
                    out.add(v);
                }
            }
            return p.noErrorsSince(mark) ? out : null;
        };
    }

    /** A further check or conversion applied to a bound value. */
    @FunctionalInterface
    public interface Step<A, B> {
        B apply(A value, YamlNode node, String path, Problems problems);
    }

    public static <A, B> Binder<B> map(Binder<A> first, Step<A, B> then) {
        return (node, path, p) -> {
            A a = first.bind(node, path, p);
            return a == null ? null : then.apply(a, node, path, p);
        };
    }

    /** Applies a strict parser that throws {@link IllegalArgumentException} with a message saying what it expected. */
    public static <T> Binder<T> parsed(Binder<String> text, Function<String, T> parser) {
        return map(text, (t, node, path, p) -> {
            try {
                return parser.apply(t);
            } catch (IllegalArgumentException e) {
                p.error(node, path, e.getMessage() + ", got " + Text.quote(t));
                return null;
            }
        });
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest exact spelling in the config syntax, e.g. {@code 90s}, {@code 2m}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static String echo(YamlNode node) {
        return node instanceof YamlNode.Scalar s && s.kind() != YamlNode.Kind.NULL
                ? Text.quote(s.text())
                : node.kindName();
    }
}
