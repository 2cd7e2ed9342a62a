package io.warmline.media.vad;

import java.util.Objects;

/**
 * Voice activity detection on 8 or 16 kHz PCM, one frame per call, sans-IO (the caller passes each frame's time).
 *
 * <p>Each frame is classified by three cues:
 * <ul>
 *   <li><b>energy</b>: its RMS level must reach {@code minLevelDbfs} and stand {@code marginDb} above an adaptive
 *       noise floor, the lowest frame level of the last {@code noiseWindowMillis} (minimum statistics);</li>
 *   <li><b>zero crossings</b>: a rate above {@code maxZeroCrossingRate} is hiss (line noise), not voice;</li>
 *   <li><b>spectral motion</b>: the frame's energy distribution over 16 bands is compared with the previous frame's.
 *       Speech keeps changing it; a tone, a hum, a held music note or a ringback signal does not. A sound that stays
 *       steady for longer than {@code maxSteadyMillis} is not speech.</li>
 * </ul>
 * "Speech started" is reported when, within the last {@code onsetMillis}, {@code onsetFrames} frames were active and
 * changing; "speech ended" when {@code hangoverMillis} have passed without a speech frame (active and not a long
 * steady sound). Not thread-safe: one stream, one owner. Nothing is allocated after construction.
 */
public final class VoiceActivityDetector {

    private static final int BANDS = 32;
    /** Weight of the newest frame in the running average spectrum (about 100 ms of memory at 20 ms frames). */
    private static final float AVERAGE_WEIGHT = 0.3f;
    /** Level histogram for the noise floor: 0.5 dB bins from -120 dBFS to 0. */
    private static final int LEVEL_BINS = 240;
    /** The noise floor is this quantile of the recent frame levels (a robust minimum). */
    private static final double FLOOR_QUANTILE = 0.1;
    private static final double FULL_SCALE_SQUARED = 32768.0 * 32768.0;

    private final VadConfig config;
    private final int frameSamples;
    private final long frameNanos;
    private final BandSpectrum spectrum;
    private float[] bands = new float[BANDS];
    private float[] previous = new float[BANDS];
    private final float[] average = new float[BANDS];
    private boolean previousActive;

    private final int[] levels;
    private final int[] histogram = new int[LEVEL_BINS];
    private int levelNext;
    private int levelCount;

    private final boolean[] steadyWindow;
    private int steadyNext;
    private int steadyCount;

    private final boolean[] onsetWindow;
    private int onsetNext;
    private int onsetCount;


    private boolean inSpeech;
    private long speechStartNanos;
    private long lastSpeechEndNanos;
    private long silenceMillis;
    private long firstChangingNanos = Long.MIN_VALUE;

    private double lastLevelDbfs = -120;
    private double noiseFloorDbfs = -120;
    private double lastZeroCrossingRate;
    private double lastDistance = 2;

    public VoiceActivityDetector(VadConfig config, int sampleRate) {
        if (sampleRate != 8000 && sampleRate != 16000) {
            throw new IllegalArgumentException("VAD runs at 8000 or 16000 Hz, not " + sampleRate);
        }
        this.config = Objects.requireNonNull(config);
        this.frameSamples = sampleRate / 1000 * config.frameMillis();
        this.frameNanos = config.frameMillis() * 1_000_000L;
        this.spectrum = new BandSpectrum(frameSamples, BANDS);
        this.levels = new int[Math.max(1, config.noiseWindowMillis() / config.frameMillis())];
        this.onsetWindow = new boolean[config.onsetMillis() / config.frameMillis()];
        this.steadyWindow = new boolean[config.maxSteadyMillis() / config.frameMillis()];
    }

    public VadConfig config() {
        return config;
    }

    /** Samples each {@link #process} call takes. */
    public int frameSamples() {
        return frameSamples;
    }

