package io.warmline.dtmf.leg;

import io.warmline.dtmf.ivr.ExecutorOutput;

/**
 * What a {@link LegDtmf} reports. Called on the leg's event loop; must not block. An exception thrown here is logged
 * and swallowed.
 */
public interface DtmfListener {

    /** The far end pressed a key (once per press, whatever the mode). */
    void onDigitHeard(DigitHeard heard);

    /**
     * Progress of a sequence this leg is sending: {@link ExecutorOutput.SendDigit} when a key goes out,
     * {@link ExecutorOutput.WaitFinished} when a pause or prompt wait ends, {@link ExecutorOutput.Done} at the end.
     * For a sequence queued by a {@link DigitDialer}, {@code handle} is the leg's own handle of it: the same
     * {@link DialHandle#id()} and {@link DialHandle#tag()} as the one the dialer returned, not the same object.
     */
    default void onProgress(DialHandle handle, ExecutorOutput output) {
    }
}
