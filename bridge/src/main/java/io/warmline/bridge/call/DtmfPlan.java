package io.warmline.bridge.call;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.sequence.DtmfSequence;
import java.time.Duration;
import java.util.Objects;

/**
 * How a call handles DTMF: the target's sequence for the support line's IVR (pressed {@code delay} after the answer,
 * or after early media starts when {@code duringEarlyMedia}), and each leg's mode with its trunk's INFO body type.
 */
record DtmfPlan(DtmfSequence sequence, Duration delay, boolean duringEarlyMedia, DtmfMode callerMode,
                String callerInfoType, DtmfMode calleeMode, String calleeInfoType) {
    DtmfPlan {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(callerMode, "callerMode");
        Objects.requireNonNull(calleeMode, "calleeMode");
        Objects.requireNonNull(callerInfoType, "callerInfoType");
        Objects.requireNonNull(calleeInfoType, "calleeInfoType");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
    }
}
