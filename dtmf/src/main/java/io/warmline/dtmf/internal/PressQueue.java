package io.warmline.dtmf.internal;

import io.warmline.dtmf.DigitPress;

/** Reported presses waiting for their owner, oldest first; when full, the oldest gives way to the newest. */
public final class PressQueue {

    private final DigitPress[] queue;
    private int head;
    private int size;

    public PressQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        queue = new DigitPress[capacity];
    }

    public void add(DigitPress press) {
        if (size == queue.length) {
            head = (head + 1) % queue.length;
            size--;
        }
        queue[(head + size) % queue.length] = press;
        size++;
    }

    /** The oldest press, or null. */
    public DigitPress poll() {
        if (size == 0) {
            return null;
        }
        DigitPress press = queue[head];
        queue[head] = null;
        head = (head + 1) % queue.length;
        size--;
        return press;
    }
}
