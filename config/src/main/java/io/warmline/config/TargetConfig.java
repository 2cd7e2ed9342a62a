package io.warmline.config;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.sequence.DtmfSequence;
import java.util.List;
import java.util.Objects;

/**
 * A support line: the number to dial, the trunk to dial it through, the DTMF sequence to play once the line
 * answers (null: none), and the codecs to offer it in preference order (null: the trunk's).
 *
 * @param dtmfMode how keys are sent to this line, overriding its trunk's mode; null: the trunk's
 */
public record TargetConfig(String name, String trunk, String number, DtmfSequence dtmf, DtmfMode dtmfMode,
        List<String> codecs) {

    public TargetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(number, "number");
        codecs = codecs == null ? null : List.copyOf(codecs);
    }

    public TargetConfig(String name, String trunk, String number, DtmfSequence dtmf, DtmfMode dtmfMode) {
        this(name, trunk, number, dtmf, dtmfMode, null);
    }

    public TargetConfig(String name, String trunk, String number, DtmfSequence dtmf) {
        this(name, trunk, number, dtmf, null, null);
    }

    public TargetConfig(String name, String trunk, String number) {
        this(name, trunk, number, null, null, null);
    }

    /** The mode keys are sent in on calls to this line: its own, else {@code trunk}'s. */
    public DtmfMode dtmfModeWith(TrunkConfig trunk) {
        return dtmfMode != null ? dtmfMode : trunk.dtmfMode();
    }
}
