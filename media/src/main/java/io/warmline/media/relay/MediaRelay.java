package io.warmline.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.warmline.media.codec.G711;
import io.warmline.media.internal.LoopSnapshot;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.transport.LegFormat;
import io.warmline.media.transport.MediaLeg;
import io.warmline.media.transport.RtpEndpoint;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Relays RTP between two {@link MediaLeg}s of one call without decoding: each direction rewrites the headers with
 * an {@link RtpRewriter} (our SSRC, continuous sequence and timestamp), maps payload types between the legs'
 * negotiated formats (every format a leg may receive, {@link LegFormat#otherReceived()}, goes out as the other leg's
 * one codec), converts PCMU ↔ PCMA in place when they differ (G.711 Tables 3 and 4), and maps
 * telephone-event (RFC 4733) to the other leg's payload type, dropping it when the other leg has none.
 *
 * <p>The received buffer is rewritten in place and forwarded; nothing is allocated per packet. Formats are read
 * from the legs for every packet, so a re-INVITE's {@link MediaLeg#setFormat} applies from the next packet.
 *
 * <p>Both legs must share one event loop; the relay is confined to it. {@link #connect}, {@link #onNoMedia} and
 * {@link #close} may be called from any thread and hop onto the loop.
 *
 * <p>The relay takes over the legs' listeners while connected. Their no-media notices go to the handler given to
 * {@link #onNoMedia}, or to the listener each leg had before; {@link #close} gives the legs their listeners back.
 */
public final class MediaRelay {

    private final MediaLeg a;
    private final MediaLeg b;
    private final EventLoop loop;
    private final Direction aToB;
    private final Direction bToA;
    private RtpEndpoint.Listener previousA;
    private RtpEndpoint.Listener previousB;
    private Consumer<MediaLeg> noMediaHandler;
    private boolean closed;

    private long transcoded;
    private long droppedNoFormat;
    private long droppedTelephoneEvent;
    private long droppedUnknownPayloadType;

    private MediaRelay(MediaLeg a, MediaLeg b) {
        this.a = a;
        this.b = b;
        this.loop = a.eventLoop();
        SplittableRandom random = new SplittableRandom();
        this.aToB = new Direction(a, b, RtpRewriter.create(b.localSsrc(), random));
        this.bToA = new Direction(b, a, RtpRewriter.create(a.localSsrc(), random));
    }

    /**
     * Connects {@code a} and {@code b} both ways.
     *
     * @throws IllegalArgumentException if the legs are the same or run on different event loops
     */
    public static MediaRelay connect(MediaLeg a, MediaLeg b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a == b) {
            throw new IllegalArgumentException("cannot relay a leg to itself");
        }
        if (a.eventLoop() != b.eventLoop()) {
            throw new IllegalArgumentException("legs of one relay must share an event loop");
        }
        MediaRelay relay = new MediaRelay(a, b);
        relay.onLoop(relay::attach);
        return relay;
    }

    private void attach() {
        if (closed) {
            return;
        }
        previousA = a.listener();
        previousB = b.listener();
        a.setListener(aToB);
        b.setListener(bToA);
    }

    /** Where no-media notices of either leg go while connected (instead of the legs' previous listeners). */
    public void onNoMedia(Consumer<MediaLeg> handler) {
        onLoop(() -> noMediaHandler = handler);
    }

    /** Disconnects the legs and gives them back their previous listeners. Idempotent; the legs stay open. */
    public void close() {
        onLoop(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (a.listener() == aToB) {
                a.setListener(previousA);
            }
            if (b.listener() == bToA) {
                b.setListener(previousB);
            }
        });
    }

    /** A snapshot of the counters. Off the loop it waits (briefly) for the loop to take it. */
    public MediaRelayStats stats() {
        return LoopSnapshot.take(loop, this::snapshot);
    }

    private MediaRelayStats snapshot() {
        return new MediaRelayStats(aToB.forwarded, bToA.forwarded, transcoded, droppedNoFormat,
                droppedTelephoneEvent, droppedUnknownPayloadType);
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private enum Conversion { NONE, ULAW_TO_ALAW, ALAW_TO_ULAW, UNSUPPORTED }

    /** One direction: packets from {@code from} rewritten and sent on {@code to}. */
    private final class Direction implements RtpEndpoint.Listener {
        private final MediaLeg from;
        private final MediaLeg to;
        private final RtpRewriter rewriter;
        private LegFormat inFormat;
        private LegFormat outFormat;
        /** By received payload type: how its payload becomes the other leg's codec; null when not agreed. */
        private final Conversion[] conversions = new Conversion[128];
        private long forwarded;

        Direction(MediaLeg from, MediaLeg to, RtpRewriter rewriter) {
            this.from = from;
            this.to = to;
            this.rewriter = rewriter;
        }

        @Override
        public void onRtp(RtpEndpoint leg, ByteBuf packet) {
            if (closed) {
                packet.release();
                return;
            }
            LegFormat in = from.format();
            LegFormat out = to.format();
            if (in == null || out == null) {
                droppedNoFormat++;
                packet.release();
                return;
            }
            if (in != inFormat || out != outFormat) {
                remap(in, out);
            }
            int pt = RtpHeader.payloadType(packet);
            Conversion conversion = conversions[pt];
            if (conversion != null) {
                if (conversion == Conversion.UNSUPPORTED) {
                    droppedUnknownPayloadType++;
                    packet.release();
                    return;
                }
                if (conversion != Conversion.NONE) {
                    convert(packet, conversion);
                    transcoded++;
                }
            } else if (pt == in.telephoneEventPt()) {
                if (!out.hasTelephoneEvent()) {
                    droppedTelephoneEvent++;
                    packet.release();
                    return;
                }
            } else {
                droppedUnknownPayloadType++;
                packet.release();
                return;
            }
            rewriter.rewrite(packet, out.clockRate(), from.clock().nanoTime());
            forwarded++;
            to.send(packet);
        }

        @Override
        public void onNoMedia(RtpEndpoint leg) {
            Consumer<MediaLeg> handler = noMediaHandler;
            if (handler != null) {
                handler.accept(from);
                return;
            }
            RtpEndpoint.Listener previous = from == a ? previousA : previousB;
            if (previous != null) {
                previous.onNoMedia(from);
            }
        }

        private void remap(LegFormat in, LegFormat out) {
            inFormat = in;
            outFormat = out;
            rewriter.clearPayloadTypes();
            Arrays.fill(conversions, null);
            rewriter.mapPayloadType(in.payloadType(), out.payloadType());
            conversions[in.payloadType()] = conversion(in.encoding(), in.clockRate(), out);
            // RFC 3264 §6.1: the peer may send any agreed format; each becomes the other leg's one codec
            for (LegFormat.Audio a : in.otherReceived()) {
                conversions[a.payloadType()] = conversion(a.encoding(), a.clockRate(), out);
                rewriter.mapPayloadType(a.payloadType(), out.payloadType());
            }
            if (in.hasTelephoneEvent() && out.hasTelephoneEvent()) {
                rewriter.mapPayloadType(in.telephoneEventPt(), out.telephoneEventPt());
            }
        }
    }

    private static Conversion conversion(String inEncoding, int inClockRate, LegFormat out) {
        if (inEncoding.equalsIgnoreCase(out.encoding()) && inClockRate == out.clockRate()) {
            return Conversion.NONE;
        }
        if (inClockRate == 8000 && out.clockRate() == 8000) {
            if (inEncoding.equalsIgnoreCase("PCMU") && out.encoding().equalsIgnoreCase("PCMA")) {
                return Conversion.ULAW_TO_ALAW;
            }
            if (inEncoding.equalsIgnoreCase("PCMA") && out.encoding().equalsIgnoreCase("PCMU")) {
                return Conversion.ALAW_TO_ULAW;
            }
        }
        return Conversion.UNSUPPORTED;
    }

    /** Converts the G.711 payload (not the padding) in place. */
    private static void convert(ByteBuf packet, Conversion conversion) {
        int start = RtpHeader.payloadOffset(packet);
        int end = start + RtpHeader.payloadLength(packet);
        if (conversion == Conversion.ULAW_TO_ALAW) {
            for (int i = start; i < end; i++) {
                packet.setByte(i, G711.ulawToAlaw(packet.getByte(i)));
            }
        } else {
            for (int i = start; i < end; i++) {
                packet.setByte(i, G711.alawToUlaw(packet.getByte(i)));
            }
        }
    }
}
