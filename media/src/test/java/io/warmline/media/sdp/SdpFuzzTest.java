package io.warmline.media.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link SessionDescription#parse} and offer/answer on what it accepts. A plain test run replays the saved
 * inputs under {@code src/test/resources/io/warmline/media/sdp/SdpFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SdpFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        SdpFuzzTarget.check(data);
    }
}
