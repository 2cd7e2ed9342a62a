package io.warmline.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.warmline.webrtc.demux.PacketKind;
import io.warmline.webrtc.demux.Rfc7983Demux;
import io.warmline.webrtc.sdp.IceCredentials;
import io.warmline.webrtc.stun.StunDecoder;
import io.warmline.webrtc.stun.StunMessage;
import io.warmline.webrtc.stun.StunParseResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A passive ICE-TCP connection end to end without sockets: a browser's framed checks arrive split across reads, are
 * unframed, demultiplexed and answered, and the framed answer decodes on the browser's side.
 */
class IceTcpPathTest {

    @Test
    void framedChecksOverTcpNominateTheTcpPath() throws Exception {
        IceCredentials local = IceCredentials.random(new SplittableRandom(11));
        IceCredentials remote = IceCredentials.random(new SplittableRandom(12));
        IceLiteAgent agent = new IceLiteAgent(IceLiteOptions.defaults(), new SplittableRandom(13));
        IceLeg leg = agent.addLeg("tcp", local, remote, 0);
        IcePath path = IcePath.tcp(new InetSocketAddress(InetAddress.getByName("::1"), 43210));

        BrowserCheck first = new BrowserCheck(local.ufrag(), remote.ufrag(), local.pwd());
        BrowserCheck second = new BrowserCheck(local.ufrag(), remote.ufrag(), local.pwd()).useCandidate();
        ByteBuf stream = Unpooled.buffer();
        for (byte[] m : List.of(first.bytes(), second.bytes())) {
            stream.writeShort(m.length).writeBytes(m);
        }
        byte[] wire = io.netty.buffer.ByteBufUtil.getBytes(stream);
        stream.release();

        Rfc4571Decoder unframer = new Rfc4571Decoder(ByteBufAllocator.DEFAULT, 1500);
        Rfc4571Decoder browserSide = new Rfc4571Decoder(ByteBufAllocator.DEFAULT, 1500);
        Rfc7983Demux demux = new Rfc7983Demux();
        List<StunMessage> answers = new ArrayList<>();
        int[] cuts = {3, 50, wire.length - 1, wire.length};
        int from = 0;
        for (int cut : cuts) {
            ByteBuf read = Unpooled.wrappedBuffer(wire, from, cut - from);
            from = cut;
            List<ByteBuf> packets = new ArrayList<>();
            assertEquals(Rfc4571Decoder.Result.OK, unframer.decode(read, packets));
            read.release();
            for (ByteBuf packet : packets) {
                try {
                    assertEquals(PacketKind.STUN, demux.classifyAndCount(packet));
                    StunVerdict.Reply reply =
                            assertInstanceOf(StunVerdict.Reply.class, agent.handleStun(packet, path, 0));
                    ByteBuf framed = Rfc4571Encoder.encode(ByteBufAllocator.DEFAULT,
                            Unpooled.wrappedBuffer(reply.message()));
                    List<ByteBuf> back = new ArrayList<>();
                    browserSide.decode(framed, back);
                    framed.release();
                    for (ByteBuf b : back) {
                        StunParseResult r = StunDecoder.decode(b);
                        b.release();
                        answers.add(assertInstanceOf(StunParseResult.Parsed.class, r).message());
                    }
                } finally {
                    packet.release();
                }
            }
        }
        unframer.close();
        browserSide.close();

        assertEquals(2, answers.size());
        for (StunMessage a : answers) {
            assertEquals(StunMessage.BINDING_SUCCESS, a.messageType());
            assertEquals(path.remote(), a.xorMappedAddress());
            assertTrue(a.fingerprintValid());
        }
        assertEquals(new IceEvent.Nominated(leg, path), agent.pollEvent());
        assertEquals(path, leg.sendPath(1));
        assertEquals(2, demux.count(PacketKind.STUN));
    }
}
