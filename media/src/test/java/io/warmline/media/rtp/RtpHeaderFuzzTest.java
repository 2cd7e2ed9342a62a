package io.warmline.media.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link RtpHeader}. A plain test run replays the saved inputs under
 * {@code src/test/resources/io/warmline/media/rtp/RtpHeaderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class RtpHeaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void classify(byte[] data) {
        RtpFuzzTarget.check(data);
    }
}
