package io.warmline.config;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.sequence.DtmfSequence;
import java.util.Objects;

/**
 * A support line: the number to dial, the trunk to dial it through, and the DTMF sequence to play once the line
 * answers (null: none).
 *
 * @param dtmfMode how keys are sent to this line, overriding its trunk's mode; null: the trunk's
 */
public record TargetConfig(String name, String trunk, String number, DtmfSequence dtmf, DtmfMode dtmfMode) {

    public TargetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(number, "number");
    }

    public TargetConfig(String name, String trunk, String number, DtmfSequence dtmf) {
        this(name, trunk, number, dtmf, null);
    }

    public TargetConfig(String name, String trunk, String number) {
        this(name, trunk, number, null, null);
    }

    /** The mode keys are sent in on calls to this line: its own, else {@code trunk}'s. */
    public DtmfMode dtmfModeWith(TrunkConfig trunk) {
        return dtmfMode != null ? dtmfMode : trunk.dtmfMode();
    }
}
