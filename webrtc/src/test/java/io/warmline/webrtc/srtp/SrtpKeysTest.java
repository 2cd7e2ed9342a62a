package io.warmline.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SrtpKeysTest {
    private static byte[] counting(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void splitsExporterOutputAsRfc5764Section4_2LaysItOut() {
        byte[] material = counting(60);
        SrtpKeys client = SrtpKeys.fromKeyingMaterial(SrtpProfile.AES128_CM_HMAC_SHA1_80, true, material);
        SrtpKeys server = SrtpKeys.fromKeyingMaterial(SrtpProfile.AES128_CM_HMAC_SHA1_80, false, material);
        assertArrayEquals(Arrays.copyOfRange(material, 0, 16), client.localMasterKey());
        assertArrayEquals(Arrays.copyOfRange(material, 16, 32), client.remoteMasterKey());
        assertArrayEquals(Arrays.copyOfRange(material, 32, 46), client.localMasterSalt());
        assertArrayEquals(Arrays.copyOfRange(material, 46, 60), client.remoteMasterSalt());
        assertTrue(client.sameAs(server.mirrored()));
        assertFalse(client.sameAs(server));
    }

    @Test
    void gcmProfileUsesTwelveByteSalts() {
        byte[] material = counting(56);
        SrtpKeys server = SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, false, material);
        assertArrayEquals(Arrays.copyOfRange(material, 16, 32), server.localMasterKey());
        assertArrayEquals(Arrays.copyOfRange(material, 44, 56), server.localMasterSalt());
        assertArrayEquals(Arrays.copyOfRange(material, 32, 44), server.remoteMasterSalt());
        assertThrows(IllegalArgumentException.class,
                () -> SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, false, counting(60)));
    }

    @Test
    void neverPrintsKeysAndCanBeWiped() {
        SrtpKeys k = SrtpKeys.fromKeyingMaterial(SrtpProfile.AES128_CM_HMAC_SHA1_80, true, counting(60));
        assertEquals("SrtpKeys[AES128_CM_HMAC_SHA1_80]", k.toString());
        k.destroy();
        assertArrayEquals(new byte[16], k.localMasterKey());
    }

    @Test
    void profileIdsAreTheRegisteredOnes() {
        assertEquals(0x0001, SrtpProfile.AES128_CM_HMAC_SHA1_80.dtlsId());
        assertEquals(0x0007, SrtpProfile.AEAD_AES_128_GCM.dtlsId());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.fromDtlsId(7).orElseThrow());
        assertTrue(SrtpProfile.fromDtlsId(2).isEmpty());
    }
}
