package io.warmline.webrtc.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link TrickleFragment#parse}. A plain test run replays the saved inputs under
 * {@code src/test/resources/io/warmline/webrtc/sdp/TrickleFragmentFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class TrickleFragmentFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        TrickleFragmentFuzzTarget.check(data);
    }
}
