package io.warmline.media.rtcp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link RtcpParser} and the write-back of what it accepts. A plain test run replays the saved inputs under
 * {@code src/test/resources/io/warmline/media/rtcp/RtcpFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class RtcpFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        RtcpFuzzTarget.check(data);
    }
}
