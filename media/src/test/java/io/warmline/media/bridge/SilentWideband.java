package io.warmline.media.bridge;

import io.warmline.media.play.FrameSource;
import java.util.Arrays;

/** A wideband source that plays nothing: hearing it makes a mix wideband without changing its sound. */
final class SilentWideband implements FrameSource {
    @Override
    public int frameSamples() {
        return 320;
    }

    @Override
    public boolean readFrame(short[] out, int offset) {
        Arrays.fill(out, offset, offset + 320, (short) 0);
        return true;
    }

    @Override
    public int audioRate() {
        return 16000;
    }
}
