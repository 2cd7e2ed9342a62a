package io.warmline.config;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.sequence.DtmfSequence;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A support line: the number to dial, the trunk to dial it through, the DTMF sequence to play once the line
 * answers (null: none), and the codecs to offer it in preference order (null: the trunk's).
 *
 * @param dtmfMode how keys are sent to this line, overriding its trunk's mode; null: the trunk's
 * @param dtmfDelay how long after the answer the sequence starts (some IVRs drop keys pressed before their greeting)
 * @param dtmfEarlyMedia start the sequence when early media begins instead of at the answer (IVRs that play their
 *     menu before answering; carrier calls to this line, an escalation always waits for the answer)
 * @param record carrier calls routed to this line and escalations to it are recorded ({@link RecordingConfig})
 */
public record TargetConfig(String name, String trunk, String number, DtmfSequence dtmf, DtmfMode dtmfMode,
        List<String> codecs, Duration dtmfDelay, boolean dtmfEarlyMedia, boolean record) {

    public static final Duration MAX_DTMF_DELAY = Duration.ofSeconds(60);

    public TargetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(number, "number");
        codecs = codecs == null ? null : List.copyOf(codecs);
        Objects.requireNonNull(dtmfDelay, "dtmfDelay");
        if (dtmfDelay.isNegative() || dtmfDelay.compareTo(MAX_DTMF_DELAY) > 0) {
            throw new IllegalArgumentException("dtmfDelay must be 0..60s");
        }
    }

    public TargetConfig(String name, String trunk, String number, DtmfSequence dtmf, DtmfMode dtmfMode,
            List<String> codecs, Duration dtmfDelay, boolean dtmfEarlyMedia) {
        this(name, trunk, number, dtmf, dtmfMode, codecs, dtmfDelay, dtmfEarlyMedia, false);
    }

    public TargetConfig(String name, String trunk, String number, DtmfSequence dtmf, DtmfMode dtmfMode,
            List<String> codecs) {
        this(name, trunk, number, dtmf, dtmfMode, codecs, Duration.ZERO, false);
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