    /**
     * Analyses one frame of {@link #frameSamples()} samples.
     *
     * @param nowNanos time of the frame's first sample
     */
    public VadEvent process(short[] pcm, int offset, long nowNanos) {
        Objects.checkFromIndexSize(offset, frameSamples, pcm.length);
        double sum = 0;
        int crossings = 0;
        int dc = 0;
        for (int i = 0; i < frameSamples; i++) {
            dc += pcm[offset + i];
        }
        double mean = (double) dc / frameSamples;
        boolean wasPositive = pcm[offset] >= mean;
        for (int i = 0; i < frameSamples; i++) {
            double x = pcm[offset + i] - mean;
            sum += x * x;
            boolean positive = x >= 0;
            if (positive != wasPositive) {
                crossings++;
                wasPositive = positive;
            }
        }
        double level = 10 * Math.log10(sum / frameSamples / FULL_SCALE_SQUARED + 1e-12);
        lastLevelDbfs = level;
        lastZeroCrossingRate = (double) crossings / frameSamples;
        noiseFloorDbfs = updateFloor(level);

        boolean active = level >= config.minLevelDbfs()
                && level >= noiseFloorDbfs + config.marginDb()
                && lastZeroCrossingRate <= config.maxZeroCrossingRate();

        float[] swap = previous;
        previous = bands;
        bands = swap;
        spectrum.compute(pcm, offset, bands);
        normalise(bands);
        // Steady against the last frame (a new note settles at once) or the running average (a beating tone pair).
        lastDistance = previousActive ? Math.min(distance(bands, previous), distance(bands, average)) : 2;
        for (int b = 0; b < BANDS; b++) {
            average[b] = previousActive ? average[b] + AVERAGE_WEIGHT * (bands[b] - average[b]) : bands[b];
        }
        boolean steady = active && lastDistance <= config.steadyDistance();
        pushSteady(steady);
        // Mostly steady over maxSteadyMillis: a tone, hum or held note.
        boolean tonal = steadyCount >= (steadyWindow.length * 4 + 4) / 5;
        boolean speechFrame = active && !tonal;
        boolean changing = speechFrame && !steady;
        previousActive = active;

        if (changing && onsetCount == 0) {
            firstChangingNanos = nowNanos;
        }
        pushOnset(changing);

        if (!inSpeech) {
            if (onsetCount >= config.onsetFrames()) {
                inSpeech = true;
                speechStartNanos = firstChangingNanos;
                lastSpeechEndNanos = nowNanos + frameNanos;
                return VadEvent.SPEECH_STARTED;
            }
            return VadEvent.NONE;
        }
        if (speechFrame) {
            lastSpeechEndNanos = nowNanos + frameNanos;
            return VadEvent.NONE;
        }
        long silent = nowNanos + frameNanos - lastSpeechEndNanos;
        if (silent >= config.hangoverMillis() * 1_000_000L) {
            inSpeech = false;
            silenceMillis = silent / 1_000_000L;
            clearOnset();
            return VadEvent.SPEECH_ENDED;
        }
        return VadEvent.NONE;
    }

    public boolean inSpeech() {
        return inSpeech;
    }

    /** Start of the first changing frame of the current (or last) speech segment. */
    public long speechStartNanos() {
        return speechStartNanos;
    }

    /** End of the last speech frame seen. */
    public long speechEndNanos() {
        return lastSpeechEndNanos;
    }

    /** Silence that ended the last speech segment, in milliseconds (at least the hangover). */
    public long silenceMillis() {
        return silenceMillis;
    }

    public double levelDbfs() {
        return lastLevelDbfs;
    }

    public double noiseFloorDbfs() {
        return noiseFloorDbfs;
    }

    public double zeroCrossingRate() {
        return lastZeroCrossingRate;
    }

    /** Total variation distance between the last two frames' band-energy distributions (2 if not comparable). */
    public double spectralDistance() {
        return lastDistance;
    }

    /** Forgets everything, as at construction. */
    public void reset() {
        levelCount = 0;
        levelNext = 0;
        java.util.Arrays.fill(histogram, 0);
        clearOnset();
        java.util.Arrays.fill(steadyWindow, false);
        steadyCount = 0;
        steadyNext = 0;
        previousActive = false;
        inSpeech = false;
        noiseFloorDbfs = -120;
    }

    private double updateFloor(double level) {
        int bin = (int) Math.max(0, Math.min(LEVEL_BINS - 1, Math.floor((level + 120) * 2)));
        if (levelCount == levels.length) {
            histogram[levels[levelNext]]--;
        } else {
            levelCount++;
        }
        levels[levelNext] = bin;
        histogram[bin]++;
        levelNext = (levelNext + 1) % levels.length;
        int rank = (int) Math.ceil(FLOOR_QUANTILE * levelCount);
        int seen = 0;
        for (int b = 0; b < LEVEL_BINS; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return b / 2.0 - 120 + 0.5;
            }
        }
        return 0;
    }

    private void pushSteady(boolean steady) {
        if (steadyWindow[steadyNext]) {
            steadyCount--;
        }
        steadyWindow[steadyNext] = steady;
        if (steady) {
            steadyCount++;
        }
        steadyNext = (steadyNext + 1) % steadyWindow.length;
    }

    private static void normalise(float[] x) {
        float sum = 0f;
        for (float v : x) {
            sum += v;
        }
        if (sum > 0f) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= sum;
            }
        }
    }

    private void pushOnset(boolean changing) {
        if (onsetWindow[onsetNext]) {
            onsetCount--;
        }
        onsetWindow[onsetNext] = changing;
        if (changing) {
            onsetCount++;
        }
        onsetNext = (onsetNext + 1) % onsetWindow.length;
    }

    private void clearOnset() {
        java.util.Arrays.fill(onsetWindow, false);
        onsetCount = 0;
        onsetNext = 0;
    }

    private static double distance(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d;
    }
}
