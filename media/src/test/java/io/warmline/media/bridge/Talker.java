package io.warmline.media.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warmline.media.codec.G711;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceEncoder;
import io.warmline.media.rtp.RtpHeader;
import java.util.function.LongToIntFunction;

/** A far end that sends 20 ms RTP packets of a signal in its codec, as a real phone would. */
final class Talker {

    private LegCodec codec;
    private final LongToIntFunction signal;
    private final int pcmRate;
    private short[] pcm;
    private final byte[] payload = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
    private final OpusVoiceEncoder opus;
    final long ssrc;
    int sequence = 1000;
    long timestamp = 12345;
    private long sample;

    /** @param signal sample value at index n of the 8 kHz (G.711) or encoder-rate (Opus) stream */
    Talker(LegCodec codec, long ssrc, LongToIntFunction signal) {
        this.codec = codec;
        this.ssrc = ssrc;
        this.signal = signal;
        this.pcmRate = codec.pcmRate();
        this.pcm = new short[pcmRate / 50];
        this.opus = codec.opus() == null ? null : new OpusVoiceEncoder(codec.opus());
    }

    static Talker tone(LegCodec codec, long ssrc, double hz, double amplitude) {
        int rate = codec.pcmRate();
        return new Talker(codec, ssrc, n -> (int) Math.round(amplitude * Math.sin(2 * Math.PI * hz * n / rate)));
    }

    static OpusConfig opusAt(int rate) {
        return OpusConfig.voice(rate);
    }

    /**
     * Sends the next packets in {@code other}, a codec of the same rates (PCMU ↔ PCMA), on the same timeline: a
     * carrier switching payload type mid-call.
     */
    Talker switchTo(LegCodec other) {
        if (other.clockRate() != codec.clockRate() || other.pcmRate() != pcmRate) {
            throw new IllegalArgumentException("a switch on one timeline needs the same rates");
        }
        codec = other;
        return this;
    }

    /** Sends packets of {@code millis} from now on (G.711 carriers often send 30 ms). */
    Talker packetMillis(int millis) {
        pcm = new short[pcmRate / 1000 * millis];
        return this;
    }

    /** The next packet (20 ms unless {@link #packetMillis} said otherwise). */
    ByteBuf next() {
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) signal.applyAsInt(sample++);
        }
        int length;
        switch (codec.encoding()) {
            case PCMU -> {
                G711.encodeUlaw(pcm, 0, pcm.length, payload, 0);
                length = pcm.length;
            }
            case PCMA -> {
                G711.encodeAlaw(pcm, 0, pcm.length, payload, 0);
                length = pcm.length;
            }
            default -> length = opus.encode(pcm, 0, payload, 0, payload.length);
        }
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(RtpHeader.FIXED_HEADER_LENGTH + length);
        RtpHeader.writeHeader(buf, codec.payloadType(), false, sequence, timestamp, ssrc);
        buf.writeBytes(payload, 0, length);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp += (long) pcm.length * codec.clockRate() / pcmRate;
        return buf;
    }

    /** A packet of another payload type (e.g. telephone-event) at the current sequence number. */
    ByteBuf other(int payloadType, byte[] body) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(RtpHeader.FIXED_HEADER_LENGTH + body.length);
        RtpHeader.writeHeader(buf, payloadType, false, sequence, timestamp, ssrc);
        buf.writeBytes(body);
        sequence = (sequence + 1) & 0xFFFF;
        return buf;
    }
}
