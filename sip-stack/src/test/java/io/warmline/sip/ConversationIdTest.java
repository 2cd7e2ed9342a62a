package io.warmline.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConversationIdTest {

    @Test
    void validation() {
        assertThrows(IllegalArgumentException.class, () -> new ConversationId(""));
        assertThrows(IllegalArgumentException.class, () -> new ConversationId("a b"));
        assertThrows(IllegalArgumentException.class, () -> new ConversationId("x".repeat(129)));
        new ConversationId("x".repeat(128));
        new ConversationId("conv-1.a:b_c");
        assertTrue(ConversationId.isValid(ConversationId.generate().value()));
    }

    @Test
    void uuiIsHexOfUtf8() {
        ConversationId id = new ConversationId("abc-1");
        assertEquals("6162632d31", id.toUui());
        assertEquals("6162632d31;encoding=hex;purpose=call-context", id.toUserToUserHeader());
    }

    @Test
    void fromHeadersPrefersValidXHeader() {
        assertEquals(Optional.of(new ConversationId("c1")), ConversationId.fromHeaders("c1", "6332;encoding=hex"));
        assertEquals(Optional.of(new ConversationId("c2")), ConversationId.fromHeaders("bad value!", "6332;encoding=hex"));
        assertEquals(Optional.of(new ConversationId("c2")),
                ConversationId.fromHeaders(null, "6332;encoding=hex;purpose=call-context"));
        assertEquals(Optional.of(new ConversationId("c2")), ConversationId.fromHeaders(null, "6332 ; ENCODING=HEX"));
    }

    @Test
    void fromHeadersRejectsWhatItCannotTrust() {
        assertEquals(Optional.empty(), ConversationId.fromHeaders(null, null));
        assertEquals(Optional.empty(), ConversationId.fromHeaders(null, "6332"), "no encoding=hex");
        assertEquals(Optional.empty(), ConversationId.fromHeaders(null, "633;encoding=hex"), "odd length");
        assertEquals(Optional.empty(), ConversationId.fromHeaders(null, "zz;encoding=hex"));
        assertEquals(Optional.empty(), ConversationId.fromHeaders(null, "2020;encoding=hex"), "decodes to spaces");
        assertEquals(Optional.empty(), ConversationId.fromHeaders(null, "ff;encoding=hex"), "not UTF-8");
        assertEquals(Optional.empty(), ConversationId.fromHeaders(null, "6332;encoding=hex;purpose=isdn-uui"));
    }

    @Test
    void roundTrip() {
        ConversationId id = ConversationId.generate();
        assertEquals(Optional.of(id), ConversationId.fromHeaders(null, id.toUserToUserHeader()));
    }
}
