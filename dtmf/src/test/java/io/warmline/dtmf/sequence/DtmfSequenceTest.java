package io.warmline.dtmf.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.sequence.SequenceStep.AwaitPrompt;
import io.warmline.dtmf.sequence.SequenceStep.Pause;
import io.warmline.dtmf.sequence.SequenceStep.Press;
import io.warmline.dtmf.sequence.SequenceStep.PromptFallback;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DtmfSequenceTest {

    /** Steps as text: {@code 1/100/100} press, {@code w500} pause, {@code p1000/15000/CONTINUE} prompt wait. */
    static String render(DtmfSequence sequence) {
        return sequence.steps().stream().map(DtmfSequenceTest::render).collect(Collectors.joining(" "));
    }

    static String render(SequenceStep s) {
        if (s instanceof Press p) {
            return p.digit().symbol() + "/" + p.tone().toMillis() + "/" + p.gap().toMillis();
        }
        if (s instanceof Pause p) {
            return "w" + p.duration().toMillis();
        }
        AwaitPrompt p = (AwaitPrompt) s;
        return "p" + p.silence().toMillis() + "/" + p.timeout().toMillis() + "/" + p.fallback();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "1 | 1/100/100",
        "0123456789*#ABCD | 0/100/100 1/100/100 2/100/100 3/100/100 4/100/100 5/100/100 6/100/100 7/100/100 "
            + "8/100/100 9/100/100 */100/100 #/100/100 A/100/100 B/100/100 C/100/100 D/100/100",
        "1w2W3 | 1/100/100 w500 2/100/100 w1000 3/100/100",
        "wwW | w500 w500 w1000",
        "' 1 \t2 ' | 1/100/100 2/100/100",
        "{duration=200ms}1 2 | 1/200/100 2/100/100",
        "{gap=1.5s,duration=60ms}# | #/60/1500",
        "{duration=2s}D | D/2000/100",
        "{duration=0.04s}5 | 5/40/100",
        "p | p1000/15000/CONTINUE",
        "p1p2 | p1000/15000/CONTINUE 1/100/100 p1000/15000/CONTINUE 2/100/100",
        "p{silence=800ms} | p800/15000/CONTINUE",
        "p{timeout=20s,fallback=fail,silence=1.25s}3# | p1250/20000/FAIL 3/100/100 #/100/100",
        "p{fallback=continue} | p1000/15000/CONTINUE",
        "W p 1 w {duration=200ms}2 p{silence=800ms,timeout=20s,fallback=fail} 3# | w1000 p1000/15000/CONTINUE "
            + "1/100/100 w500 2/200/100 p800/20000/FAIL 3/100/100 #/100/100",
    })
    void parses(String text, String expected) throws DtmfSequenceException {
        assertEquals(expected, render(DtmfSequence.parse(text)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "'' | 1 | no steps",
        "'   ' | 4 | no steps",
        "12x | 3 | unexpected 'x'",
        "1a | 2 | upper case",
        "1P | 2 | lower-case 'p'",
        "1,2 | 2 | unexpected ','",
        "1}2 | 2 | unexpected '}'",
        "12\u00e93 | 3 | U+00E9",
        "{duration=120ms} | 17 | followed by a key at",
        "{duration=120ms}w | 17 | followed by a key, not 'w'",
        "{duration=120ms} 1 | 17 | followed by a key, not ' '",
        "{duration=120ms | 1 | unclosed '{'",
        "{duration=120ms,1 | 17 | expected an option name, found '1'",
        "{} | 2 | expected an option name, found '}'",
        "{ | 2 | expected an option name at the end",
        "{volume=3}1 | 2 | unknown option 'volume'",
        "{duration}1 | 10 | expected '=' after duration",
        "{gap=50ms,gap=60ms}1 | 11 | gap given twice",
        "{duration=50ms,duration=60ms}1 | 16 | duration given twice",
        "{duration=120}1 | 11 | missing unit",
        "{duration=abc}1 | 11 | expected a time",
        "{duration=ms}1 | 11 | expected a time",
        "{duration=5ms}1 | 11 | duration must be 40..2000 ms, not 5 ms",
        "{duration=3s}1 | 11 | duration must be 40..2000 ms",
        "{gap=10ms}1 | 6 | gap must be 40..5000 ms",
        "{duration=1.5ms}1 | 11 | whole numbers",
        "{duration=1.s}1 | 11 | digits after '.'",
        "{duration=0.1234s}1 | 11 | millisecond precision",
        "{duration=1234567ms}1 | 11 | too many digits",
        "{duration=120ms;gap=50ms}1 | 16 | expected ',' or '}', found ';'",
        "{{duration=120ms}1 | 2 | expected an option name, found '{'",
        "p{silence=100ms} | 11 | silence must be 200..10000 ms",
        "p{timeout=500ms} | 11 | timeout must be 1000..120000 ms",
        "p{timeout=200s} | 11 | timeout must be",
        "p{fallback=maybe} | 12 | fallback must be continue or fail",
        "p{fallback=} | 12 | expected continue or fail, found '}'",
        "p{duration=1s} | 3 | unknown option 'duration'",
        "p{silence=2s,timeout=2s} | 24 | must be shorter than its timeout",
        "p{silence=1s,silence=1s} | 14 | silence given twice",
        "p{timeout=2s,timeout=3s} | 14 | timeout given twice",
        "p{fallback=fail,fallback=fail} | 17 | fallback given twice",
        "p{silence=1s | 2 | unclosed '{'",
        "1 2 {gap=50ms} | 15 | followed by a key at",
    })
    void refuses(String text, int position, String problem) {
        DtmfSequenceException e = assertThrows(DtmfSequenceException.class, () -> DtmfSequence.parse(text));
        assertEquals(position, e.position(), e.getMessage());
        assertEquals(-1, e.item());
        assertTrue(e.problem().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("position " + position + ": "), e.getMessage());
    }

    @Test
    void boundedInStepsAndLength() throws DtmfSequenceException {
        assertEquals(256, DtmfSequence.parse("1".repeat(256)).steps().size());
        DtmfSequenceException steps = assertThrows(DtmfSequenceException.class,
                () -> DtmfSequence.parse("1".repeat(257)));
        assertEquals(257, steps.position());
        DtmfSequenceException length = assertThrows(DtmfSequenceException.class,
                () -> DtmfSequence.parse(" ".repeat(1024) + "1"));
        assertEquals(1025, length.position());
        DtmfSequenceException acrossItems = assertThrows(DtmfSequenceException.class,
                () -> DtmfSequence.parse(List.of("1".repeat(200), "2".repeat(57)), SequenceDefaults.STANDARD));
        assertEquals(1, acrossItems.item());
        assertEquals(57, acrossItems.position());
    }

    @Test
    void structuredFormJoinsItemsAndNamesTheItemInErrors() throws DtmfSequenceException {
        DtmfSequence sequence = DtmfSequence.parse(List.of("p 1", "p{silence=500ms} 3", "w #"),
                SequenceDefaults.STANDARD);
        assertEquals(DtmfSequence.parse("p1 p{silence=500ms}3 w#"), sequence);
        DtmfSequenceException e = assertThrows(DtmfSequenceException.class,
                () -> DtmfSequence.parse(List.of("p 1", "p{silence=5}3"), SequenceDefaults.STANDARD));
        assertEquals(1, e.item());
        assertEquals(11, e.position());
        assertTrue(e.getMessage().startsWith("item 1, position 11: "), e.getMessage());
        assertEquals(0, assertThrows(DtmfSequenceException.class,
                () -> DtmfSequence.parse(List.of(""), SequenceDefaults.STANDARD)).item());
        assertThrows(DtmfSequenceException.class, () -> DtmfSequence.parse(List.of(), SequenceDefaults.STANDARD));
    }

    @Test
    void defaultsApplyWhereTheSequenceIsSilent() throws DtmfSequenceException {
        SequenceDefaults defaults = new SequenceDefaults(Duration.ofMillis(150), Duration.ofMillis(60),
                Duration.ofMillis(700), Duration.ofSeconds(30), PromptFallback.FAIL);
        DtmfSequence sequence = DtmfSequence.parse("1 {gap=200ms}2 p p{fallback=continue}", defaults);
        assertEquals(List.of(new Press(DtmfDigit.D1, Duration.ofMillis(150), Duration.ofMillis(60)),
                new Press(DtmfDigit.D2, Duration.ofMillis(150), Duration.ofMillis(200)),
                new AwaitPrompt(Duration.ofMillis(700), Duration.ofSeconds(30), PromptFallback.FAIL),
                new AwaitPrompt(Duration.ofMillis(700), Duration.ofSeconds(30), PromptFallback.CONTINUE)),
                sequence.steps());
        assertThrows(UnsupportedOperationException.class, () -> sequence.steps().add(new Pause(Duration.ZERO)));
    }

    @Test
    void defaultsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SequenceDefaults(Duration.ofMillis(10),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(15), PromptFallback.CONTINUE));
        assertThrows(IllegalArgumentException.class, () -> new SequenceDefaults(Duration.ofMillis(100),
                Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(2), PromptFallback.CONTINUE));
    }
}
