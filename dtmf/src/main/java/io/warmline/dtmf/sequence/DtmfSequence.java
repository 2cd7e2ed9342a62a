package io.warmline.dtmf.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operators' DTMF sequence language (DESIGN.md, "DTMF sequence language"), parsed into immutable steps.
 *
 * <pre>
 * sequence := ( blank | press | 'w' | 'W' | prompt )*        at least one step
 * press    := options? key
 * key      := '0'-'9' | '*' | '#' | 'A'-'D'                 (upper case; 'a'-'d' are refused)
 * options  := '{' option ( ',' option )* '}'                 for the key that follows only
 * option   := 'duration=' time | 'gap=' time                 tone length, silence after it
 * 'w'      := pause 0.5 s, 'W' := pause 1 s                   (the Twilio / LiveKit / Asterisk convention)
 * prompt   := 'p' ( '{' popt ( ',' popt )* '}' )?           wait until the far end has spoken and then been silent
 * popt     := 'silence=' time | 'timeout=' time | 'fallback=' ( 'continue' | 'fail' )
 * time     := digits ( '.' digits )? ( 'ms' | 's' )          e.g. 120ms, 1.5s
 * blank    := ' ' | tab                                       ignored, for readability
 * </pre>
 * Example: {@code p 1 w {duration=200ms}2 p{silence=800ms,timeout=20s,fallback=fail} 3#}.
 *
 * <p>The structured form is a list of such strings (one per menu level, say), joined in order; errors then name the
 * item as well. Bounded: {@link #MAX_LENGTH} characters per string and {@link #MAX_STEPS} steps in all. Every error
 * names its 1-based position. Immutable and thread-safe.
 */
public final class DtmfSequence {

    public static final int MAX_LENGTH = 1024;
    public static final int MAX_STEPS = 256;

    private final List<SequenceStep> steps;

    private DtmfSequence(List<SequenceStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public static DtmfSequence parse(String text) throws DtmfSequenceException {
        return parse(text, SequenceDefaults.STANDARD);
    }

    public static DtmfSequence parse(String text, SequenceDefaults defaults) throws DtmfSequenceException {
        Objects.requireNonNull(text, "text");
        List<SequenceStep> steps = new ArrayList<>();
        new SequenceParser(text, -1, defaults, steps).parse();
        return new DtmfSequence(steps);
    }

    /** The structured (list) form: the items' steps in order. */
    public static DtmfSequence parse(List<String> items, SequenceDefaults defaults) throws DtmfSequenceException {
        Objects.requireNonNull(items, "items");
        if (items.isEmpty()) {
            throw new DtmfSequenceException(-1, 1, "empty list");
        }
        if (items.size() > MAX_STEPS) {
            throw new DtmfSequenceException(MAX_STEPS, 1, "more than " + MAX_STEPS + " items");
        }
        List<SequenceStep> steps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            if (item == null) {
                throw new DtmfSequenceException(i, 1, "empty item");
            }
            new SequenceParser(item, i, defaults, steps).parse();
        }
        return new DtmfSequence(steps);
    }

    public List<SequenceStep> steps() {
        return steps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtmfSequence other && steps.equals(other.steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    @Override
    public String toString() {
        return "DtmfSequence" + steps;
    }
}
