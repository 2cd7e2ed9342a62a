package io.warmline.bridge.conversation;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.ivr.ExecutorOutput;
import io.warmline.dtmf.leg.DialHandle;
import io.warmline.dtmf.leg.DigitDialer;
import io.warmline.dtmf.leg.DigitHeard;
import io.warmline.dtmf.leg.DtmfInfoSender;
import io.warmline.dtmf.leg.DtmfListener;
import io.warmline.dtmf.leg.LegDtmf;
import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.dtmf.rfc4733.TelephoneEventFormat;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.time.NanoClock;
import io.warmline.media.vad.VadConfig;
import io.warmline.media.vad.VadEvent;
import io.warmline.media.vad.VoiceActivityDetector;
import java.util.concurrent.Executor;

/**
 * The DTMF channel of one leg of a conversation, attached to the leg's bridge hooks: keys heard on the leg (in every
 * mode the leg can carry) become the conversation's events, keys are sent in the leg's mode, and one
 * {@link DigitDialer} per leg serves the API. A SIP leg also gets voice activity on its decoded audio, which feeds
 * the prompt waits of its IVR navigation. Confined to the conversation's loop, except {@link #dialer()}.
 */
final class LegKeys {
    private final String conversation;
    private final String legId;
    private final DtmfEvents events;
    private final LegDtmf dtmf;
    private final DigitDialer dialer;
    /** Runs only while the leg has a sequence queued or running (its prompt waits are the only listener). */
    private VoiceActivityDetector vad;
    private long heard;

    /**
     * @param infoSender sends INFO on the leg's SIP dialog (null for a WebRTC leg)
     * @param withVad run voice activity detection on the leg's decoded audio (prompt-aware waits) while a sequence
     *     is queued or running on the leg, a fresh detector for each such stretch
     */
    LegKeys(String conversation, String legId, BridgeLeg leg, LegDtmfSettings settings, DtmfInfoSender infoSender,
            boolean withVad, DtmfEvents events, Executor loop, NanoClock clock) {
        this.conversation = conversation;
        this.legId = legId;
        this.events = events;
        this.dtmf = new LegDtmf(legId, settings, leg.telephoneEventPayloadType(), leg.clockRate(),
                TelephoneEventFormat.received(leg.codecs()), new Listener(), infoSender);
        this.dialer = dtmf.dialer(loop, clock);
        leg.setTelephoneEventHandler(dtmf::onTelephoneEvent);
        if (settings.detectInband()) {
            leg.addDecodedTap(dtmf::onFrame);
        } else if (dtmf.sendMode() == DtmfMode.INFO) {
            // INFO keys go out from the leg's tick like the others.
            leg.addDecodedTap((pcm, offset, length, nowNanos) -> dtmf.advance(nowNanos));
        }
        // A leg with an outbound-audio hook encodes for itself: hook only what the leg's mode sends through.
        if (dtmf.sendMode() == DtmfMode.RFC4733) {
            leg.setPacketInjector(dtmf::inject);
        } else if (dtmf.sendMode() == DtmfMode.INBAND) {
            leg.setOutboundAudio(dtmf::process);
        }
        if (withVad) {
            leg.addDecodedTap(this::voiceActivity);
        }
    }

    LegDtmf dtmf() {
        return dtmf;
    }

    /** The leg's dialer for keys on demand; thread-safe. */
    DigitDialer dialer() {
        return dialer;
    }

    long heardCount() {
        return heard;
    }

    /** Runs what is due when no media tick has (event time-outs on a silent leg). */
    void poll(long nowNanos) {
        if (dtmf.nextDeadlineNanos() <= nowNanos) {
            dtmf.advance(nowNanos);
        }
    }

    void close(long nowNanos) {
        dtmf.close(nowNanos);
    }

    /** Whether voice activity detection is running now (only while a sequence is queued or running). */
    boolean vadRunning() {
        return vad != null;
    }

    private void voiceActivity(short[] pcm, int offset, int length, long nowNanos) {
        if (!dtmf.hasSequences()) {
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
            if (event == VadEvent.SPEECH_STARTED) {
                dtmf.onSpeechStarted(frameNanos);
            } else if (event == VadEvent.SPEECH_ENDED) {
                dtmf.onSpeechEnded(vad.speechEndNanos(), frameNanos);
            }
        }
    }

    private final class Listener implements DtmfListener {
        @Override
        public void onDigitHeard(DigitHeard digit) {
            heard++;
            events.heard(conversation, digit);
        }

        @Override
        public void onProgress(DialHandle handle, ExecutorOutput output) {
            DtmfMode mode = dtmf.sendMode();
            if (output instanceof ExecutorOutput.SendDigit key) {
                events.sent(conversation, legId, mode, key);
            } else if (output instanceof ExecutorOutput.Done done) {
                events.ended(conversation, legId, handle.tag(), done);
            }
        }
    }
}
