package io.warmline.dtmf.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import org.junit.jupiter.api.Test;

class PressQueueTest {

    private static DigitPress press(long start) {
        return new DigitPress(DtmfDigit.D5, start, 100, true);
    }

    @Test
    void pressesComeOutOldestFirstAcrossTheWrap() {
        PressQueue queue = new PressQueue(3);
        assertNull(queue.poll());
        DigitPress a = press(1);
        DigitPress b = press(2);
        DigitPress c = press(3);
        DigitPress d = press(4);
        queue.add(a);
        queue.add(b);
        assertSame(a, queue.poll());
        queue.add(c);
        queue.add(d);
        assertSame(b, queue.poll());
        assertSame(c, queue.poll());
        assertSame(d, queue.poll());
        assertNull(queue.poll());
    }

    @Test
    void whenFullTheOldestGivesWay() {
        PressQueue queue = new PressQueue(2);
        DigitPress a = press(1);
        DigitPress b = press(2);
        DigitPress c = press(3);
        queue.add(a);
        queue.add(b);
        queue.add(c);
        assertSame(b, queue.poll());
        assertSame(c, queue.poll());
        assertNull(queue.poll());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PressQueue(0));
    }
}
