package io.warmline.media.rtcp;

import java.util.List;

/** Range checks shared by the packet records. */
final class RtcpFields {

    /** RC and SC are 5-bit fields (RFC 3550 §6.4.1, §6.5, §6.6). */
    static final int MAX_COUNT = 31;

    private RtcpFields() {
    }

    static void checkU32(String name, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(name + " is not an unsigned 32-bit value: " + value);
        }
    }

    static <T> List<T> checkCount(String name, List<T> items) {
        List<T> copy = List.copyOf(items);
        if (copy.size() > MAX_COUNT) {
            throw new IllegalArgumentException("at most " + MAX_COUNT + " " + name + ", got " + copy.size());
        }
        return copy;
    }
}
