package io.warmline.bridge.call;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.ivr.ExecutorOutput;
import io.warmline.dtmf.leg.DialHandle;
import io.warmline.dtmf.leg.DialRejectedException;
import io.warmline.dtmf.leg.DigitHeard;
import io.warmline.dtmf.leg.DtmfInfoSender;
import io.warmline.dtmf.leg.DtmfListener;
import io.warmline.dtmf.leg.LegDtmf;
import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.dtmf.rfc4733.TelephoneEventFormat;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.vad.VadConfig;
import io.warmline.media.vad.VadEvent;
import io.warmline.media.vad.VoiceActivityDetector;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTMF of one bridged call: a {@link LegDtmf} on each terminated leg (the caller's and the support line's), so
 * keys pressed on either side are heard in every mode, and the IVR navigation that presses the target's sequence on
 * the support line once it answers, its prompt waits fed by voice activity on the support line's decoded audio. The
 * voice activity detector runs only while a sequence is queued or running there (a fresh one for each such stretch):
 * nothing else listens to it, and on a bridged call it would cost a spectrum on every frame.
 *
 * <p>Keys heard are reported for this call's conversation only: each leg's channel hears its own leg, and nothing
 * here forwards a key to another leg or call. Every key heard, every key sent and the navigation's outcome is a
 * structured log line ({@code dtmf-heard}, {@code dtmf-sent}, {@code ivr-navigation}) carrying the conversation ID.
 *
 * <p>Not thread-safe: confined to the call's event loop, where the bridge calls every hook.
 */
final class CallDtmf {
    private static final Logger log = LoggerFactory.getLogger(CallDtmf.class);
    static final String CALLER = "caller";
    static final String CALLEE = "callee";
    static final String NAVIGATION = "ivr";

    /**
     * Where the call's DTMF events go (called on the call's event loop, must not block). {@link #LOG} writes them as
     * structured log lines; the agent bridge's event stream will be another.
     */
    interface Events {
        void heard(String conversation, DigitHeard heard);

        void sent(String conversation, String leg, DtmfMode mode, ExecutorOutput.SendDigit key);

        void ended(String conversation, String leg, String tag, ExecutorOutput.Done done);

        Events LOG = new Events() {
            @Override
            public void heard(String conversation, DigitHeard heard) {
                log.info("dtmf-heard conv={} leg={} digit={} mode={} duration-ms={}{}", conversation, heard.legId(),
                        heard.digit().symbol(), mode(heard.source()), heard.durationMillis(),
                        heard.endSeen() ? "" : " end=timeout");
            }

            @Override
            public void sent(String conversation, String leg, DtmfMode mode, ExecutorOutput.SendDigit key) {
                log.info("dtmf-sent conv={} leg={} digit={} mode={} tone-ms={}", conversation, leg,
                        key.digit().symbol(), mode(mode), key.tone().toMillis());
            }

            @Override
            public void ended(String conversation, String leg, String tag, ExecutorOutput.Done done) {
                log.info("{} conv={} outcome={} leg={} steps-done={}",
                        NAVIGATION.equals(tag) ? "ivr-navigation" : "dtmf-dial", conversation, done.outcome(), leg,
                        done.stepsCompleted());
            }
        };
    }

    private final String conversation;
    private final Events events;
    private final LegDtmf caller;
    private final LegDtmf callee;
    /** Runs only while the support line has a sequence to press (its prompt waits are the only listener). */
    private VoiceActivityDetector vad;
    private long vadFrames;
    private DialHandle navigation;

    /**
     * Attaches to both legs' media hooks.
     *
     * @param callerMode the inbound trunk's mode (keys pressed towards the caller on demand)
     * @param calleeMode the support line's trunk mode (the IVR navigation)
     * @param calleeInfo sends INFO on the support line's dialog, or null when the SIP layer cannot
     */
    CallDtmf(String conversation, BridgeLeg callerLeg, DtmfMode callerMode, BridgeLeg calleeLeg, DtmfMode calleeMode,
             DtmfInfoSender callerInfo, DtmfInfoSender calleeInfo, Events events) {
        this.conversation = Objects.requireNonNull(conversation, "conversation");
        this.events = Objects.requireNonNull(events, "events");
        this.caller = attach(callerLeg, CALLER, callerMode, callerInfo);
        this.callee = attach(calleeLeg, CALLEE, calleeMode, calleeInfo);
        calleeLeg.addDecodedTap(this::voiceActivity);
    }

