package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ViaMaddrTest {

    private static SIPMessage parse(String via) throws Exception {
        String m = "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + via + ";branch=z9hG4bK1\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.9;maddr=second.example;branch=z9hG4bK0\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: c@h\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        return new CheckingMessageParser().parseSIPMessage(m.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    @Test
    void addressesAreRecognisedWithoutALookup() {
        for (String a : new String[] {"192.0.2.1", "0.0.0.0", "255.255.255.255", "224.0.1.75", "[2001:db8::1]",
                "2001:db8::1", "::1"}) {
            assertTrue(ViaMaddr.isAddress(a), a);
        }
        for (String n : new String[] {"localhost", "sip.example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1",
                "1.2.3.4x", "a1.2.3.4", ""}) {
            assertFalse(ViaMaddr.isAddress(n), n);
        }
    }

    @Test
    void aHostNameIsDroppedFromTheTopViaOnly() throws Exception {
        SIPMessage m = parse("192.0.2.1:5060;maddr=slow.example");
        assertNull(m.getTopmostVia().getMAddr());
        assertEquals("192.0.2.1", m.getTopmostVia().getHost());
        assertEquals("z9hG4bK1", m.getTopmostVia().getBranch());
        assertTrue(m.encode().contains("maddr=second.example"), "the second Via is the next hop's, untouched");
    }

    @Test
    void anAddressStays() throws Exception {
        assertEquals("224.0.1.75", parse("192.0.2.1;maddr=224.0.1.75").getTopmostVia().getMAddr());
        assertNull(parse("192.0.2.1").getTopmostVia().getMAddr());
    }
}
