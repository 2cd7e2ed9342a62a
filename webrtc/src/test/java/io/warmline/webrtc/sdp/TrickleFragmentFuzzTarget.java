package io.warmline.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.webrtc.BadCandidateException;
import java.nio.charset.StandardCharsets;

/** What must hold for any input: a fragment within the bounds, or a typed refusal; nothing else escapes. */
final class TrickleFragmentFuzzTarget {

    private TrickleFragmentFuzzTarget() {
    }

    static boolean check(byte[] data) {
        String body = new String(data, StandardCharsets.UTF_8);
        TrickleFragment f;
        try {
            f = TrickleFragment.parse(body);
        } catch (BadCandidateException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            assertEquals(400, e.httpStatus());
            return false;
        }
        assertTrue(body.length() <= TrickleFragment.MAX_BYTES);
        assertTrue(f.candidates().size() <= TrickleFragment.MAX_CANDIDATES);
        for (IceCandidate c : f.candidates()) {
            assertEquals(1, c.component());
            assertTrue(c.isUdp() || IceCandidate.TCP.equals(c.transport()));
            c.ipAddress();
            // A candidate written back reads the same.
            assertEquals(c, IceCandidate.parse(c.toString()).orElseThrow());
        }
        if (f.hasCredentials()) {
            f.credentials();
        }
        boolean pwdElsewhere = f.pwd() != null && (f.ufrag() != null && f.ufrag().contains(f.pwd())
                || f.mid() != null && f.mid().contains(f.pwd()));
        if (f.pwd() != null && !pwdElsewhere) {
            assertFalse(f.toString().contains(f.pwd()), "the password is never printed");
        }
        return true;
    }
}
