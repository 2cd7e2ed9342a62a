package io.warmline.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Rfc4571DecoderTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /** A STUN-sized packet, a one-byte one, an empty frame (skipped), a 400-byte one and a 2-byte one. */
    private static final List<byte[]> PACKETS = List.of(seq(108, 1), seq(1, 7), new byte[0], seq(400, 3), seq(2, 9));

    @Test
    void splitAtEveryByteBoundaryGivesTheSamePackets() {
        byte[] stream = stream(PACKETS);
        for (int split = 0; split <= stream.length; split++) {
            assertEquals(expected(), feed(stream, split, stream.length), "split at " + split);
        }
    }

    @Test
    void oneByteAtATimeGivesTheSamePackets() {
        byte[] stream = stream(PACKETS);
        Rfc4571Decoder d = new Rfc4571Decoder(ALLOC, 2000);
        List<byte[]> got = new ArrayList<>();
        for (byte b : stream) {
            ByteBuf in = Unpooled.wrappedBuffer(new byte[] {b});
            drain(d, in, got);
        }
        assertEquals(0, d.pendingBytes());
        assertEquals(4, d.frames());
        assertEquals(1, d.emptyFrames());
        assertEquals(expected(), got.stream().map(ByteBufUtil::hexDump).toList());
        d.close();
    }

    @Test
    void aFrameLongerThanTheBoundBreaksTheStream() {
        Rfc4571Decoder d = new Rfc4571Decoder(ALLOC, 1500);
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf in = Unpooled.wrappedBuffer(stream(List.of(seq(10, 0), seq(1501, 0), seq(10, 0))));
        try {
            assertEquals(Rfc4571Decoder.Result.FRAME_TOO_LONG, d.decode(in, out));
            assertEquals(1, out.size(), "the frame before the bad one is delivered");
            int left = in.readableBytes();
            assertEquals(Rfc4571Decoder.Result.FRAME_TOO_LONG, d.decode(in, out));
            assertEquals(left, in.readableBytes(), "nothing more is consumed");
        } finally {
            in.release();
            out.forEach(ByteBuf::release);
            d.close();
        }
    }

    @Test
    void closeReleasesAPartialPacket() {
        Rfc4571Decoder d = new Rfc4571Decoder(ALLOC, 2000);
        byte[] stream = stream(List.of(seq(100, 0)));
        ByteBuf in = Unpooled.wrappedBuffer(stream, 0, 50);
        List<ByteBuf> out = new ArrayList<>();
        assertEquals(Rfc4571Decoder.Result.OK, d.decode(in, out));
        in.release();
        assertTrue(out.isEmpty());
        assertEquals(50, d.pendingBytes());
        d.close();
        assertEquals(0, d.pendingBytes());
    }

    @Test
    void encoderFramesAndReleasesThePacket() {
        ByteBuf packet = Unpooled.wrappedBuffer(seq(300, 4));
        ByteBuf framed = Rfc4571Encoder.encode(ALLOC, packet);
        assertEquals(0, packet.refCnt());
        assertEquals(302, framed.readableBytes());
        assertEquals(300, framed.getUnsignedShort(framed.readerIndex()));
        List<byte[]> got = new ArrayList<>();
        drain(new Rfc4571Decoder(ALLOC, 2000), framed, got);
        assertArrayEquals(seq(300, 4), got.get(0));
        ByteBuf huge = Unpooled.buffer(70_000).writeZero(70_000);
        assertThrows(IllegalArgumentException.class, () -> Rfc4571Encoder.encode(ALLOC, huge));
        assertEquals(0, huge.refCnt());
    }

    private static List<String> feed(byte[] stream, int... cuts) {
        Rfc4571Decoder d = new Rfc4571Decoder(ALLOC, 2000);
        List<byte[]> got = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            // Direct buffers, as a socket read gives them; both retained slices and copies get exercised.
            ByteBuf in = Unpooled.directBuffer(Math.max(1, cut - from)).writeBytes(stream, from, cut - from);
            drain(d, in, got);
            from = cut;
        }
        assertEquals(0, d.pendingBytes());
        d.close();
        return got.stream().map(b -> ByteBufUtil.hexDump(b)).toList();
    }

    /** Decodes {@code in}, keeps copies of the frames, then releases the frames and {@code in}: all must be freed. */
    private static void drain(Rfc4571Decoder d, ByteBuf in, List<byte[]> got) {
        List<ByteBuf> out = new ArrayList<>();
        try {
            assertEquals(Rfc4571Decoder.Result.OK, d.decode(in, out));
            assertEquals(0, in.readableBytes());
        } finally {
            for (ByteBuf frame : out) {
                got.add(ByteBufUtil.getBytes(frame));
                frame.release();
            }
            in.release();
        }
        assertEquals(0, in.refCnt());
        for (ByteBuf frame : out) {
            assertEquals(0, frame.refCnt(), "a frame outlived its release");
        }
    }

    private static List<String> expected() {
        return PACKETS.stream().filter(p -> p.length > 0).map(ByteBufUtil::hexDump).toList();
    }

    private static byte[] stream(List<byte[]> packets) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            s.write(p.length >>> 8);
            s.write(p.length);
            s.writeBytes(p);
        }
        return s.toByteArray();
    }

    private static byte[] seq(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i * 31);
        }
        return b;
    }
}
