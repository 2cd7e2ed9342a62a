package io.warmline.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void configFromFlagWinsOverEnvironment() {
        assertEquals(Path.of("a.yaml"), Main.configPath(new String[] {"--config", "a.yaml"}, "b.yaml"));
        assertEquals(Path.of("a.yaml"), Main.configPath(new String[] {"--config=a.yaml"}, null));
    }

    @Test
    void configFromEnvironmentWhenNoFlag() {
        assertEquals(Path.of("b.yaml"), Main.configPath(new String[0], "b.yaml"));
    }

    @Test
    void noConfigMeansDefaults() {
        assertNull(Main.configPath(new String[0], null));
        assertNull(Main.configPath(new String[0], "  "));
    }

    @Test
    void unknownArgumentIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Main.configPath(new String[] {"--confg", "a.yaml"}, null));
        assertEquals("unknown argument '--confg'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Main.configPath(new String[] {"--config"}, null));
    }
}
