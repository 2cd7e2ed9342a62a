package io.warmline.dtmf.leg;

import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.leg.DialRejectedException.Reason;
import io.warmline.dtmf.leg.internal.TokenBucket;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.sequence.DtmfSequenceException;
import io.warmline.dtmf.sequence.SequenceStep;
import io.warmline.media.time.NanoClock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link DigitDialer} of one {@link LegDtmf}: checks a request on the caller's thread (parse, length, mode, queue,
 * rate) and hands it to the leg's event loop. Thread-safe; the token bucket is guarded by this object's monitor, which
 * only API threads take (the media path never does).
 */
final class LegDigitDialer implements DigitDialer {

    static final String TAG = "api";

    private final LegDtmf leg;
    private final Executor loop;
    private final NanoClock clock;
    private final DialLimits limits;
    private final TokenBucket bucket;
    private final AtomicInteger pending = new AtomicInteger();

    LegDigitDialer(LegDtmf leg, Executor loop, NanoClock clock) {
        this.leg = Objects.requireNonNull(leg, "leg");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = leg.settings().limits();
        this.bucket = new TokenBucket(limits.burstDigits(), limits.digitsPerSecond(), clock.nanoTime());
    }

    @Override
    public DialHandle press(String digits) throws DialRejectedException {
        Objects.requireNonNull(digits, "digits");
        if (digits.length() > limits.maxLength()) {
            throw new DialRejectedException(Reason.TOO_LONG,
                    "at most " + limits.maxLength() + " characters, not " + digits.length());
        }
        DtmfSequence sequence;
        try {
            sequence = DtmfSequence.parse(digits, leg.settings().defaults());
        } catch (DtmfSequenceException e) {
            throw new DialRejectedException(Reason.BAD_SEQUENCE, e.getMessage(), e);
        }
        int keys = (int) sequence.steps().stream().filter(s -> s instanceof SequenceStep.Press).count();
        if (keys > limits.maxDigits()) {
            throw new DialRejectedException(Reason.TOO_LONG, "at most " + limits.maxDigits() + " keys, not " + keys);
        }
        leg.checkCanSend();
        if (pending.incrementAndGet() > limits.maxPending()) {
            pending.decrementAndGet();
            throw new DialRejectedException(Reason.QUEUE_FULL,
                    limits.maxPending() + " requests are already queued on leg " + leg.legId());
        }
        long now = clock.nanoTime();
        synchronized (this) {
            if (!bucket.tryTake(keys, now)) {
                pending.decrementAndGet();
                long waitMillis = Math.max(1, (bucket.availableAtNanos(keys) - now + 999_999) / 1_000_000);
                throw new DialRejectedException(Reason.RATE_LIMITED, "leg " + leg.legId() + " allows "
                        + limits.digitsPerSecond() + " keys a second; retry in " + waitMillis + " ms", waitMillis);
            }
        }
        Handle handle = new Handle(leg.nextJobId());
        handle.result.whenComplete((r, e) -> pending.decrementAndGet());
        try {
            loop.execute(() -> start(handle, sequence));
        } catch (RejectedExecutionException e) {
            handle.result.complete(new DialResult(Outcome.LEG_ENDED, 0, now));
            throw new DialRejectedException(Reason.LEG_ENDED, "leg " + leg.legId() + " has ended", e);
        }
        return handle;
    }

    private void start(Handle handle, DtmfSequence sequence) {
        long now = clock.nanoTime();
        if (handle.cancelled) {
            handle.result.complete(new DialResult(Outcome.CANCELLED, 0, now));
            return;
        }
        DialHandle inner;
        try {
            inner = leg.run(handle.id, sequence, TAG, now, now);
        } catch (DialRejectedException e) {
            handle.result.complete(new DialResult(Outcome.LEG_ENDED, 0, now));
            return;
        }
        handle.inner = inner;
        if (handle.cancelled) {
            inner.cancel();
            leg.advance(now);
        }
        inner.result().whenComplete((r, e) -> {
            if (e != null) {
                handle.result.completeExceptionally(e);
            } else {
                handle.result.complete(r);
            }
        });
    }

    /** The caller's handle: usable before the loop has queued the sequence. */
    private static final class Handle implements DialHandle {
        private final long id;
        private final CompletableFuture<DialResult> result = new CompletableFuture<>();
        private volatile boolean cancelled;
        private volatile DialHandle inner;

        Handle(long id) {
            this.id = id;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String tag() {
            return TAG;
        }

        @Override
        public CompletableFuture<DialResult> result() {
            return result;
        }

        @Override
        public void cancel() {
            cancelled = true;
            DialHandle i = inner;
            if (i != null) {
                i.cancel();
            }
        }

        @Override
        public String toString() {
            return "DialHandle[" + id + ", " + TAG + "]";
        }
    }
}
