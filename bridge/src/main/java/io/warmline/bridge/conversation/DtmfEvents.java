package io.warmline.bridge.conversation;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.ivr.ExecutorOutput;
import io.warmline.dtmf.leg.DigitHeard;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a conversation's DTMF events go: keys heard on any of its legs, keys sent, and how a sequence ended. Each
 * event carries the conversation it belongs to and is given only that conversation's legs' keys. Called on the
 * conversation's event loop; must not block. {@link #LOG} writes the same structured lines as a bridged SIP call
 * ({@code dtmf-heard}, {@code dtmf-sent}, {@code ivr-navigation} / {@code dtmf-dial}).
 */
interface DtmfEvents {

    void heard(String conversation, DigitHeard heard);

    void sent(String conversation, String leg, DtmfMode mode, ExecutorOutput.SendDigit key);

    void ended(String conversation, String leg, String tag, ExecutorOutput.Done done);

    /** Tag of the IVR navigation's sequence. */
    String NAVIGATION = "ivr";

    DtmfEvents LOG = new DtmfEvents() {
        private final Logger log = LoggerFactory.getLogger(DtmfEvents.class);

        @Override
        public void heard(String conversation, DigitHeard heard) {
            log.info("dtmf-heard conv={} leg={} digit={} mode={} duration-ms={}{}", conversation, heard.legId(),
                    heard.digit().symbol(), mode(heard.source()), heard.durationMillis(),
                    heard.endSeen() ? "" : " end=timeout");
        }

        @Override
        public void sent(String conversation, String leg, DtmfMode mode, ExecutorOutput.SendDigit key) {
            log.info("dtmf-sent conv={} leg={} digit={} mode={} tone-ms={}", conversation, leg, key.digit().symbol(),
                    mode(mode), key.tone().toMillis());
        }

        @Override
        public void ended(String conversation, String leg, String tag, ExecutorOutput.Done done) {
            log.info("{} conv={} outcome={} leg={} steps-done={}",
                    NAVIGATION.equals(tag) ? "ivr-navigation" : "dtmf-dial", conversation, done.outcome(), leg,
                    done.stepsCompleted());
        }
    };

    static String mode(DtmfMode mode) {
        return mode == null ? "none" : mode.name().toLowerCase(Locale.ROOT);
    }
}
