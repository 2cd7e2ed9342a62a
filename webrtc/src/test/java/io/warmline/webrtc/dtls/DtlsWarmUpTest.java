package io.warmline.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtlsWarmUpTest {

    @Test
    void completesRealHandshakesAgainstItselfAndReportsEach() throws Exception {
        List<Duration> took = DtlsWarmUp.run(DtlsCertificate.generate(), 3, Duration.ofSeconds(20));
        assertEquals(3, took.size());
        for (Duration d : took) {
            assertTrue(d.compareTo(Duration.ZERO) > 0 && d.compareTo(Duration.ofSeconds(20)) < 0, d.toString());
        }
    }

    @Test
    void aHandshakeThatDoesNotFinishInTimeFailsWithATypedReason() {
        DtlsHandshakeException e = assertThrows(DtlsHandshakeException.class,
                () -> DtlsWarmUp.run(DtlsCertificate.generate(), 1, Duration.ofNanos(1)));
        assertEquals(DtlsFailure.TIMEOUT, e.reason());
    }

    @Test
    void roundsAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> DtlsWarmUp.run(DtlsCertificate.generate(), 0,
                Duration.ofSeconds(1)));
    }
}
