package io.warmline.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.warmline.webrtc.sdp.SetupRole;

class DtlsRoleTest {
    @Test
    void roleFollowsOurSetupAttribute() {
        assertEquals(DtlsRole.SERVER, DtlsRole.forLocalSetup(SetupRole.PASSIVE));
        assertEquals(DtlsRole.CLIENT, DtlsRole.forLocalSetup(SetupRole.ACTIVE));
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.forLocalSetup(SetupRole.ACTPASS));
        assertEquals(SetupRole.PASSIVE, DtlsRole.SERVER.setup());
        assertEquals(DtlsRole.SERVER, DtlsRole.forLocalSetup(SetupRole.ACTPASS.answerTo()));
    }
}
