package io.warmline.config;

import io.warmline.dtmf.sequence.DtmfSequence;
import java.util.Objects;

/**
 * A support line: the number to dial, the trunk to dial it through, and the DTMF sequence to play once the line
 * answers (null: none).
 */
public record TargetConfig(String name, String trunk, String number, DtmfSequence dtmf) {

    public TargetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(number, "number");
    }

    public TargetConfig(String name, String trunk, String number) {
        this(name, trunk, number, null);
    }
}
