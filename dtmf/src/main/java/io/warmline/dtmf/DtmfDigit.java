package io.warmline.dtmf;

/**
 * The sixteen DTMF keys with their RFC 4733 §3.2 event codes and ITU-T Q.23 frequency pairs.
 */
public enum DtmfDigit {
    D0('0', 0, 941, 1336),
    D1('1', 1, 697, 1209),
    D2('2', 2, 697, 1336),
    D3('3', 3, 697, 1477),
    D4('4', 4, 770, 1209),
    D5('5', 5, 770, 1336),
    D6('6', 6, 770, 1477),
    D7('7', 7, 852, 1209),
    D8('8', 8, 852, 1336),
    D9('9', 9, 852, 1477),
    STAR('*', 10, 941, 1209),
    POUND('#', 11, 941, 1477),
    A('A', 12, 697, 1633),
    B('B', 13, 770, 1633),
    C('C', 14, 852, 1633),
    D('D', 15, 941, 1633);

    /** Q.23 low (row) group, Hz. */
    public static final int[] LOW_GROUP = {697, 770, 852, 941};
    /** Q.23 high (column) group, Hz. */
    public static final int[] HIGH_GROUP = {1209, 1336, 1477, 1633};

    private static final DtmfDigit[] BY_EVENT = values();
    private static final DtmfDigit[][] BY_PAIR = new DtmfDigit[4][4];

    static {
        for (DtmfDigit d : BY_EVENT) {
            BY_PAIR[indexOf(LOW_GROUP, d.low)][indexOf(HIGH_GROUP, d.high)] = d;
        }
    }

    private final char symbol;
    private final int event;
    private final int low;
    private final int high;

    DtmfDigit(char symbol, int event, int low, int high) {
        this.symbol = symbol;
        this.event = event;
        this.low = low;
        this.high = high;
    }

    public char symbol() {
        return symbol;
    }

    /** RFC 4733 §3.2 event code (0–15). */
    public int event() {
        return event;
    }

    public int lowHz() {
        return low;
    }

    public int highHz() {
        return high;
    }

    /** The digit for RFC 4733 event code {@code event}, or null if it is not a DTMF event (16 and above). */
    public static DtmfDigit fromEvent(int event) {
        return event >= 0 && event < BY_EVENT.length ? BY_EVENT[event] : null;
    }

    /** The digit for {@code symbol} ({@code 0-9 * # A-D}, upper case only), or null. */
    public static DtmfDigit fromSymbol(char symbol) {
        if (symbol >= '0' && symbol <= '9') {
            return BY_EVENT[symbol - '0'];
        }
        return switch (symbol) {
            case '*' -> STAR;
            case '#' -> POUND;
            case 'A' -> A;
            case 'B' -> B;
            case 'C' -> C;
            case 'D' -> D;
            default -> null;
        };
    }

    /** The digit at row {@code lowIndex} and column {@code highIndex} of the Q.23 keypad. */
    public static DtmfDigit fromPair(int lowIndex, int highIndex) {
        return BY_PAIR[lowIndex][highIndex];
    }

    private static int indexOf(int[] group, int hz) {
        for (int i = 0; i < group.length; i++) {
            if (group[i] == hz) {
                return i;
            }
        }
        throw new IllegalStateException("not a Q.23 frequency: " + hz);
    }
}
