package io.warmline.webrtc.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link StunDecoder}. A plain test run replays the saved inputs under
 * {@code src/test/resources/io/warmline/webrtc/stun/StunFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class StunFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] data) {
        StunFuzzTarget.check(data);
    }
}
