package io.warmline.webrtc.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where one leg's handshake time goes: each step's first occurrence, in nanoseconds after the offer arrived (its
 * HTTP request was read, or it was accepted when no arrival time was given).
 * Steps are recorded on the thread that sees them (the port's loop for STUN and the first DTLS record, the handshake
 * pool for flights and keys, the leg's loop for the rest), so each slot is set once with a compare-and-set and read
 * from anywhere. Diagnostics only: nothing decides on it.
 */
public final class HandshakeTimeline {

    /** The steps, in the order they usually happen. */
    public enum Step {
        /** The leg's loop took the offer up (the wait before it is queueing behind that loop's work). */
        TAKEN("taken"),
        ANSWERED("answer"),
        /** The leg joined its conversation's media. */
        JOINED("joined"),
        /** The answer was written to the offer's HTTP connection. */
        REPLIED("replied"),
        FIRST_CHECK("check"),
        FIRST_DTLS_IN("dtls-in"),
        DTLS_STARTED("dtls-start"),
        DTLS_RUNNING("dtls-run"),
        USE_CANDIDATE("use-candidate"),
        NOMINATED("nominated"),
        KEYS("keys"),
        CONNECTED("connected"),
        FIRST_SRTP_OUT("srtp-out"),
        FIRST_SRTP_IN("srtp-in");

        private final String label;

        Step(String label) {
            this.label = label;
        }
    }

    /** DTLS datagrams sent during the handshake whose times are kept (a server sends two flights, plus resends). */
    public static final int MAX_FLIGHTS = 6;

    private static final Step[] STEPS = Step.values();

    private final long originNanos;
    private final AtomicLongArray at = new AtomicLongArray(STEPS.length);
    private final AtomicLongArray flights = new AtomicLongArray(MAX_FLIGHTS);
    private final AtomicInteger flightCount = new AtomicInteger();
    private final AtomicBoolean logged = new AtomicBoolean();

    public HandshakeTimeline(long originNanos) {
        this.originNanos = originNanos;
        for (int i = 0; i < STEPS.length; i++) {
            at.set(i, -1);
        }
    }

    /** Records {@code step} at {@code nowNanos} unless it was recorded before. */
    public void mark(Step step, long nowNanos) {
        at.compareAndSet(step.ordinal(), -1, Math.max(0, nowNanos - originNanos));
    }

    /** Records one DTLS datagram sent during the handshake; those past {@link #MAX_FLIGHTS} are only counted. */
    public void flightSent(long nowNanos) {
        int n = flightCount.getAndIncrement();
        if (n < MAX_FLIGHTS) {
            flights.set(n, Math.max(0, nowNanos - originNanos));
        }
    }

    /** Nanoseconds from the offer's arrival to {@code step}, or -1 when it has not happened. */
    public long nanos(Step step) {
        return at.get(step.ordinal());
    }

    public int flightsSent() {
        return flightCount.get();
    }

    /** Nanoseconds from the offer's arrival to the {@code i}-th handshake datagram sent, or -1. */
    public long flightNanos(int i) {
        return i < Math.min(MAX_FLIGHTS, flightCount.get()) ? flights.get(i) : -1;
    }

    /** True the first time it is called: the owner logs the timeline once. */
    public boolean claimLog() {
        return logged.compareAndSet(false, true);
    }

    /** {@code answer=0.4 check=3.1 … flights=[12.0,14.2] …} in milliseconds; steps not reached print as {@code -}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(256);
        for (Step s : STEPS) {
            if (s == Step.KEYS) {
                b.append("flights=[");
                int n = Math.min(MAX_FLIGHTS, flightCount.get());
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "");
                    millis(b, flights.get(i));
                }
                b.append(flightCount.get() > MAX_FLIGHTS ? ",…" : "").append("] ");
            }
            b.append(s.label).append('=');
            millis(b, at.get(s.ordinal()));
            b.append(' ');
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }

    private static void millis(StringBuilder b, long nanos) {
        if (nanos < 0) {
            b.append('-');
            return;
        }
        long tenths = (nanos + 50_000) / 100_000;
        b.append(tenths / 10).append('.').append(tenths % 10);
    }
}
