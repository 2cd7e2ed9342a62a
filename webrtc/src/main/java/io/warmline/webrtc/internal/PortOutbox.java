package io.warmline.webrtc.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayList;
import java.util.function.BooleanSupplier;

/**
 * The datagrams one call loop sends on the WebRTC port, handed to the port's loop as one task per batch instead of
 * one per packet. A call loop adds what its legs send while it runs a task (a mixing tick sends one packet per leg);
 * the first add queues a hand-over behind that task on the same call loop, which gives the port's loop the whole
 * batch in one task (at most one wake-up); there every packet is written and each channel flushed once, which the
 * epoll transport sends with one {@code sendmmsg}.
 *
 * <p>Ownership: {@link #add} takes the packet. A packet whose sender is no longer live when the port's loop comes to
 * write it (its leg ended meanwhile) is released there, not sent; a batch the port's loop refuses (shut down) is
 * released whole. {@link #add} and the hand-over run on the call loop, the writes on the port's loop.
 */
public final class PortOutbox {

    /** Packets one batch holds; past it the batch is handed over at once (every queue is bounded). */
    public static final int MAX_BATCH = 1024;

    private final EventLoop callLoop;
    private final EventLoop portLoop;
    private final Runnable handOver = this::handOver;
    private ArrayList<Entry> pending = new ArrayList<>();
    private long batches;
    private long packets;

    private record Entry(Channel channel, DatagramPacket packet, BooleanSupplier live) {}

    public PortOutbox(EventLoop callLoop, EventLoop portLoop) {
        this.callLoop = callLoop;
        this.portLoop = portLoop;
    }

    /**
     * Queues {@code packet} for {@code channel}; takes ownership. Call on the call loop only.
     *
     * @param live whether the sender still wants it sent; asked on the port's loop just before the write
     */
    public void add(Channel channel, DatagramPacket packet, BooleanSupplier live) {
        pending.add(new Entry(channel, packet, live));
        if (pending.size() == 1) {
            try {
                callLoop.execute(handOver);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                handOver();
            }
        } else if (pending.size() >= MAX_BATCH) {
            handOver();
        }
    }

    /** Batches handed to the port's loop so far. Read on the call loop. */
    public long batches() {
        return batches;
    }

    /** Packets handed to the port's loop so far. Read on the call loop. */
    public long packets() {
        return packets;
    }

    private void handOver() {
        ArrayList<Entry> batch = pending;
        if (batch.isEmpty()) {
            return;
        }
        pending = new ArrayList<>(Math.max(8, batch.size()));
        batches++;
        packets += batch.size();
        try {
            portLoop.execute(() -> write(batch));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            for (Entry entry : batch) {
                entry.packet.release();
            }
        }
    }

    private static void write(ArrayList<Entry> batch) {
        ArrayList<Channel> touched = new ArrayList<>(2);
        for (Entry e : batch) {
            if (!e.live.getAsBoolean()) {
                e.packet.release();
                continue;
            }
            e.channel.write(e.packet, e.channel.voidPromise());
            if (!touched.contains(e.channel)) {
                touched.add(e.channel);
            }
        }
        for (Channel ch : touched) {
            ch.flush();
        }
    }
}
