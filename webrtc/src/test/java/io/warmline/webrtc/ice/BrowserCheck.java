package io.warmline.webrtc.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.webrtc.stun.StunMessage;
import io.warmline.webrtc.stun.StunMessageBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** A connectivity check as a controlling full agent (a browser) sends it (RFC 8445 §7.2.2). */
final class BrowserCheck {

    String username;
    String password;
    boolean useCandidate;
    Long controlling = 0x1122334455667788L;
    Long controlled;
    boolean integrity = true;
    boolean fingerprint = true;
    int extraAttribute = -1;
    final byte[] transactionId = new byte[12];

    BrowserCheck(String ourUfrag, String theirUfrag, String ourPassword) {
        this.username = ourUfrag + ":" + theirUfrag;
        this.password = ourPassword;
        ThreadLocalRandom.current().nextBytes(transactionId);
    }

    BrowserCheck useCandidate() {
        useCandidate = true;
        return this;
    }

    byte[] bytes() {
        StunMessageBuilder b = new StunMessageBuilder(StunMessage.BINDING_REQUEST, transactionId);
        if (username != null) {
            b.username(username);
        }
        b.priority(1853824767L);
        if (controlling != null) {
            b.iceControlling(controlling);
        }
        if (controlled != null) {
            b.iceControlled(controlled);
        }
        if (useCandidate) {
            b.useCandidate();
        }
        if (extraAttribute >= 0) {
            b.attribute(extraAttribute, new byte[] {1, 2, 3, 4});
        }
        if (integrity) {
            b.messageIntegrity(password.getBytes(StandardCharsets.UTF_8));
        }
        if (fingerprint) {
            b.fingerprint();
        }
        return b.build();
    }

    ByteBuf buf() {
        return Unpooled.wrappedBuffer(bytes());
    }
}
