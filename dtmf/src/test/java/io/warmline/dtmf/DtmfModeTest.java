package io.warmline.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DtmfModeTest {

    @Test
    void effectiveModes() {
        assertEquals(DtmfMode.RFC4733, DtmfMode.AUTO.effective(true));
        assertEquals(DtmfMode.INBAND, DtmfMode.AUTO.effective(false));
        assertEquals(DtmfMode.RFC4733, DtmfMode.RFC4733.effective(true));
        assertThrows(IllegalStateException.class, () -> DtmfMode.RFC4733.effective(false));
        assertEquals(DtmfMode.INBAND, DtmfMode.INBAND.effective(true));
        assertEquals(DtmfMode.INFO, DtmfMode.INFO.effective(false));
    }

    @Test
    void digitTableMatchesRfc4733AndQ23() {
        for (DtmfDigit d : DtmfDigit.values()) {
            assertEquals(d, DtmfDigit.fromEvent(d.event()));
            assertEquals(d, DtmfDigit.fromSymbol(d.symbol()));
        }
        assertEquals(DtmfDigit.STAR, DtmfDigit.fromEvent(10));
        assertEquals(DtmfDigit.POUND, DtmfDigit.fromEvent(11));
        assertEquals(null, DtmfDigit.fromEvent(16));
        assertEquals(null, DtmfDigit.fromSymbol('a'));
        assertEquals(941, DtmfDigit.D0.lowHz());
        assertEquals(1336, DtmfDigit.D0.highHz());
        assertEquals(DtmfDigit.D, DtmfDigit.fromPair(3, 3));
    }
}
