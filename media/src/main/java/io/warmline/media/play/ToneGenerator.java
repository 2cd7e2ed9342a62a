package io.warmline.media.play;

/**
 * Generates a {@link ToneSpec} at the bridge rate, phase-continuous across frames, with 4 ms raised-cosine ramps at
 * each on/off edge so that the cadence does not click. Never finishes. Allocates nothing per frame. Not thread-safe.
 */
public final class ToneGenerator implements FrameSource {

    static final int RAMP_MILLIS = 4;

    private final ToneSpec spec;
    private final int sampleRate;
    private final int frameSamples;
    private final double amplitude;
    private final long onSamples;
    private final long cycleSamples;
    private final int rampSamples;
    private final double lowStep;
    private final double highStep;
    private long position;
    private double lowPhase;
    private double highPhase;

    public ToneGenerator(ToneSpec spec, int sampleRate) {
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 48000) {
            throw new IllegalArgumentException("bridge rate must be 8000, 16000 or 48000 Hz: " + sampleRate);
        }
        if (spec.lowHz() >= sampleRate / 2.0 || spec.highHz() >= sampleRate / 2.0) {
            throw new IllegalArgumentException("tone above the Nyquist frequency of " + sampleRate + " Hz: " + spec);
        }
        this.spec = spec;
        this.sampleRate = sampleRate;
        this.frameSamples = sampleRate / 50;
        this.amplitude = 32767 * Math.pow(10, spec.levelDbfs() / 20);
        this.onSamples = (long) spec.onMillis() * sampleRate / 1000;
        this.cycleSamples = onSamples + (long) spec.offMillis() * sampleRate / 1000;
        this.rampSamples = (int) Math.min(onSamples / 2, RAMP_MILLIS * sampleRate / 1000);
        this.lowStep = 2 * Math.PI * spec.lowHz() / sampleRate;
        this.highStep = 2 * Math.PI * spec.highHz() / sampleRate;
    }

    public ToneSpec spec() {
        return spec;
    }

    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int frameSamples() {
        return frameSamples;
    }

    /** 8000 when both frequencies lie in the telephone band (below 3.4 kHz), as call-progress tones do. */
    @Override
    public int audioRate() {
        return Math.max(spec.lowHz(), spec.highHz()) < 3400 ? 8000 : sampleRate;
    }

    @Override
    public boolean readFrame(short[] out, int offset) {
        read(out, offset, frameSamples);
        return true;
    }

    /** Writes the next {@code length} samples. */
    public void read(short[] out, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, out.length);
        boolean continuous = cycleSamples == onSamples;
        for (int i = 0; i < length; i++) {
            long inCycle = continuous ? -1 : position % cycleSamples;
            double value = 0;
            if (continuous || inCycle < onSamples) {
                double gain = 1;
                if (!continuous) {
                    long edge = Math.min(inCycle, onSamples - 1 - inCycle);
                    if (edge < rampSamples) {
                        gain = 0.5 - 0.5 * Math.cos(Math.PI * (edge + 0.5) / rampSamples);
                    }
                }
                value = (Math.sin(lowPhase) + (highStep > 0 ? Math.sin(highPhase) : 0)) * gain * amplitude;
            }
            out[offset + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
            position++;
            lowPhase = advance(lowPhase, lowStep);
            highPhase = advance(highPhase, highStep);
        }
    }

    private static double advance(double phase, double step) {
        double next = phase + step;
        return next >= 2 * Math.PI ? next - 2 * Math.PI : next;
    }

    /** Restarts the cadence at the beginning of an "on" period. */
    public void reset() {
        position = 0;
        lowPhase = 0;
        highPhase = 0;
    }
}
