package io.warmline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The property shared by the seed-corpus test and the fuzz test: parse or SdpException, nothing else. */
final class SdpFuzzTarget {

    private static final List<String> PREFERENCE = List.of("PCMU", "PCMA");

    private SdpFuzzTarget() {
    }

    /** Returns true when {@code data} parsed; then checks that encoding is stable and offer/answer stays typed. */
    static boolean check(byte[] data) {
        SessionDescription sd;
        try {
            sd = SessionDescription.parse(new String(data, StandardCharsets.UTF_8));
        } catch (SdpException e) {
            assertTrue(e.line() >= 0);
            return false;
        }
        String encoded = sd.encode();
        try {
            SessionDescription again = SessionDescription.parse(encoded);
            assertEquals(encoded, again.encode(), "encoding is stable");
            assertEquals(sd.media().size(), again.media().size());
        } catch (SdpException e) {
            throw new AssertionError("our own encoding does not parse: " + e.getMessage() + "\n" + encoded, e);
        }
        try {
            Negotiated n = OfferAnswer.answer(sd, new SdpOrigin("-", 1, 1), "192.0.2.1", 30000, PREFERENCE);
            assertEquals(sd.media().size(), n.local().media().size());
            SessionDescription.parse(n.local().encode());
        } catch (NoCommonCodecException | SdpException e) {
            // A typed refusal is a valid outcome.
        }
        SessionDescription ours = OfferAnswer.offer(new SdpOrigin("-", 1, 1), "192.0.2.1", 30000, PREFERENCE, true,
                Direction.SENDRECV);
        try {
            OfferAnswer.accept(ours, sd);
        } catch (NoCommonCodecException | SdpException e) {
            // A typed refusal is a valid outcome.
        }
        return true;
    }
}
