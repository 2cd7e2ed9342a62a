package io.warmline.media.bridge;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.warmline.media.internal.LateTickEvent;
import io.warmline.media.internal.LoopSnapshot;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.mix.MediaClock;
import io.warmline.media.mix.MixReader;
import io.warmline.media.mix.Mixer;
import io.warmline.media.mix.Participant;
import io.warmline.media.play.FrameSource;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.RtpEndpoint;
import java.util.ArrayList;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminated media path of one conversation: RTP legs, sources (players, speech, tones) and sinks (recorders,
 * detectors) around one {@link Mixer} with a {@link HearingMatrix}, ticking every 20 ms on one event loop.
 *
 * <p><b>Ticks.</b> A {@link MediaClock} holds the deadlines on a fixed 20 ms grid (no drift); a fixed-rate task on
 * the loop wakes the bridge, which runs the ticks that fell due. After a stall at most
 * {@link MediaClock#DEFAULT_MAX_BURST} overdue ticks run back to back; older ones are skipped (no burst), their
 * frames counted as late and their time kept in the legs' RTP timestamps. Each tick: every leg plays one frame out of
 * its jitter buffer into the mixer, every source contributes a frame, the mixer mixes, every sink receives its mix,
 * and every leg encodes and sends its mix (see {@link BridgeLeg}).
 *
 * <p><b>Late.</b> A tick is late when it starts more than {@link #LATE_NANOS} after its deadline; an output frame is
 * late when it is handed to its endpoint more than {@link #LATE_NANOS} after its tick's deadline, or never because
 * its tick was skipped (see {@link BridgeStats}).
 *
 * <p><b>Threading.</b> Everything runs on {@link #eventLoop()}; each leg's endpoint must be owned by the same loop.
 * The methods may be called from any thread: off the loop the change hops onto it and applies from a following tick.
 * Steady-state ticks allocate nothing on the heap (packets come from the pooled allocator).
 *
 * <p>The bridge never closes an endpoint: whoever opened it closes it after {@link #remove} or {@link #close}.
 */
public final class MediaBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaBridge.class);

    /** A frame sent more than this after its deadline is late. */
    public static final long LATE_NANOS = 10_000_000L;
    /** How early a wake-up may come and still be re-armed for the exact deadline rather than a whole period on. */
    private static final long EARLY_WAKE_NANOS = 2_000_000L;

    private final EventLoop loop;
    private final NanoClock clock;
    private final int mixRate;
    private final Mixer mixer;
    private final MediaClock mediaClock;
    private final SplittableRandom random = new SplittableRandom();
    /** Ids in use, checked synchronously so that a duplicate fails in the caller. */
    private final ConcurrentHashMap<String, Boolean> ids = new ConcurrentHashMap<>();

    private final ArrayList<BridgeLeg> legs = new ArrayList<>();
    private final ArrayList<SourceSlot> sources = new ArrayList<>();
    private final ArrayList<SinkSlot> sinks = new ArrayList<>();
    private final short[] frame;

    private ScheduledFuture<?> timer;
    /** The deadline an early wake-up was last re-armed for (once per deadline, never a spin). */
    private long rearmedFor = Long.MIN_VALUE;
    private volatile boolean closed;

    /** The previous wake-up's time and loop CPU time, kept only while a recording takes late-tick events. */
    private long previousWake;
    private long previousWakeCpu = -1;
    private long wakeCpu = -1;

    private long ticks;
    private long skippedTicks;
    private long lateTicks;
    private long maxLatenessNanos;
    private long encodes;
    private long sharedEncodes;
    private long callbackErrors;
    private long removedDue;
    private long removedSent;
    private long removedLate;

    private MediaBridge(EventLoop loop, NanoClock clock, int mixRate) {
        this.loop = loop;
        this.clock = clock;
        this.mixRate = mixRate;
        this.mixer = new Mixer(mixRate);
        this.mediaClock = new MediaClock(clock.nanoTime(), MediaClock.DEFAULT_PERIOD_NANOS,
                MediaClock.DEFAULT_MAX_BURST);
        this.frame = new short[mixer.frameSamples()];
    }

    /**
     * Creates a bridge whose first tick is due now and schedules its ticks on {@code loop}.
     *
     * @param clock the time base of the deadlines; the loop's scheduler wakes the bridge, the clock decides what is
     *     due (tests pass a manual clock and call {@link #runDueTicks()} on the loop)
     * @param mixRate 8000, 16000 or 48000
     */
    public static MediaBridge start(EventLoop loop, NanoClock clock, int mixRate) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(clock, "clock");
        MediaBridge bridge = new MediaBridge(loop, clock, mixRate);
        bridge.timer = loop.scheduleAtFixedRate(bridge::runDueTicks, 0, MediaClock.DEFAULT_PERIOD_NANOS,
                TimeUnit.NANOSECONDS);
        return bridge;
    }

    /**
     * Loads, on the calling thread, what a process's first bridge would otherwise load on its event loop: the JFR
     * event class of late ticks, whose first load takes JFR's class-loading hook hundreds of milliseconds even with
     * no recording. Call once at start-up, off the event loops.
     */
    public static void warmUp() {
        LateTickEvent.recording();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public int mixRate() {
        return mixRate;
    }

    int frameSamples() {
        return frame.length;
    }

    NanoClock clock() {
        return clock;
    }

    /**
     * Terminates an RTP leg: the bridge becomes the endpoint's listener and sends on it every tick. The leg hears
     * and is heard as the matrix says (by {@code id}).
     *
     * @throws IllegalArgumentException if {@code id} is taken or the endpoint runs on another loop
     * @throws IllegalStateException if the bridge is closed or full ({@value Mixer#MAX_PARTICIPANTS} members)
     */
    public BridgeLeg addLeg(String id, RtpEndpoint endpoint, LegCodec codec) {
        return addLeg(id, endpoint, LegCodecs.symmetric(Objects.requireNonNull(codec, "codec")));
    }

    /**
     * Terminates an RTP leg that sends {@code codecs.send()} and decodes every packet of {@code codecs.receive()} by
     * its payload type (RFC 3264 §6.1); otherwise as {@link #addLeg(String, RtpEndpoint, LegCodec)}.
     */
    public BridgeLeg addLeg(String id, RtpEndpoint endpoint, LegCodecs codecs) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(codecs, "codecs");
        if (endpoint.eventLoop() != loop) {
            throw new IllegalArgumentException("leg " + id + " runs on another event loop than its bridge");
        }
        claim(id);
        BridgeLeg leg = new BridgeLeg(this, id, endpoint, codecs, random);
        onLoop(() -> {
            if (closed) {
                return;
            }
            leg.joined(mixer.join(id));
            legs.add(leg);
            endpoint.setListener(leg.listener());
        });
        return leg;
    }

    /** Adds a source (player, speech, tones) producing frames at the mix rate. */
    public void addSource(String id, FrameSource source) {
        Objects.requireNonNull(source, "source");
        if (source.frameSamples() != frame.length) {
            throw new IllegalArgumentException("source " + id + " makes " + source.frameSamples()
                    + "-sample frames; the bridge mixes " + frame.length);
        }
        int audioRate = source.audioRate();
        if (audioRate != 8000 && audioRate != 16000 && audioRate != 48000) {
            throw new IllegalArgumentException("source " + id + " declares an audio rate of " + audioRate);
        }
        claim(id);
        onLoop(() -> {
            if (!closed) {
                Participant p = mixer.join(id);
                p.setAudioRate(audioRate);
                sources.add(new SourceSlot(id, source, p));
            }
        });
    }

    /** Adds a sink (recorder, detector, agent stream) receiving the mix the matrix lets {@code id} hear. */
    public void addSink(String id, FrameSink sink) {
        Objects.requireNonNull(sink, "sink");
        claim(id);
        onLoop(() -> {
            if (!closed) {
                sinks.add(new SinkSlot(id, sink, mixer.join(id), new MixReader(mixRate)));
            }
        });
    }

    /** Removes a leg (its endpoint loses its listener, stays open), a source or a sink. Unknown ids are ignored. */
    public void remove(String id) {
        onLoop(() -> {
            if (removeOnLoop(id)) {
                ids.remove(id);
            }
        });
    }

    /** Who hears whom, by id; takes effect on the next tick (with the mixer's crossfade). */
    public void setMatrix(HearingMatrix matrix) {
        Objects.requireNonNull(matrix, "matrix");
        onLoop(() -> mixer.setMatrix(matrix));
    }

    /** A snapshot of the counters. Off the loop it waits (briefly) for the loop to take it. */
    public BridgeStats stats() {
        return LoopSnapshot.take(loop, this::snapshot);
    }

    /** Stops ticking and removes every member. Idempotent; endpoints stay open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        onLoop(() -> {
            for (BridgeLeg leg : legs) {
                leg.markRemoved();
                leg.endpoint().setListener(null);
            }
            legs.clear();
            sources.clear();
            sinks.clear();
        });
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Runs the ticks that are due by the clock. The loop's timer calls it every 20 ms; tests with a manual clock call
     * it on the loop after advancing the clock.
     */
    void runDueTicks() {
        if (closed) {
            return;
        }
        long now = clock.nanoTime();
        long previous = previousWake;
        previousWakeCpu = wakeCpu;
        previousWake = now;
        wakeCpu = LateTickEvent.recording() ? LateTickEvent.threadCpuNanos() : -1;
        long sincePrevious = now - previous;
        long skippedBefore = mediaClock.skippedTicks();
        int due = mediaClock.ticksDue(now);
        long skipped = mediaClock.skippedTicks() - skippedBefore;
        long period = mediaClock.periodNanos();
        long deadline = mediaClock.nextDeadline() - due * period;
        if (skipped > 0) {
            skippedTicks += skipped;
            for (int i = 0; i < legs.size(); i++) {
                legs.get(i).skip(skipped, deadline - skipped * period);
            }
        }
        for (int k = 0; k < due; k++, deadline += period) {
            long lateness = clock.nanoTime() - deadline;
            maxLatenessNanos = Math.max(maxLatenessNanos, lateness);
            if (lateness > LATE_NANOS) {
                lateTicks++;
                lateTick(deadline, lateness, due, skipped, sincePrevious);
            } else {
                tick(deadline);
            }
        }
        if (due == 0 && timer != null) {
            long early = mediaClock.delayUntilNext(now);
            if (early > 0 && early < EARLY_WAKE_NANOS && rearmedFor != mediaClock.nextDeadline()) {
                rearmedFor = mediaClock.nextDeadline();
                // the scheduler woke us just before the grid: run that tick at its deadline, not a period late
                loop.schedule(this::runDueTicks, early, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Runs a late tick inside a JFR event (when a recording enables it), to line stalls up with their cause. */
    private void lateTick(long deadline, long lateness, int due, long skipped, long sincePrevious) {
        LateTickEvent event = new LateTickEvent();
        event.begin();
        tick(deadline);
        event.end();
        if (event.shouldCommit()) {
            event.lateness = lateness;
            event.ticksDue = due;
            event.skipped = skipped;
            event.legs = legs.size();
            if (wakeCpu >= 0 && previousWakeCpu >= 0) {
                event.sincePreviousWake = sincePrevious;
                event.loopCpuSincePreviousWake = wakeCpu - previousWakeCpu;
            }
            event.commit();
        }
        if (log.isDebugEnabled()) {
            log.debug("Late tick: {} µs after its deadline, {} due, {} skipped", lateness / 1000, due, skipped);
        }
    }

    private void tick(long deadline) {
        ticks++;
        for (int i = 0; i < legs.size(); i++) {
            BridgeLeg leg = legs.get(i);
            try {
                leg.pull(deadline);
            } catch (RuntimeException e) {
                callbackFailed(leg, "inbound path", e);
            }
        }
        for (int i = 0; i < sources.size(); i++) {
            SourceSlot s = sources.get(i);
            try {
                if (s.source.readFrame(frame, 0)) {
                    s.participant.contribute(frame, 0);
                }
            } catch (RuntimeException e) {
                callbackFailed(s.id, "source", e);
            }
        }
        mixer.tick();
        for (int i = 0; i < sinks.size(); i++) {
            SinkSlot s = sinks.get(i);
            try {
                short[] mix = s.reader.read(s.participant.mix());
                s.sink.onFrame(mix, 0, mix.length, mixRate, deadline);
            } catch (RuntimeException e) {
                callbackFailed(s.id, "sink", e);
            }
        }
        for (int i = 0; i < legs.size(); i++) {
            BridgeLeg leg = legs.get(i);
            BridgeLeg from = null;
            for (int j = 0; j < i && from == null; j++) {
                if (legs.get(j).canShareWith(leg)) {
                    from = legs.get(j);
                }
            }
            try {
                if (leg.emit(deadline, from)) {
                    encodes++;
                } else if (from != null) {
                    sharedEncodes++;
                }
            } catch (RuntimeException e) {
                callbackFailed(leg, "outbound path", e);
            }
        }
    }

    private boolean removeOnLoop(String id) {
        for (int i = 0; i < legs.size(); i++) {
            BridgeLeg leg = legs.get(i);
            if (leg.id().equals(id)) {
                legs.remove(i);
                leg.markRemoved();
                leg.endpoint().setListener(null);
                mixer.leave(leg.participant);
                removedDue += leg.framesDue();
                removedSent += leg.framesSent();
                removedLate += leg.lateFrames();
                return true;
            }
        }
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).id.equals(id)) {
                mixer.leave(sources.remove(i).participant);
                return true;
            }
        }
        for (int i = 0; i < sinks.size(); i++) {
            if (sinks.get(i).id.equals(id)) {
                mixer.leave(sinks.remove(i).participant);
                return true;
            }
        }
        return false;
    }

    private void claim(String id) {
        Objects.requireNonNull(id, "id");
        if (closed) {
            throw new IllegalStateException("bridge closed");
        }
        if (ids.size() >= Mixer.MAX_PARTICIPANTS) {
            throw new IllegalStateException("bridge full (" + Mixer.MAX_PARTICIPANTS + " members)");
        }
        if (ids.putIfAbsent(id, Boolean.TRUE) != null) {
            throw new IllegalArgumentException("id already in the bridge: " + id);
        }
    }

    private BridgeStats snapshot() {
        long due = removedDue;
        long sent = removedSent;
        long late = removedLate;
        for (BridgeLeg leg : legs) {
            due += leg.framesDue();
            sent += leg.framesSent();
            late += leg.lateFrames();
        }
        return new BridgeStats(ticks, skippedTicks, lateTicks, maxLatenessNanos / 1e6, due, sent, late, encodes,
                sharedEncodes, legs.size(), sources.size(), sinks.size(), callbackErrors);
    }

    void callbackFailed(Object member, String what, RuntimeException e) {
        callbackErrors++;
        // the first failure tells the operator what broke; a failing callback runs 50 times a second
        if (callbackErrors == 1 || Long.bitCount(callbackErrors) == 1 && callbackErrors >= 1024) {
            log.warn("Bridge {} of {} failed ({} failures so far)", what, member, callbackErrors, e);
        }
    }

    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("Event loop gone; dropping a bridge task");
        }
    }

    private record SourceSlot(String id, FrameSource source, Participant participant) {}

    private record SinkSlot(String id, FrameSink sink, Participant participant, MixReader reader) {}
}
