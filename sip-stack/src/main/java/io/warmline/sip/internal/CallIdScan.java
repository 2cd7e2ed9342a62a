package io.warmline.sip.internal;

/**
 * Finds the Call-ID header's value in a raw SIP message without parsing or allocating, so that the UDP reader can
 * pick a worker before the message is parsed. Header names are matched at line starts only (continuation lines of
 * folded headers are skipped), case-insensitively, in their full ("Call-ID") or compact ("i") form (RFC 3261
 * §7.3.1, §7.3.3, §20.8), and only within the header section: the scan ends at the first empty line. Every index
 * stays below {@code min(length, buf.length)}; nothing here throws on any input.
 */
public final class CallIdScan {

    /** Returned by {@link #find} when the message has no Call-ID in its header section. */
    public static final long NOT_FOUND = -1L;

    private static final byte[] CALL_ID = {'c', 'a', 'l', 'l', '-', 'i', 'd'};

    private CallIdScan() {
    }

    /**
     * The first Call-ID value of the message in {@code buf[offset, offset + length)}, packed as
     * {@code start << 32 | end} (indices into {@code buf}, end exclusive), or {@link #NOT_FOUND}. The value ends at
     * the first whitespace: a Call-ID is a word with an optional {@code @word} (RFC 3261 §25.1), compared byte by
     * byte (§20.8). A range reaching past the array is cut at its end.
     */
    public static long find(byte[] buf, int offset, int length) {
        if (offset < 0 || length <= 0 || offset >= buf.length) {
            return NOT_FOUND;
        }
        int n = (int) Math.min((long) offset + length, buf.length);
        int i = offset;
        // RFC 3261 §7.5: empty lines before the start line are ignored.
        while (i < n && (buf[i] == '\r' || buf[i] == '\n')) {
            i++;
        }
        i = nextLine(buf, i, n);
        while (i < n) {
            byte c = buf[i];
            if (c == '\r' || c == '\n') {
                return NOT_FOUND; // the empty line that ends the header section
            }
            if (c != ' ' && c != '\t') {
                int v = afterCallIdColon(buf, i, n);
                if (v >= 0) {
                    return value(buf, v, n);
                }
            }
            i = nextLine(buf, i, n);
        }
        return NOT_FOUND;
    }

    /** A hash of the Call-ID value (non-negative), or -1 when the message has none. */
    public static int hash(byte[] buf, int offset, int length) {
        long found = find(buf, offset, length);
        if (found == NOT_FOUND) {
            return -1;
        }
        int h = 0;
        for (int i = (int) (found >>> 32), end = (int) found; i < end; i++) {
            h = 31 * h + buf[i];
        }
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & Integer.MAX_VALUE;
    }

    private static int nextLine(byte[] buf, int i, int n) {
        while (i < n && buf[i] != '\n') {
            i++;
        }
        return i < n ? i + 1 : n;
    }

    /** Index just after the colon when the line at {@code i} is a Call-ID header, else -1 (RFC 3261 §25.1 HCOLON). */
    private static int afterCallIdColon(byte[] buf, int i, int n) {
        int j;
        if (matches(buf, i, n, CALL_ID)) {
            j = i + CALL_ID.length;
        } else if ((buf[i] | 0x20) == 'i') {
            j = i + 1;
        } else {
            return -1;
        }
        while (j < n && (buf[j] == ' ' || buf[j] == '\t')) {
            j++;
        }
        return j < n && buf[j] == ':' ? j + 1 : -1;
    }

    private static boolean matches(byte[] buf, int i, int n, byte[] lowerName) {
        if (n - i < lowerName.length) {
            return false;
        }
        for (int k = 0; k < lowerName.length; k++) {
            byte want = lowerName[k];
            byte got = buf[i + k];
            // Letters compare with their case bit set; '-' only with itself (CR | 0x20 would equal '-').
            if (want >= 'a' && want <= 'z' ? (got | 0x20) != want : got != want) {
                return false;
            }
        }
        return true;
    }

    /** The value after the colon: leading whitespace and line folding (RFC 3261 §7.3.1) skipped. */
    private static long value(byte[] buf, int j, int n) {
        while (j < n) {
            byte c = buf[j];
            if (c == ' ' || c == '\t') {
                j++;
            } else if (c == '\r' && j + 2 < n && buf[j + 1] == '\n' && (buf[j + 2] == ' ' || buf[j + 2] == '\t')) {
                j += 3;
            } else if (c == '\n' && j + 1 < n && (buf[j + 1] == ' ' || buf[j + 1] == '\t')) {
                j += 2;
            } else {
                break;
            }
        }
        int start = j;
        while (j < n && buf[j] != ' ' && buf[j] != '\t' && buf[j] != '\r' && buf[j] != '\n') {
            j++;
        }
        return start == j ? NOT_FOUND : (long) start << 32 | j;
    }
}
