package io.warmline.config;

import java.util.Locale;

/** What a recorded call or conversation writes: one file of the mix, one file per participant, or both. */
public enum RecordingMode {
    /** One file: every leg of the call summed (what a third party on the call would hear). */
    MIX,
    /** One file per leg: exactly what that leg sent, as received and decoded. */
    PARTICIPANTS,
    BOTH;

    public boolean mix() {
        return this != PARTICIPANTS;
    }

    public boolean participants() {
        return this != MIX;
    }

    /** The config and API spelling: {@code mix}, {@code participants}, {@code both}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode spelled {@code key} (as {@link #key()} writes it), or null. */
    public static RecordingMode ofKey(String key) {
        for (RecordingMode m : values()) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        return null;
    }
}
