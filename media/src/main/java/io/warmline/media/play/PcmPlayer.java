package io.warmline.media.play;

import io.warmline.media.resample.Resampler;

/**
 * Plays PCM produced at run time (speech synthesis, an agent's audio stream): the producer {@link #push pushes}
 * samples at its own rate (8, 16 or 48 kHz), they are resampled to the bridge rate into a bounded buffer, and the
 * bridge reads one frame per tick. A tick that finds too little audio before {@link #finish()} is an underrun: the
 * missing part is silence and is counted. Audio pushed into a full buffer is dropped and counted.
 *
 * <p>Allocates nothing per push or frame. Not thread-safe: producer results are handed to the bridge's event loop,
 * which pushes and reads.
 */
public final class PcmPlayer implements FrameSource {

    private final int inputRate;
    private final int frameSamples;
    private final Resampler resampler;
    private final short[] ring;
    private final short[] converted;
    private final int chunk;
    private int head;
    private int size;
    private boolean started;
    private boolean finishing;
    private long underrunFrames;
    private long underrunSamples;
    private long droppedSamples;
    private long playedSamples;

    /** @param capacityMillis how much audio may wait in the buffer (20 ms .. 10 minutes) */
    public PcmPlayer(int inputRate, int bridgeRate, int capacityMillis) {
        if (bridgeRate != 8000 && bridgeRate != 16000 && bridgeRate != 48000) {
            throw new IllegalArgumentException("bridge rate must be 8000, 16000 or 48000 Hz: " + bridgeRate);
        }
        if (capacityMillis < 20 || capacityMillis > 600_000) {
            throw new IllegalArgumentException("capacity must be 20 ms .. 10 min: " + capacityMillis);
        }
        this.resampler = new Resampler(inputRate, bridgeRate);
        this.inputRate = inputRate;
        this.frameSamples = bridgeRate / 50;
        this.ring = new short[(int) ((long) capacityMillis * bridgeRate / 1000)];
        this.chunk = inputRate / 50;
        this.converted = new short[resampler.outputLength(chunk) + bridgeRate / inputRate + 1];
    }

    @Override
    public int frameSamples() {
        return frameSamples;
    }

    /** The input's rate, or the bridge rate if lower: an 8 kHz clip is telephone band. */
    @Override
    public int audioRate() {
        return Math.min(inputRate, frameSamples * 50);
    }

    public int inputRate() {
        return inputRate;
    }

    /**
     * Appends {@code length} samples at the input rate.
     *
     * @return how many bridge-rate samples were dropped because the buffer was full (0 normally)
     * @throws IllegalStateException after {@link #finish()}
     */
    public int push(short[] pcm, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, pcm.length);
        if (finishing) {
            throw new IllegalStateException("push after finish()");
        }
        started = true;
        int dropped = 0;
        for (int done = 0; done < length; done += chunk) {
            int n = Math.min(chunk, length - done);
            int produced = resampler.process(pcm, offset + done, n, converted, 0);
            int room = ring.length - size;
            int kept = Math.min(room, produced);
            for (int i = 0; i < kept; i++) {
                ring[(head + size + i) % ring.length] = converted[i];
            }
            size += kept;
            dropped += produced - kept;
        }
        droppedSamples += dropped;
        return dropped;
    }

    /** The producer has pushed everything: the player finishes once the buffer has drained, without underruns. */
    public void finish() {
        finishing = true;
    }

    /** Discards buffered audio and finishes at once (e.g. barge-in). */
    public void stop() {
        size = 0;
        finishing = true;
    }

    @Override
    public boolean readFrame(short[] out, int offset) {
        java.util.Objects.checkFromIndexSize(offset, frameSamples, out.length);
        boolean wasFinished = finished();
        int n = Math.min(size, frameSamples);
        for (int i = 0; i < n; i++) {
            out[offset + i] = ring[head];
            head = head + 1 == ring.length ? 0 : head + 1;
        }
        size -= n;
        playedSamples += n;
        java.util.Arrays.fill(out, offset + n, offset + frameSamples, (short) 0);
        if (n < frameSamples && started && !finishing) {
            underrunFrames++;
            underrunSamples += frameSamples - n;
        }
        return !wasFinished;
    }

    /** True once {@link #finish()} was called and every buffered sample has been played. */
    public boolean finished() {
        return finishing && size == 0;
    }

    /** Bridge-rate samples waiting to be played. */
    public int buffered() {
        return size;
    }

    /** Frames that were short of audio (after the first push and before {@link #finish()}). */
    public long underrunFrames() {
        return underrunFrames;
    }

    /** Bridge-rate samples of silence played in underruns. */
    public long underrunSamples() {
        return underrunSamples;
    }

    public long droppedSamples() {
        return droppedSamples;
    }

    public long playedSamples() {
        return playedSamples;
    }
}
