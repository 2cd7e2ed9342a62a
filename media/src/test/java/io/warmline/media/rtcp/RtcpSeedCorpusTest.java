package io.warmline.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.testing.SeedCorpus;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** pjsip's RTCP fuzz seeds, with every truncation and random byte changes of each. */
class RtcpSeedCorpusTest {

    @Test
    void everySeedParsesOrIsRejectedWithRtcpException() {
        Map<String, byte[]> seeds = SeedCorpus.read("fuzz-rtcp_seed_corpus.zip");
        assertTrue(seeds.size() >= 10, "seed count " + seeds.size());
        int parsed = 0;
        for (byte[] seed : seeds.values()) {
            if (RtcpFuzzTarget.check(seed)) {
                parsed++;
            }
        }
        assertTrue(parsed >= 1, "at least the well-formed seeds parse: " + parsed);
    }

    @Test
    void mutationsOfEverySeedNeverEscapeAsOtherExceptions() {
        Map<String, byte[]> seeds = SeedCorpus.read("fuzz-rtcp_seed_corpus.zip");
        Random random = new Random(11);
        assertTimeout(Duration.ofSeconds(20), () -> {
            for (byte[] seed : seeds.values()) {
                for (int length = 0; length <= seed.length; length++) {
                    RtcpFuzzTarget.check(Arrays.copyOf(seed, length));
                }
                for (int i = 0; i < 2000; i++) {
                    byte[] mutated = seed.clone();
                    for (int f = 0; f < 1 + random.nextInt(3) && mutated.length > 0; f++) {
                        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                    }
                    RtcpFuzzTarget.check(mutated);
                }
            }
        });
    }
}
