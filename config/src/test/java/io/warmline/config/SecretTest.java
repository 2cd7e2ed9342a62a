package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {

    private static final String TRUNK_PASSWORD = "trunk-pw-9f3a";
    private static final String TLS_PASSWORD = "tls-pw-77c1";

    @Test
    void toStringNeverShowsTheValue() {
        Secret s = Secret.of(TRUNK_PASSWORD);
        assertEquals("****", s.toString());
        assertEquals(TRUNK_PASSWORD, s.reveal());
        assertEquals(Secret.of(TRUNK_PASSWORD), s);
        assertNotEquals(Secret.of("other"), s);
        assertEquals(Secret.of("a").hashCode(), Secret.of("b").hashCode());
    }

    @Test
    void noRecordRevealsAPasswordInToString(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("ks.p12"), new byte[] {1});
        Path file = dir.resolve("w.yaml");
        Files.writeString(file, """
                sip:
                  tls: { keystore: ks.p12, password-env: TLS_PW }
                  listen: [ { transport: tls, address: 127.0.0.1:5061 } ]
                trunks:
                  a:
                    outbound: { address: 192.0.2.1 }
                    auth: { username: u, password-env: TRUNK_PW }
                  b:
                    outbound: { address: 192.0.2.2 }
                    auth: { username: v, password: "%s" }
                """.formatted(TRUNK_PASSWORD + "-literal"), StandardCharsets.UTF_8);
        LoadedConfig loaded = ConfigLoader.load(file, Map.of("TLS_PW", TLS_PASSWORD, "TRUNK_PW", TRUNK_PASSWORD)::get);
        WarmlineConfig c = loaded.config();
        assertEquals(TLS_PASSWORD, c.sip().tls().password().reveal());
        for (Object o : new Object[] {loaded, c, c.sip(), c.sip().tls(), c.trunks(), c.trunks().get("a"),
            c.trunks().get("a").auth(), c.trunks().get("b"), c.trunks().get("b").auth(), loaded.warnings()}) {
            String text = String.valueOf(o);
            assertFalse(text.contains(TRUNK_PASSWORD), text);
            assertFalse(text.contains(TLS_PASSWORD), text);
        }
    }
}
