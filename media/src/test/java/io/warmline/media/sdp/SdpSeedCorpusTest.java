package io.warmline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** pjsip's SDP fuzz seeds (and the SDES-SRTP ones, which are SDP too), with truncations and byte flips of each. */
class SdpSeedCorpusTest {

    private static final String MUTATIONS = " \r\n:=/0123456789a-zIPNm\0\u00ff";

    @Test
    void everySeedParsesOrIsRejectedWithSdpException() {
        Map<String, byte[]> seeds = seedCorpus("fuzz-sdp_seed_corpus.zip");
        seeds.putAll(seedCorpus("fuzz-sdes_seed_corpus.zip"));
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
        Map<String, byte[]> seeds = seedCorpus("fuzz-sdp_seed_corpus.zip");
        seeds.putAll(seedCorpus("fuzz-sdes_seed_corpus.zip"));
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

    /** Every entry of {@code vectors/pjsip-fuzz-seed/<zipName>} (system property {@code warmline.shared}). */
    static Map<String, byte[]> seedCorpus(String zipName) {
        String shared = System.getProperty("warmline.shared");
        if (shared == null) {
            throw new AssertionError("system property warmline.shared is not set (surefire sets it)");
        }
        Path zip = Path.of(shared, "vectors", "pjsip-fuzz-seed", zipName);
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName(), in.readNBytes(64 * 1024));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read seed corpus " + zip, e);
        }
        if (entries.isEmpty()) {
            throw new AssertionError("empty seed corpus " + zip);
        }
        return entries;
    }
}
