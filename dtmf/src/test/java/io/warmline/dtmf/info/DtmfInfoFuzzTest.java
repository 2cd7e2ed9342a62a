package io.warmline.dtmf.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Both INFO body parsers on arbitrary bytes: each returns a press or throws {@link DtmfInfoException} with an offset
 * inside the body; what parses writes back to a body that parses to the same press. A plain test run replays the seeds
 * in {@code DtmfInfoFuzzTestInputs/parse}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl dtmf test -Dtest=DtmfInfoFuzzTest -Djazzer.hooks=true}.
 */
class DtmfInfoFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        check(data, true);
        check(data, false);
    }

    private static void check(byte[] data, boolean relay) {
        try {
            DtmfInfo info = relay ? DtmfInfoCodec.parseRelay(data) : DtmfInfoCodec.parseDtmf(data);
            String written = relay ? DtmfInfoCodec.writeRelay(info) : DtmfInfoCodec.writeDtmf(info);
            DtmfInfo again = relay ? DtmfInfoCodec.parseRelay(written.getBytes(StandardCharsets.US_ASCII))
                    : DtmfInfoCodec.parseDtmf(written.getBytes(StandardCharsets.US_ASCII));
            assertEquals(info.digit(), again.digit());
            if (relay) {
                assertEquals(info, again);
            }
        } catch (DtmfInfoException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= Math.max(data.length, DtmfInfoCodec.MAX_BODY_LENGTH),
                    e.getMessage());
            assertTrue(e.sipStatus() == 400, e.getMessage());
        }
    }
}
