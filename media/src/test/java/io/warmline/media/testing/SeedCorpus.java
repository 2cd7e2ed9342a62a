package io.warmline.media.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Reads pjsip's fuzz seed corpora from the shared test vectors. */
public final class SeedCorpus {

    private SeedCorpus() {}

    /**
     * Every entry of {@code vectors/pjsip-fuzz-seed/<zipName>} (system property {@code warmline.shared}), by name,
     * each at most 64 KiB; a missing property, an unreadable or an empty corpus fails the test.
     */
    public static Map<String, byte[]> read(String zipName) {
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
