package io.warmline.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The UDP listener reuses one receive buffer: each datagram must be parsed at its own length only. */
class CompactUdpReceiveTest {

    @Test
    void aShortDatagramAfterALongOneIsParsedAtItsOwnLength() throws Exception {
        try (SipService s = new SipService(TestSupport.settings(), List.of(TestSupport.permissive(5060)),
                new TestSupport.Handler("udp-reuse"));
             RawPeer p = new RawPeer("127.0.0.1", 0)) {
            s.start();
            int port = s.localPort("udp");
            String ruri = "sip:x@127.0.0.1:" + port;
            String pad = "X-Pad: " + "a".repeat(8000) + "\r\n";
            for (int i = 1; i <= 3; i++) {
                p.sendTo(port, p.request("OPTIONS", ruri, "long-" + i + "@l", i, pad, null));
                SipMsg longReply = p.awaitFinal("OPTIONS", 3000);
                assertEquals(200, longReply.status());
                assertEquals("long-" + i + "@l", longReply.header("call-id"));

                p.sendTo(port, p.request("OPTIONS", ruri, "short-" + i + "@l", i, null, null));
                SipMsg shortReply = p.awaitFinal("OPTIONS", 3000);
                assertEquals(200, shortReply.status());
                assertEquals("short-" + i + "@l", shortReply.header("call-id"));
            }
        }
    }
}
