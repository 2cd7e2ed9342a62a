package io.warmline.dtmf.info;

import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.info.DtmfInfoException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * SIP INFO DTMF bodies (RFC 6086 carries them; the formats are vendor conventions):
 * <ul>
 *   <li>{@code application/dtmf-relay}: {@code Signal=5} and optionally {@code Duration=160} (milliseconds), one per
 *       line (CRLF or LF), keys case-insensitive, blanks around keys and values allowed, nothing else;</li>
 *   <li>{@code application/dtmf}: one key, either its symbol ({@code 0-9 * # A-D}) or its RFC 4733 event code
 *       ({@code 10} is {@code *}, {@code 11} is {@code #}, {@code 12}–{@code 15} are {@code A}–{@code D}), optionally
 *       followed by a line end.</li>
 * </ul>
 * Parsing is strict and bounded: bodies over {@link #MAX_BODY_LENGTH} bytes, bytes outside printable ASCII, unknown
 * or repeated keys and out-of-range values are refused with a typed {@link DtmfInfoException}. Stateless and
 * thread-safe.
 */
public final class DtmfInfoCodec {

    public static final String DTMF_RELAY = "application/dtmf-relay";
    public static final String DTMF = "application/dtmf";
    public static final int MAX_BODY_LENGTH = 256;
    public static final int MIN_DURATION_MILLIS = 10;
    public static final int MAX_DURATION_MILLIS = 60_000;
    /** Used when a body gives no duration. */
    public static final int DEFAULT_DURATION_MILLIS = 250;

    private DtmfInfoCodec() {
    }

    /**
     * Parses a body by its Content-Type (parameters such as {@code ;charset=} are ignored).
     *
     * @throws DtmfInfoException with {@link Reason#UNSUPPORTED_TYPE} for any other content type
     */
    public static DtmfInfo parse(String contentType, byte[] body) throws DtmfInfoException {
        String type = mediaType(contentType);
        if (type.equals(DTMF_RELAY)) {
            return parseRelay(body);
        }
        if (type.equals(DTMF)) {
            return parseDtmf(body);
        }
        throw new DtmfInfoException(Reason.UNSUPPORTED_TYPE, 0, "not a DTMF content type: " + type);
    }

    /** {@code application/dtmf-relay}. */
    public static DtmfInfo parseRelay(byte[] body) throws DtmfInfoException {
        checkBody(body);
        DtmfDigit digit = null;
        int duration = -1;
        int at = 0;
        while (at < body.length) {
            int end = at;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int lineEnd = end > at && body[end - 1] == '\r' ? end - 1 : end;
            int from = skipBlanks(body, at, lineEnd);
            int to = trimBlanks(body, from, lineEnd);
            if (from < to) {
                int eq = from;
                while (eq < to && body[eq] != '=') {
                    eq++;
                }
                if (eq == to) {
                    throw new DtmfInfoException(Reason.SYNTAX, from, "expected key=value");
                }
                String key = ascii(body, from, trimBlanks(body, from, eq)).toLowerCase(Locale.ROOT);
                int valueFrom = skipBlanks(body, eq + 1, to);
                switch (key) {
                    case "signal" -> {
                        if (digit != null) {
                            throw new DtmfInfoException(Reason.DUPLICATE_KEY, from, "Signal given twice");
                        }
                        digit = signal(body, valueFrom, to);
                    }
                    case "duration" -> {
                        if (duration >= 0) {
                            throw new DtmfInfoException(Reason.DUPLICATE_KEY, from, "Duration given twice");
                        }
                        duration = duration(body, valueFrom, to);
                    }
                    default -> throw new DtmfInfoException(Reason.UNKNOWN_KEY, from, "unknown key '" + key + "'");
                }
            }
            at = end + 1;
        }
        if (digit == null) {
            throw new DtmfInfoException(Reason.MISSING_SIGNAL, body.length, "no Signal line");
        }
        return new DtmfInfo(digit, duration < 0 ? DEFAULT_DURATION_MILLIS : duration);
    }

    /** {@code application/dtmf}. */
    public static DtmfInfo parseDtmf(byte[] body) throws DtmfInfoException {
        checkBody(body);
        int from = skipBlanks(body, 0, body.length);
        int to = body.length;
        if (to > from && body[to - 1] == '\n') {
            to--;
            if (to > from && body[to - 1] == '\r') {
                to--;
            }
        }
        to = trimBlanks(body, from, to);
        if (from == to) {
            throw new DtmfInfoException(Reason.MISSING_SIGNAL, from, "empty body");
        }
        if (to - from == 2 && body[from] == '1' && body[from + 1] >= '0' && body[from + 1] <= '5') {
            return new DtmfInfo(DtmfDigit.fromEvent(10 + body[from + 1] - '0'), DEFAULT_DURATION_MILLIS);
        }
        return new DtmfInfo(signal(body, from, to), DEFAULT_DURATION_MILLIS);
    }

    /** The {@code application/dtmf-relay} body for one press, lines ending in CRLF. */
    public static String writeRelay(DtmfInfo info) {
        return "Signal=" + info.digit().symbol() + "\r\nDuration=" + info.durationMillis() + "\r\n";
    }

    /** The {@code application/dtmf} body for one press: the key's symbol. */
    public static String writeDtmf(DtmfInfo info) {
        return String.valueOf(info.digit().symbol());
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static void checkBody(byte[] body) throws DtmfInfoException {
        if (body.length > MAX_BODY_LENGTH) {
            throw new DtmfInfoException(Reason.TOO_LONG, MAX_BODY_LENGTH, "body over " + MAX_BODY_LENGTH + " bytes");
        }
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0xFF;
            if ((b < 0x20 || b > 0x7E) && b != '\r' && b != '\n' && b != '\t') {
                throw new DtmfInfoException(Reason.NOT_ASCII, i, "byte 0x" + Integer.toHexString(b) + " not allowed");
            }
        }
    }

    private static DtmfDigit signal(byte[] body, int from, int to) throws DtmfInfoException {
        DtmfDigit digit = to - from == 1 ? DtmfDigit.fromSymbol(Character.toUpperCase((char) body[from])) : null;
        if (digit == null) {
            throw new DtmfInfoException(Reason.BAD_SIGNAL, from, "not a DTMF key: '" + ascii(body, from, to) + "'");
        }
        return digit;
    }

    private static int duration(byte[] body, int from, int to) throws DtmfInfoException {
        if (to == from || to - from > 5) {
            throw new DtmfInfoException(Reason.BAD_DURATION, from, "duration must be 1 to 5 digits");
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            if (body[i] < '0' || body[i] > '9') {
                throw new DtmfInfoException(Reason.BAD_DURATION, i, "duration must be decimal digits");
            }
            value = value * 10 + body[i] - '0';
        }
        if (value < MIN_DURATION_MILLIS || value > MAX_DURATION_MILLIS) {
            throw new DtmfInfoException(Reason.BAD_DURATION, from,
                    "duration must be " + MIN_DURATION_MILLIS + ".." + MAX_DURATION_MILLIS + " ms: " + value);
        }
        return value;
    }

    private static int skipBlanks(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimBlanks(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, Math.min(to - from, 16), StandardCharsets.US_ASCII);
    }
}
