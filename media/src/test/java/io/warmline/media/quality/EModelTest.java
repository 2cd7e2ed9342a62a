package io.warmline.media.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EModelTest {

    /** G.107 Annex B worked out at G.109's category boundaries (G.109 rounds R 80 to MOS 4.03; the formula gives 4.024). */
    @ParameterizedTest
    @CsvSource({
        "93.2, 4.41",
        "90, 4.34",
        "80, 4.02",
        "70, 3.60",
        "60, 3.10",
        "50, 2.58",
        "100, 4.50",
        "0, 1.00",
        "-5, 1.00",
        "3, 1.00",
        "120, 4.50"})
    void mosFromR(double r, double mos) {
        assertEquals(mos, EModel.mos(r), 0.005);
    }

    @Test
    void mosRisesWithR() {
        double last = 0;
        for (double r = 0; r <= 100; r += 0.5) {
            double mos = EModel.mos(r);
            assertTrue(mos >= last, "at R " + r);
            last = mos;
        }
    }

    @Test
    void noImpairmentGivesTheDefaultR() {
        assertEquals(93.2, EModel.rFactor(0, CodecImpairment.G711_PLC, 0), 1e-9);
        assertEquals(4.41, EModel.mos(EModel.rFactor(0, CodecImpairment.G711_PLC, 0)), 0.005);
    }

    @ParameterizedTest
    @CsvSource({
        // delay ms, Id = 0.024 d + 0.11 (d - 177.3) above 177.3 ms
        "0, 0",
        "100, 2.4",
        "150, 3.6",
        "177.3, 4.2552",
        "200, 7.297",
        "300, 20.6970",
        "400, 34.097"})
    void delayImpairment(double delay, double id) {
        assertEquals(id, EModel.delayImpairment(delay), 1e-3);
    }

    @ParameterizedTest
    @CsvSource({
        // codec, loss %, BurstR, Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl)
        "G711_PLC, 1, 1, 3.6398",
        "G711_PLC, 2, 1, 7.0111",
        "G711_PLC, 5, 1, 15.7807",
        "G711_NO_PLC, 1, 1, 17.9245",
        "G711_PLC, 2, 2, 7.2797",
        "OPUS, 0, 1, 11",
        "OPUS, 2, 1, 18.6364"})
    void effectiveEquipmentImpairment(String codec, double loss, double burstR, double ieEff) {
        CodecImpairment c = switch (codec) {
            case "G711_PLC" -> CodecImpairment.G711_PLC;
            case "G711_NO_PLC" -> CodecImpairment.G711_NO_PLC;
            default -> CodecImpairment.OPUS;
        };
        assertEquals(ieEff, EModel.effectiveEquipmentImpairment(c, loss, burstR), 1e-3);
    }

    @Test
    void workedCalls() {
        // A good national call: 150 ms one way, 1 % random loss, G.711 with concealment: R 85.96, MOS 4.23.
        double r = EModel.rFactor(150, CodecImpairment.G711_PLC, 1);
        assertEquals(93.2 - 3.6 - 3.6398, r, 1e-3);
        assertEquals(4.23, EModel.mos(r), 0.005);
        // A poor call: 300 ms, 5 % loss: R 56.72, MOS 2.93 ("many users dissatisfied").
        r = EModel.rFactor(300, CodecImpairment.G711_PLC, 5);
        assertEquals(93.2 - 20.697 - 15.7807, r, 1e-3);
        assertEquals(2.93, EModel.mos(r), 0.01);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> EModel.delayImpairment(-1));
        assertThrows(IllegalArgumentException.class, () -> EModel.rFactor(0, CodecImpairment.OPUS, 101));
        assertThrows(IllegalArgumentException.class, () -> EModel.rFactor(0, CodecImpairment.OPUS, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> EModel.mos(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new CodecImpairment("x", -1, 10, 0));
    }
}
