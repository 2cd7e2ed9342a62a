package io.warmline.media.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real tools the tests check against (sox, espeak-ng, util-linux's chrt). A missing tool fails the test rather than skipping it:
 * CI installs them, so their absence is a broken set-up, not a reason to check less.
 */
public final class Tools {
    private static final long TIME_LIMIT_SECONDS = 60;

    private Tools() {}

    /** Runs {@code command} to completion and returns its output (stdout and stderr); fails on a non-zero exit. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        String tool = command.get(0);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(tool + " is required by this test (apt-get install " + packageOf(tool) + ")", e);
        }
        if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(tool + " did not finish: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(tool + " failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
        return output;
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "espeak-ng" -> "espeak-ng";
            case "chrt", "prlimit", "setpriv" -> "util-linux";
            default -> "sox";
        };
    }
}
