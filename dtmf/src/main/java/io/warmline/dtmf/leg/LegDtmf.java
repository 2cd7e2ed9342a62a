package io.warmline.dtmf.leg;

import io.netty.buffer.ByteBuf;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.ivr.ExecutorOutput;
import io.warmline.dtmf.ivr.ExecutorOutput.Done;
import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.ivr.ExecutorOutput.SendDigit;
import io.warmline.dtmf.ivr.SequenceExecutor;
import io.warmline.dtmf.leg.internal.HeardFilter;
import io.warmline.dtmf.rfc4733.TelephoneEventFormat;
import io.warmline.dtmf.rfc4733.TelephoneEventReceiver;
import io.warmline.dtmf.rfc4733.TelephoneEventSender;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.tone.DtmfToneGenerator;
import io.warmline.dtmf.tone.GoertzelDetector;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.NanoClock;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTMF channel of one terminated leg: hears the far end's keys in every mode and sends this side's keys in the
 * leg's mode. It is driven entirely by the leg's media hooks, each called on the leg's event loop with the current
 * time, and holds no socket, thread or clock (sans-IO):
 * <ul>
 *   <li>{@link #onTelephoneEvent} — telephone-event RTP packets split off before the jitter buffer (releases them);</li>
 *   <li>{@link #onFrame} — each decoded 8 kHz frame of the far end (in-band detection);</li>
 *   <li>{@link #onInfo} — a DTMF body the SIP layer received in an INFO on the leg's dialog;</li>
 *   <li>{@link #inject} — once per tick before encoding: writes an RFC 4733 packet instead of the audio frame;</li>
 *   <li>{@link #process} — once per tick with the leg's outbound frame: overwrites it with an in-band tone.</li>
 * </ul>
 * The hooks match the bridge leg's {@code TelephoneEventHandler}, {@code PcmTap}, {@code PacketInjector} and
 * {@code OutboundAudio} so they attach as method references.
 *
 * <p><b>Hearing.</b> RFC 4733 events (of every telephone-event payload type the leg receives, each by its own {@link
 * TelephoneEventReceiver} at its own clock rate: an answer may agree on {@code telephone-event/48000} beside Opus and
 * {@code telephone-event/8000} beside PCMU), in-band tones (if enabled) and INFO bodies are all heard; each press is
 * reported once to {@link DtmfListener#onDigitHeard} ({@link HeardFilter}: a press sent two ways at once is reported by
 * the first source that finishes it; a media copy of a key this leg is sending is echo and dropped; RFC 4733 packets
 * carrying this leg's own SSRC are a loop and dropped).
 *
 * <p><b>Sending.</b> Sequences (the IVR navigation from {@link #run}, and keys on demand from a {@link #dialer}) run
 * one at a time, in order, through a {@link SequenceExecutor} each. Each key goes out in the effective mode: RFC 4733
 * ({@link TelephoneEventSender}: the telephone-event payload type that goes with the send codec, at its clock rate, one
 * timestamp per event, final packet three times, one packet per 20 ms tick), in-band ({@link DtmfToneGenerator}, Q.23
 * levels, the rest of the press's gap muted) or INFO (handed to the {@link DtmfInfoSender}). {@link DtmfMode#AUTO} is
 * RFC 4733 if telephone-event was negotiated, else in-band; RFC 4733 configured but not negotiated (or INFO without a
 * sender) leaves the leg unable to send, and sending is refused with {@link
 * DialRejectedException.Reason#MODE_UNAVAILABLE}.
 *
 * <p>Not thread-safe: the leg's event loop owns it, except {@link DialHandle#cancel()} (any thread, honoured at the
 * next hook call) and the thread-safe {@link #dialer}.
 */
public final class LegDtmf {

    private static final Logger LOG = LoggerFactory.getLogger(LegDtmf.class);

    /** The bridge's tick: one telephone-event packet per tick (RFC 4733 §2.5.1.2 updates every packet time). */
    public static final int PTIME_MILLIS = 20;
    /** An event whose packets stop is closed after this long (RFC 4733 §2.5.2.2, several packet times). */
    public static final int EVENT_TIMEOUT_MILLIS = 500;
    private static final long PTIME_NANOS = PTIME_MILLIS * 1_000_000L;
    private static final int MAX_QUEUED_KEYS = 8;

    private final String legId;
    private final LegDtmfSettings settings;
    private final DtmfListener listener;
    private final DtmfInfoSender infoSender;
    private final DtmfMode sendMode;
    private final String unavailableReason;
    /** One receiver per received telephone-event payload type; {@link #receiverByPt} indexes them (0: none). */
    private final TelephoneEventReceiver[] eventReceivers;
    private final byte[] receiverByPt = new byte[128];
    private final TelephoneEventSender eventSender;
    private final GoertzelDetector detector;
    private final HeardFilter filter = new HeardFilter();
    private final AtomicLong jobIds = new AtomicLong();

    private final ArrayDeque<Job> jobs = new ArrayDeque<>();
    private final ArrayDeque<SendDigit> keys = new ArrayDeque<>();
    private long lastDoneNanos = Long.MIN_VALUE;
    private volatile boolean closed;

    private boolean localSsrcKnown;
    private long localSsrc;
    /** Virtual time of the event sender: one packet time per {@link #inject} call, so every tick sends one packet. */
    private long eventClock;

    private DtmfToneGenerator tone;
    private DtmfDigit toneDigit;
    private long toneIndex;
    private long toneSamples;
    private long muteSamples;

    private long heard;
    private long duplicates;
    private long echoes;
    private long looped;
    private long sent;
    private long keysDropped;
    private long listenerErrors;
    private long unusableEvents;

    /**
     * A leg that receives telephone-event only in the format it sends (see the other constructor).
     *
     * @param telephoneEventPayloadType the negotiated telephone-event payload type, or -1
     * @param clockRate the telephone-event clock rate (the leg's RTP clock: 8000, or 48000 on Opus)
     */
    public LegDtmf(String legId, LegDtmfSettings settings, int telephoneEventPayloadType, int clockRate,
                   DtmfListener listener, DtmfInfoSender infoSender) {
        this(legId, settings, telephoneEventPayloadType, clockRate,
                usable(telephoneEventPayloadType, clockRate)
                        ? List.of(new TelephoneEventFormat(telephoneEventPayloadType, clockRate)) : List.of(),
                listener, infoSender);
    }

    /**
     * @param legId the leg's id, carried in every {@link DigitHeard}
     * @param telephoneEventPayloadType the telephone-event payload type that goes with the codec the leg sends (what
     *     RFC 4733 keys are sent in), or -1
     * @param clockRate that payload type's clock rate (the send codec's RTP clock: 8000, or 48000 on Opus)
     * @param received every telephone-event format the leg may receive ({@link TelephoneEventFormat#received}), each
     *     heard by its payload type and timed by its clock; one payload type at most once
     * @param infoSender sends INFO on the leg's dialog, or null if the leg has no SIP dialog
     */
    public LegDtmf(String legId, LegDtmfSettings settings, int telephoneEventPayloadType, int clockRate,
                   List<TelephoneEventFormat> received, DtmfListener listener, DtmfInfoSender infoSender) {
        this.legId = Objects.requireNonNull(legId, "legId");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.infoSender = infoSender;
        boolean negotiated = usable(telephoneEventPayloadType, clockRate);
        if (telephoneEventPayloadType >= 0 && !negotiated) {
            LOG.warn("leg {}: telephone-event pt {} at {} Hz not usable; none sent", legId,
                    telephoneEventPayloadType, clockRate);
        }
        this.eventReceivers = new TelephoneEventReceiver[received.size()];
        for (int i = 0; i < eventReceivers.length; i++) {
            TelephoneEventFormat f = received.get(i);
            if (receiverByPt[f.payloadType()] != 0) {
                throw new IllegalArgumentException("telephone-event payload type " + f.payloadType() + " twice");
            }
            eventReceivers[i] = new TelephoneEventReceiver(f.clockRate(), EVENT_TIMEOUT_MILLIS);
            receiverByPt[f.payloadType()] = (byte) (i + 1);
        }
        DtmfMode mode = settings.mode();
        String unavailable = null;
        if (mode == DtmfMode.AUTO) {
            mode = negotiated ? DtmfMode.RFC4733 : DtmfMode.INBAND;
        } else if (mode == DtmfMode.RFC4733 && !negotiated) {
            unavailable = "rfc4733 is configured but the far end did not negotiate telephone-event";
        } else if (mode == DtmfMode.INFO && infoSender == null) {
            unavailable = "info is configured but the leg has no SIP dialog";
        }
        this.sendMode = unavailable == null ? mode : null;
        this.unavailableReason = unavailable;
        this.eventSender = sendMode == DtmfMode.RFC4733
                ? new TelephoneEventSender(telephoneEventPayloadType, clockRate, PTIME_MILLIS) : null;
        this.detector = settings.detectInband() ? new GoertzelDetector() : null;
    }

    public String legId() {
        return legId;
    }

    public LegDtmfSettings settings() {
        return settings;
    }

    /** The mode keys are sent in (never AUTO), or null if this leg cannot send keys. */
    public DtmfMode sendMode() {
        return sendMode;
    }

    // ---- hearing --------------------------------------------------------------------------------------------------

    /**
     * A telephone-event RTP packet of this leg (TelephoneEventHandler), heard by the receiver of its payload type; a
     * packet of a type not agreed for telephone-event is counted as malformed. Takes ownership: releases it.
     */
    public void onTelephoneEvent(ByteBuf rtp, long nowNanos) {
        try {
            if (closed || eventReceivers.length == 0) {
                return;
            }
            if (!RtpHeader.isValid(rtp)) {
                unusableEvents++;
                return;
            }
            if (localSsrcKnown && RtpHeader.ssrc(rtp) == localSsrc) {
                looped++;
                return;
            }
            int index = receiverByPt[RtpHeader.payloadType(rtp)];
            if (index == 0) {
                unusableEvents++;
                return;
            }
            TelephoneEventReceiver receiver = eventReceivers[index - 1];
            receiver.onPacket(rtp, nowNanos);
            drainEvents(receiver, nowNanos);
        } finally {
            rtp.release();
        }
        advance(nowNanos);
    }

    /** One decoded 8 kHz frame from the far end (PcmTap); {@code nowNanos} is the time of its first sample. */
    public void onFrame(short[] pcm, int offset, int length, long nowNanos) {
        if (closed) {
            return;
        }
        if (detector != null) {
            detector.process(pcm, offset, length, nowNanos);
            for (DigitPress p = detector.poll(); p != null; p = detector.poll()) {
                hear(p, DtmfMode.INBAND, nowNanos);
            }
        }
        advance(nowNanos);
    }

    /** A DTMF body the SIP layer received (and answered 200) in an INFO on this leg's dialog. */
    public void onInfo(DtmfInfo info, long nowNanos) {
        Objects.requireNonNull(info, "info");
        if (closed) {
            return;
        }
        hear(new DigitPress(info.digit(), nowNanos, info.durationMillis(), true), DtmfMode.INFO, nowNanos);
        advance(nowNanos);
    }

    /**
     * Whether a sequence is queued or running: only then do {@link #onSpeechStarted} and {@link #onSpeechEnded} have
     * an effect, so an owner may run voice activity detection only while this holds.
     */
    public boolean hasSequences() {
        return !jobs.isEmpty();
    }

    /** The far end started speaking (VAD), for prompt-aware waits. */
    public void onSpeechStarted(long nowNanos) {
        Job job = jobs.peek();
        if (job != null && job.started) {
            job.executor.onSpeechStarted(nowNanos);
        }
        advance(nowNanos);
    }

    /** The far end stopped speaking; {@code speechEndNanos} is the end of its last speech frame (before hangover). */
    public void onSpeechEnded(long speechEndNanos, long nowNanos) {
        Job job = jobs.peek();
        if (job != null && job.started) {
            job.executor.onSpeechEnded(speechEndNanos, nowNanos);
        }
        advance(nowNanos);
    }

    // ---- sending --------------------------------------------------------------------------------------------------

    /**
     * Queues a sequence behind any already queued (the IVR navigation, or keys on demand).
     *
     * @param tag what it is for, reported back in the handle
     * @param firstStepNanos the earliest time its first step may start (answer time plus the target's delay)
     * @throws DialRejectedException {@code MODE_UNAVAILABLE} or {@code LEG_ENDED}
     */
    public DialHandle run(DtmfSequence sequence, String tag, long firstStepNanos, long nowNanos)
            throws DialRejectedException {
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(tag, "tag");
        return run(jobIds.incrementAndGet(), sequence, tag, firstStepNanos, nowNanos);
    }

    DialHandle run(long id, DtmfSequence sequence, String tag, long firstStepNanos, long nowNanos)
            throws DialRejectedException {
        checkCanSend();
        Job job = new Job(id, tag, sequence, firstStepNanos);
        jobs.add(job);
        advance(nowNanos);
        return job;
    }

    /** Throws if this leg cannot send keys now. Thread-safe. */
    public void checkCanSend() throws DialRejectedException {
        if (sendMode == null) {
            throw new DialRejectedException(DialRejectedException.Reason.MODE_UNAVAILABLE,
                    "leg " + legId + " cannot send digits: " + unavailableReason);
        }
        if (closed) {
            throw new DialRejectedException(DialRejectedException.Reason.LEG_ENDED, "leg " + legId + " has ended");
        }
    }

    /**
     * A thread-safe dialer for this leg alone, bounded by the settings' {@link DialLimits}: it parses and checks a
     * request on the caller's thread and queues it on {@code loop}, the leg's event loop.
     */
    public DigitDialer dialer(Executor loop, NanoClock clock) {
        return new LegDigitDialer(this, loop, clock);
    }

    long nextJobId() {
        return jobIds.incrementAndGet();
    }

    /** Ends every queued and running sequence as {@code CANCELLED} now (a person took over, the escalation ended). */
    public void cancelAll(long nowNanos) {
        for (Job job : jobs) {
            job.cancelRequested = true;
        }
        advance(nowNanos);
    }

    /** RFC 4733 packet for this tick, instead of the audio frame (PacketInjector). */
    public boolean inject(long nowNanos, long audioTimestamp, int sequence, long ssrc, ByteBuf dst) {
        localSsrc = ssrc;
        localSsrcKnown = true;
        advance(nowNanos);
        if (eventSender == null || closed) {
            return false;
        }
        eventClock += PTIME_NANOS;
        if (!eventSender.isActive()) {
            SendDigit key = keys.poll();
            if (key == null) {
                return false;
            }
            int millis = (int) key.tone().toMillis();
            eventSender.start(key.digit(), audioTimestamp, millis, settings.volume(), eventClock);
            filter.sending(key.digit(), nowNanos, nowNanos + millis * 1_000_000L);
        }
        return eventSender.poll(eventClock, dst, sequence, ssrc);
    }

    /** Overwrites this tick's outbound frame with an in-band tone while a key sounds (OutboundAudio). */
    public void process(short[] pcm, int offset, int length, int rate, long nowNanos) {
        advance(nowNanos);
        if (sendMode != DtmfMode.INBAND || closed) {
            return;
        }
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (toneDigit == null && muteSamples == 0) {
                SendDigit key = keys.poll();
                if (key == null) {
                    return;
                }
                startTone(key, rate, nowNanos + (at - offset) * 1_000_000_000L / rate);
            }
            if (tone.sampleRate() != rate) {
                retune(rate);
            }
            if (toneDigit != null) {
                int n = (int) Math.min(end - at, toneSamples - toneIndex);
                tone.generate(toneDigit, pcm, at, n, toneIndex);
                toneIndex += n;
                at += n;
                if (toneIndex == toneSamples) {
                    toneDigit = null;
                }
            } else {
                int n = (int) Math.min(end - at, muteSamples);
                Arrays.fill(pcm, at, at + n, (short) 0);
                muteSamples -= n;
                at += n;
            }
        }
    }

    /**
     * Runs what is due at {@code nowNanos}: sequences, cancellations, event time-outs. Every hook calls it; an owner
     * that stops calling hooks (no media ticks) calls it at {@link #nextDeadlineNanos()}.
     */
    public void advance(long nowNanos) {
        if (closed) {
            return;
        }
        for (TelephoneEventReceiver receiver : eventReceivers) {
            if (nowNanos >= receiver.nextDeadlineNanos()) {
                receiver.onTimeout(nowNanos);
                drainEvents(receiver, nowNanos);
            }
        }
        if (jobs.isEmpty()) {
            // Every hook calls this on every tick: an idle leg allocates nothing (no iterator, no predicate).
            return;
        }
        for (Job job : jobs) {
            if (job.cancelRequested && job.started) {
                job.executor.cancel(nowNanos);
            }
        }
        while (!jobs.isEmpty()) {
            Job job = jobs.peek();
            if (!job.started) {
                if (job.cancelRequested) {
                    jobs.poll();
                    complete(job, new Done(Outcome.CANCELLED, 0, nowNanos));
                    continue;
                }
                job.started = true;
                job.executor.start(Math.max(job.firstStepNanos, lastDoneNanos), nowNanos);
            } else {
                job.executor.advance(nowNanos);
            }
            drain(job);
            if (!job.executor.isFinished()) {
                break;
            }
        }
        // Cancelled jobs still waiting behind a running one.
        jobs.removeIf(job -> {
            if (job.cancelRequested && !job.started) {
                complete(job, new Done(Outcome.CANCELLED, 0, nowNanos));
                return true;
            }
            return false;
        });
    }

    /** When {@link #advance} next has work if no hook is called before; {@link Long#MAX_VALUE} if none. */
    public long nextDeadlineNanos() {
        long deadline = Long.MAX_VALUE;
        for (TelephoneEventReceiver receiver : eventReceivers) {
            deadline = Math.min(deadline, receiver.nextDeadlineNanos());
        }
        Job job = jobs.peek();
        if (job != null) {
            deadline = Math.min(deadline, job.started ? job.executor.nextDeadlineNanos() : job.firstStepNanos);
        }
        return deadline;
    }

    /**
     * The leg ended: every sequence ends as {@code LEG_ENDED}, an event being sent is abandoned (the far end closes it
     * by its timeout), nothing more is heard. Idempotent.
     */
    public void close(long nowNanos) {
        if (closed) {
            return;
        }
        closed = true;
        List<Job> ending = List.copyOf(jobs);
        jobs.clear();
        keys.clear();
        for (Job job : ending) {
            if (job.started) {
                job.executor.onLegEnded(nowNanos);
                drain(job);
            } else {
                complete(job, new Done(Outcome.LEG_ENDED, 0, nowNanos));
            }
        }
        if (eventSender != null) {
            eventSender.abort();
        }
        toneDigit = null;
        muteSamples = 0;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Counters since the leg started. */
    public LegDtmfStats stats() {
        long malformed = unusableEvents;
        for (TelephoneEventReceiver receiver : eventReceivers) {
            malformed += receiver.malformed();
        }
        return new LegDtmfStats(heard, duplicates, echoes, looped, sent, keysDropped, malformed, listenerErrors);
    }

    // ---- internals ------------------------------------------------------------------------------------------------

    private void drain(Job job) {
        for (ExecutorOutput out = job.executor.poll(); out != null; out = job.executor.poll()) {
            if (out instanceof SendDigit key) {
                job.digitsSent++;
                sent++;
                send(key);
                progress(job, out);
            } else if (out instanceof Done done) {
                if (jobs.peek() == job) {
                    jobs.poll();
                } else {
                    jobs.remove(job);
                }
                lastDoneNanos = done.atNanos();
                complete(job, done);
            } else {
                progress(job, out);
            }
        }
    }

    private void send(SendDigit key) {
        if (sendMode == DtmfMode.INFO) {
            try {
                infoSender.sendInfo(new DtmfInfo(key.digit(), (int) key.tone().toMillis()));
            } catch (RuntimeException e) {
                LOG.warn("leg {}: INFO for key {} not sent: {}", legId, key.digit().symbol(), e.toString());
            }
            return;
        }
        if (keys.size() == MAX_QUEUED_KEYS) {
            keys.poll();
            keysDropped++;
        }
        keys.add(key);
    }

    private void startTone(SendDigit key, int rate, long startNanos) {
        if (tone == null || tone.sampleRate() != rate) {
            tone = new DtmfToneGenerator(rate, DtmfToneGenerator.DEFAULT_LOW_DBM0,
                    DtmfToneGenerator.DEFAULT_LOW_DBM0 + DtmfToneGenerator.DEFAULT_TWIST_DB);
        }
        toneDigit = key.digit();
        toneIndex = 0;
        toneSamples = key.tone().toMillis() * rate / 1000;
        muteSamples = key.gap().toMillis() * rate / 1000;
        filter.sending(key.digit(), startNanos, startNanos + key.tone().toNanos());
    }

    /** The outbound rate changed mid-press: keep the press's timing in the new rate. */
    private void retune(int rate) {
        int old = tone.sampleRate();
        tone = new DtmfToneGenerator(rate, DtmfToneGenerator.DEFAULT_LOW_DBM0,
                DtmfToneGenerator.DEFAULT_LOW_DBM0 + DtmfToneGenerator.DEFAULT_TWIST_DB);
        toneIndex = toneIndex * rate / old;
        toneSamples = toneSamples * rate / old;
        muteSamples = muteSamples * rate / old;
    }

    private static boolean usable(int payloadType, int clockRate) {
        return payloadType >= 0 && payloadType <= 127
                && (clockRate == 8000 || clockRate == 16000 || clockRate == 48000);
    }

    private void drainEvents(TelephoneEventReceiver receiver, long nowNanos) {
        for (DigitPress p = receiver.poll(); p != null; p = receiver.poll()) {
            hear(p, DtmfMode.RFC4733, nowNanos);
        }
    }

    private void hear(DigitPress press, DtmfMode source, long nowNanos) {
        switch (filter.judge(press.digit(), source, press.startNanos(), press.durationMillis(), nowNanos)) {
            case DUPLICATE -> duplicates++;
            case ECHO -> echoes++;
            case REPORT -> {
                heard++;
                DigitHeard event = new DigitHeard(legId, press.digit(), source, press.startNanos(),
                        press.durationMillis(), press.endSeen());
                try {
                    listener.onDigitHeard(event);
                } catch (RuntimeException e) {
                    listenerErrors++;
                    LOG.warn("leg {}: digit listener failed", legId, e);
                }
            }
        }
    }

    private void progress(Job job, ExecutorOutput out) {
        try {
            listener.onProgress(job, out);
        } catch (RuntimeException e) {
            listenerErrors++;
            LOG.warn("leg {}: progress listener failed", legId, e);
        }
    }

    private void complete(Job job, Done done) {
        progress(job, done);
        job.result.complete(new DialResult(done.outcome(), job.digitsSent, done.atNanos()));
    }

    private static final class Job implements DialHandle {
        private final long id;
        private final String tag;
        private final SequenceExecutor executor;
        private final long firstStepNanos;
        private final CompletableFuture<DialResult> result = new CompletableFuture<>();
        private volatile boolean cancelRequested;
        private boolean started;
        private int digitsSent;

        Job(long id, String tag, DtmfSequence sequence, long firstStepNanos) {
            this.id = id;
            this.tag = tag;
            this.executor = new SequenceExecutor(sequence);
            this.firstStepNanos = firstStepNanos;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String tag() {
            return tag;
        }

        @Override
        public CompletableFuture<DialResult> result() {
            return result;
        }

        @Override
        public void cancel() {
            cancelRequested = true;
        }

        @Override
        public String toString() {
            return "DialHandle[" + id + ", " + tag + "]";
        }
    }
}
