package io.warmline.dtmf.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.info.DtmfInfoException.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DtmfInfoCodecTest {

    static byte[] bytes(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "Signal=5\\r\\nDuration=160\\r\\n | 5 | 160",
        "Signal=5\\r\\nDuration=160 | 5 | 160",
        "Signal=#\\nDuration=250\\n | # | 250",
        "signal = *\\r\\nduration = 100\\r\\n | * | 100",
        "Duration=300\\r\\nSignal=D\\r\\n | D | 300",
        "Signal=a\\r\\n | A | 250",
        "\\t Signal=0 \\t\\r\\n\\r\\nDuration=10\\r\\n\\r\\n | 0 | 10",
        "Signal=9\\r\\nDuration=60000 | 9 | 60000",
    })
    void parsesRelayBodies(String body, char key, int duration) throws DtmfInfoException {
        assertEquals(new DtmfInfo(DtmfDigit.fromSymbol(key), duration),
                DtmfInfoCodec.parse("Application/DTMF-Relay; charset=utf-8", bytes(body)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "'' | MISSING_SIGNAL | 0",
        "Duration=160\\r\\n | MISSING_SIGNAL | 14",
        "Signal=\\r\\n | BAD_SIGNAL | 7",
        "Signal=55\\r\\n | BAD_SIGNAL | 7",
        "Signal=E\\r\\n | BAD_SIGNAL | 7",
        "Signal=10\\r\\n | BAD_SIGNAL | 7",
        "Signal=5\\rDuration=160 | BAD_SIGNAL | 7",
        "Signal=5\\r\\nSignal=6\\r\\n | DUPLICATE_KEY | 10",
        "Signal=5\\r\\nDuration=100\\r\\nDuration=200 | DUPLICATE_KEY | 24",
        "Signal=5\\r\\nDuration=9 | BAD_DURATION | 19",
        "Signal=5\\r\\nDuration=60001 | BAD_DURATION | 19",
        "Signal=5\\r\\nDuration=100000 | BAD_DURATION | 19",
        "Signal=5\\r\\nDuration=-5 | BAD_DURATION | 19",
        "Signal=5\\r\\nDuration=1e3 | BAD_DURATION | 20",
        "Signal=5\\r\\nDuration= | BAD_DURATION | 19",
        "Signal=5\\r\\nVolume=10 | UNKNOWN_KEY | 10",
        "Signal 5 | SYNTAX | 0",
        "Signal=5\\u0000 | NOT_ASCII | 8",
    })
    void refusesBadRelayBodies(String body, Reason reason, int offset) {
        DtmfInfoException e = assertThrows(DtmfInfoException.class,
                () -> DtmfInfoCodec.parseRelay(bytes(body.replace("\\u0000", "\u0000"))));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertEquals(400, e.sipStatus());
    }

    @Test
    void refusesOversizeBodies() {
        byte[] body = bytes("Signal=5\r\n" + " ".repeat(300));
        assertEquals(Reason.TOO_LONG, assertThrows(DtmfInfoException.class,
                () -> DtmfInfoCodec.parseRelay(body)).reason());
        assertEquals(Reason.TOO_LONG, assertThrows(DtmfInfoException.class,
                () -> DtmfInfoCodec.parseDtmf(body)).reason());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "5 | 5", "5\\r\\n | 5", "#\\n | #", " * | *", "b | B", "10 | *", "11 | #", "12 | A", "15 | D", "0 | 0",
    })
    void parsesDtmfBodies(String body, char key) throws DtmfInfoException {
        assertEquals(new DtmfInfo(DtmfDigit.fromSymbol(key), DtmfInfoCodec.DEFAULT_DURATION_MILLIS),
                DtmfInfoCodec.parse("application/dtmf", bytes(body)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "'' | MISSING_SIGNAL", "\\r\\n | MISSING_SIGNAL", "16 | BAD_SIGNAL", "55 | BAD_SIGNAL", "x | BAD_SIGNAL",
        "5\\r\\n6 | BAD_SIGNAL", "Signal=5 | BAD_SIGNAL",
    })
    void refusesBadDtmfBodies(String body, Reason reason) {
        assertEquals(reason, assertThrows(DtmfInfoException.class,
                () -> DtmfInfoCodec.parseDtmf(bytes(body))).reason());
    }

    @Test
    void otherContentTypesAre415() {
        DtmfInfoException e = assertThrows(DtmfInfoException.class,
                () -> DtmfInfoCodec.parse("application/sdp", bytes("Signal=5")));
        assertEquals(Reason.UNSUPPORTED_TYPE, e.reason());
        assertEquals(415, e.sipStatus());
        assertEquals(Reason.UNSUPPORTED_TYPE, assertThrows(DtmfInfoException.class,
                () -> DtmfInfoCodec.parse(null, bytes("5"))).reason());
    }

    @ParameterizedTest
    @EnumSource(DtmfDigit.class)
    void writtenBodiesParseBack(DtmfDigit digit) throws DtmfInfoException {
        DtmfInfo info = new DtmfInfo(digit, 160);
        String relay = DtmfInfoCodec.writeRelay(info);
        assertEquals("Signal=" + digit.symbol() + "\r\nDuration=160\r\n", relay);
        assertEquals(info, DtmfInfoCodec.parseRelay(relay.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new DtmfInfo(digit, DtmfInfoCodec.DEFAULT_DURATION_MILLIS),
                DtmfInfoCodec.parseDtmf(DtmfInfoCodec.writeDtmf(info).getBytes(StandardCharsets.US_ASCII)));
    }
}
