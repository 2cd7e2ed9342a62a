package io.warmline.media.play;

/** A WAV file that this server will not play, with what is wrong with it. */
public final class WavFormatException extends Exception {

    /** What is wrong. */
    public enum Problem {
        NOT_RIFF,
        NOT_WAVE,
        TRUNCATED,
        TOO_LARGE,
        MISSING_FMT,
        MISSING_DATA,
        MALFORMED_FMT,
        UNSUPPORTED_ENCODING,
        UNSUPPORTED_CHANNELS,
        UNSUPPORTED_BITS,
        UNSUPPORTED_RATE,
        INCONSISTENT_FMT,
        TOO_MANY_CHUNKS
    }

    private final Problem problem;

    public WavFormatException(Problem problem, String detail) {
        super(problem + ": " + detail);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
