package io.warmline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.testing.SeedCorpus;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** pjsip's SDP fuzz seeds (and the SDES-SRTP ones, which are SDP too), with truncations and byte flips of each. */
class SdpSeedCorpusTest {

    private static final String MUTATIONS = " \r\n:=/0123456789a-zIPNm\0\u00ff";

    @Test
    void everySeedParsesOrIsRejectedWithSdpException() {
        Map<String, byte[]> seeds = SeedCorpus.read("fuzz-sdp_seed_corpus.zip");
        seeds.putAll(SeedCorpus.read("fuzz-sdes_seed_corpus.zip"));
        assertTrue(seeds.size() >= 20, "seed count " + seeds.size());
        int parsed = 0;
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            if (SdpFuzzTarget.check(seed.getValue())) {
                parsed++;
            }
        }
        // The well-formed RFC 3264 examples and the crypto seeds parse; the deliberately broken one does not.
        assertTrue(parsed >= seeds.size() - 2, "parsed " + parsed + " of " + seeds.size());
    }

    @Test
    void mutationsOfEverySeedNeverEscapeAsOtherExceptions() {
        Map<String, byte[]> seeds = SeedCorpus.read("fuzz-sdp_seed_corpus.zip");
        seeds.putAll(SeedCorpus.read("fuzz-sdes_seed_corpus.zip"));
        Random random = new Random(7);
        assertTimeout(Duration.ofSeconds(20), () -> {
            for (byte[] seed : seeds.values()) {
                for (int length = 0; length <= seed.length; length++) {
                    SdpFuzzTarget.check(java.util.Arrays.copyOf(seed, length));
                }
                for (int i = 0; i < 100; i++) {
                    byte[] mutated = seed.clone();
                    int flips = 1 + random.nextInt(4);
                    for (int f = 0; f < flips && mutated.length > 0; f++) {
                        mutated[random.nextInt(mutated.length)] = (byte) MUTATIONS.charAt(
                                random.nextInt(MUTATIONS.length()));
                    }
                    SdpFuzzTarget.check(mutated);
                }
            }
        });
    }
}
