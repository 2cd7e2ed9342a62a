package io.warmline.media.mix;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who hears whom in a bridge, by participant id: an immutable set of directed edges {@code listener ← source}.
 * Nobody hears themselves (such an edge is refused). Ids that are not (yet) in the {@link Mixer} are kept and apply
 * when a participant with that id joins.
 *
 * <p>The bridge's phases are a few matrices (see DESIGN.md, "hearing matrix"): while the IVR is navigated only the
 * automation hears the human leg; during the briefing the human hears the speech player; once bridged customer and
 * human hear each other and a silent agent hears both.
 */
public final class HearingMatrix {

    private static final HearingMatrix NONE = new HearingMatrix(Map.of());

    private final Map<String, Set<String>> sourcesByListener;

    private HearingMatrix(Map<String, Set<String>> sourcesByListener) {
        this.sourcesByListener = sourcesByListener;
    }

    /** Nobody hears anybody. */
    public static HearingMatrix none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder(Map.of());
    }

    public Builder toBuilder() {
        return new Builder(sourcesByListener);
    }

    public boolean hears(String listener, String source) {
        return sourcesByListener.getOrDefault(listener, Set.of()).contains(source);
    }

    /** The sources {@code listener} may hear (unmodifiable, possibly empty). */
    public Set<String> sourcesOf(String listener) {
        return sourcesByListener.getOrDefault(listener, Set.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HearingMatrix other && sourcesByListener.equals(other.sourcesByListener);
    }

    @Override
    public int hashCode() {
        return sourcesByListener.hashCode();
    }

    @Override
    public String toString() {
        return "HearingMatrix" + sourcesByListener;
    }

    /** Collects edges; not thread-safe. */
    public static final class Builder {

        private final Map<String, Set<String>> edges = new LinkedHashMap<>();

        private Builder(Map<String, Set<String>> from) {
            from.forEach((listener, sources) -> edges.put(listener, new LinkedHashSet<>(sources)));
        }

        /** {@code listener} hears each of {@code sources}. */
        public Builder hears(String listener, String... sources) {
            Objects.requireNonNull(listener, "listener");
            for (String source : sources) {
                Objects.requireNonNull(source, "source");
                if (listener.equals(source)) {
                    throw new IllegalArgumentException("a participant never hears itself: " + listener);
                }
                edges.computeIfAbsent(listener, k -> new LinkedHashSet<>()).add(source);
            }
            return this;
        }

        /** Every one of {@code ids} hears every other one. */
        public Builder conference(String... ids) {
            for (String listener : ids) {
                for (String source : ids) {
                    if (!listener.equals(source)) {
                        hears(listener, source);
                    }
                }
            }
            return this;
        }

        /** Removes the edge {@code listener ← source} if present. */
        public Builder deafen(String listener, String source) {
            Set<String> sources = edges.get(listener);
            if (sources != null) {
                sources.remove(source);
            }
            return this;
        }

        /** {@code listener} hears nobody. */
        public Builder hearsNobody(String listener) {
            edges.remove(listener);
            return this;
        }

        public HearingMatrix build() {
            Map<String, Set<String>> copy = new LinkedHashMap<>();
            edges.forEach((listener, sources) -> {
                if (!sources.isEmpty()) {
                    copy.put(listener, Collections.unmodifiableSet(new LinkedHashSet<>(sources)));
                }
            });
            return copy.isEmpty() ? NONE : new HearingMatrix(Collections.unmodifiableMap(copy));
        }
    }
}
