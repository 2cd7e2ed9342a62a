package io.warmline.sip.testing;

import io.warmline.sip.EndReason;
import io.warmline.sip.FailureReason;
import io.warmline.sip.InboundLeg;
import io.warmline.sip.OutboundLeg;
import io.warmline.sip.ReinviteResponder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records leg callbacks (with the thread they ran on) and lets a test wait for them, bounded. */
public final class Events implements OutboundLeg.Listener, InboundLeg.Listener {

    /** One callback. */
    public record Event(String kind, int status, String sdp, Object detail, String thread) {
    }

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    public volatile ReinviteResponder lastResponder;
    public volatile java.util.function.BiConsumer<String, ReinviteResponder> onReinvite;

    private void add(String kind, int status, String sdp, Object detail) {
        queue.add(new Event(kind, status, sdp, detail, Thread.currentThread().getName()));
    }

    public Event await(String kind, long timeoutMs) throws InterruptedException {
        return await(e -> e.kind().equals(kind), timeoutMs);
    }

    public Event await(Predicate<Event> p, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeoutMs + " ms; seen " + seen);
            }
            seen.add(e);
            if (p.test(e)) {
                return e;
            }
        }
    }

    /** The first event of {@code kind} received so far, without waiting; null when there is none yet. */
    public Event poll(String kind) {
        for (Event e = queue.poll(); e != null; e = queue.poll()) {
            seen.add(e);
            if (e.kind().equals(kind)) {
                return e;
            }
        }
        return null;
    }

    /** Events received so far, without waiting. */
    public List<Event> drain() {
        queue.drainTo(seen);
        return List.copyOf(seen);
    }

    @Override
    public void onProvisional(int status, String sdpOrNull) {
        add("provisional", status, sdpOrNull, null);
    }

    @Override
    public void onAnswered(String sdp) {
        add("answered", 200, sdp, null);
    }

    @Override
    public void onFailed(FailureReason reason, int status, String reasonPhrase) {
        add("failed", status, null, reason);
    }

    @Override
    public void onCancelled() {
        add("cancelled", 0, null, null);
    }

    @Override
    public void onBye() {
        add("bye", 0, null, null);
    }

    @Override
    public void onReinvite(String sdpOffer, ReinviteResponder responder) {
        lastResponder = responder;
        add("reinvite", 0, sdpOffer, null);
        var h = onReinvite;
        if (h != null) {
            h.accept(sdpOffer, responder);
        }
    }

    @Override
    public void onDtmf(io.warmline.dtmf.info.DtmfInfo info) {
        add("dtmf", 0, null, info);
    }

    @Override
    public void onEnded(EndReason reason) {
        add("ended", 0, null, reason);
    }
}
