package io.warmline.bridge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command-line tools the peer tests make or check material with (sox, espeak-ng, multimon-ng). A missing
 * tool fails the test: CI installs them (.ci/run), so their absence is a broken set-up, not a reason to check less.
 */
final class ExternalTool {
    private static final long TIME_LIMIT_SECONDS = 60;
    private static final Map<String, String> PACKAGES = Map.of("espeak-ng", "espeak-ng", "sox", "sox",
            "multimon-ng", "multimon-ng", "baresip", "baresip", "tshark", "tshark", "sipp", "sip-tester");

    private ExternalTool() {}

    /** Runs {@code command} to completion and returns its output (stdout and stderr); fails on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        return run(command, null);
    }

    /** As {@link #run(List)}, with {@code stdin} written to the tool's standard input. */
    static String run(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        String tool = command.get(0);
        Path output = Files.createTempFile("warmline-tool", ".out");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(tool + " is required by this test (apt-get install "
                    + PACKAGES.getOrDefault(tool, tool) + ")", e);
        }
        if (stdin != null) {
            try (var in = process.getOutputStream()) {
                in.write(stdin);
            }
        } else {
            process.getOutputStream().close();
        }
        try {
            if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(tool + " did not finish: " + command);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(tool + " failed (" + process.exitValue() + "): " + command + "\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