    private LegDtmf attach(BridgeLeg leg, String name, DtmfMode mode, DtmfInfoSender info) {
        LegDtmf dtmf = new LegDtmf(name, LegDtmfSettings.STANDARD.withMode(mode), leg.telephoneEventPayloadType(),
                leg.clockRate(), TelephoneEventFormat.received(leg.codecs()), new Listener(name), info);
        leg.setTelephoneEventHandler(dtmf::onTelephoneEvent);
        leg.addDecodedTap(dtmf::onFrame);
        leg.setPacketInjector(dtmf::inject);
        leg.setOutboundAudio(dtmf::process);
        return dtmf;
    }

    /**
     * Starts pressing {@code sequence} on the support line {@code delay} after {@code nowNanos} (its answer, or its
     * early media for targets navigated before the answer). The outcome is logged when it ends.
     */
    void navigate(DtmfSequence sequence, Duration delay, long nowNanos) {
        if (navigation != null) {
            return;
        }
        try {
            navigation = callee.run(sequence, NAVIGATION, nowNanos + delay.toNanos(), nowNanos);
            log.info("ivr-navigation conv={} started mode={} steps={} delay-ms={}", conversation,
                    mode(callee.sendMode()), sequence.steps().size(), delay.toMillis());
        } catch (DialRejectedException e) {
            log.warn("ivr-navigation conv={} outcome=NOT_STARTED reason={}", conversation, e.getMessage());
        }
    }

    /** A DTMF body received in an INFO on one leg's dialog ({@link #CALLER} or {@link #CALLEE}). */
    void onInfo(String leg, DtmfInfo info, long nowNanos) {
        (CALLER.equals(leg) ? caller : callee).onInfo(info, nowNanos);
    }

    /** The far end of a leg is gone, or the call ends: sequences end as leg-ended, nothing more is heard. */
    void close(long nowNanos) {
        callee.close(nowNanos);
        caller.close(nowNanos);
    }

    /** Someone else drives the support line now (the call is cancelled or handed over): the navigation stops. */
    void cancelNavigation(long nowNanos) {
        callee.cancelAll(nowNanos);
    }

    LegDtmf leg(String name) {
        return CALLER.equals(name) ? caller : callee;
    }

    /** Frames the voice activity detector has analysed (none while no sequence is queued on the support line). */
    long vadFrames() {
        return vadFrames;
    }

    private void voiceActivity(short[] pcm, int offset, int length, long nowNanos) {
        if (!callee.hasSequences()) {
            vad = null;
            return;
        }
        if (vad == null) {
            vad = new VoiceActivityDetector(VadConfig.defaults(), 8000);
        }
        int frame = vad.frameSamples();
        for (int at = 0; at + frame <= length; at += frame) {
            long frameNanos = nowNanos + at * 125_000L;
            VadEvent event = vad.process(pcm, offset + at, frameNanos);
            vadFrames++;
            if (event == VadEvent.SPEECH_STARTED) {
                callee.onSpeechStarted(frameNanos);
            } else if (event == VadEvent.SPEECH_ENDED) {
                callee.onSpeechEnded(vad.speechEndNanos(), frameNanos);
            }
        }
    }

    private static String mode(DtmfMode mode) {
        return mode == null ? "none" : mode.name().toLowerCase(Locale.ROOT);
    }

    private final class Listener implements DtmfListener {
        private final String legName;

        Listener(String legName) {
            this.legName = legName;
        }

        @Override
        public void onDigitHeard(DigitHeard heard) {
            events.heard(conversation, heard);
        }

        @Override
        public void onProgress(DialHandle handle, ExecutorOutput output) {
            if (output instanceof ExecutorOutput.SendDigit key) {
                events.sent(conversation, legName, leg(legName).sendMode(), key);
            } else if (output instanceof ExecutorOutput.Done done) {
                events.ended(conversation, legName, handle.tag(), done);
            }
        }
    }
}
