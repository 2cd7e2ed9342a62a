package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final Function<String, String> ENV = Map.of(
            "CARRIER_A_PASSWORD", "s3cret-carrier",
            "WARMLINE_TLS_PASSWORD", "s3cret-tls")::get;

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private Path fullFile() throws IOException {
        Files.write(dir.resolve("keystore.p12"), new byte[] {0x30});
        try (InputStream in = getClass().getResourceAsStream("full.yaml")) {
            return write("full.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private ConfigException failing(String yaml) throws IOException {
        Path file = write("bad.yaml", yaml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, ENV));
    }

    private static void assertError(ConfigException e, int line, int column, String path, String messagePart) {
        for (ConfigError err : e.errors()) {
            if (err.line() == line && err.column() == column && err.path().equals(path)
                    && err.message().contains(messagePart)) {
                return;
            }
        }
        throw new AssertionError("no error " + line + ":" + column + " " + path + " containing '" + messagePart
                + "' in:\n" + e.getMessage());
    }

    @Test
    void fullFileBindsToTheExpectedRecords() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(fullFile(), ENV);
        assertEquals(List.of(), loaded.warnings());
        WarmlineConfig c = loaded.config();

        assertEquals(new NodeConfig("203.0.113.5", Duration.ofSeconds(45)), c.node());
        assertEquals(new SipConfig(
                List.of(new ListenPoint(Transport.UDP, new HostPort("127.0.0.1", 5060)),
                        new ListenPoint(Transport.TCP, new HostPort("::1", 5062)),
                        new ListenPoint(Transport.TLS, new HostPort("127.0.0.1", 5061))),
                new TlsConfig(dir.resolve("keystore.p12").toAbsolutePath().normalize(), Secret.of("s3cret-tls")),
                32768, Duration.ofMinutes(30), Duration.ofSeconds(120), 500), c.sip());
        assertEquals(new HttpConfig(new HostPort("127.0.0.1", 8081)), c.http());
        assertEquals(new MediaConfig(30000, 30999, Duration.ofMinutes(1), Duration.ofMillis(500)), c.media());

        assertEquals(List.of("carrier-a", "pbx"), List.copyOf(c.trunks().keySet()));
        TrunkConfig a = c.trunks().get("carrier-a");
        assertEquals(new TrunkConfig("carrier-a", new HostPort("sip.carrier.example", 5060), Transport.TCP,
                new HostPort("198.51.100.1", 5070),
                new DigestCredentials("acct123", Secret.of("s3cret-carrier"), "carrier.example"),
                "+15551230000", List.of("PCMA", "PCMU"), Duration.ofMinutes(2),
                List.of(Cidr.parse("203.0.113.0/24"), Cidr.parse("2001:db8::/32"), Cidr.parse("127.0.0.1/32")),
                List.of(new NumberPattern("+15551230000"), new NumberPattern("+1555123*")),
                Map.of("X-Account", "abc", "P-Billing-Id", "42")), a);
        assertEquals(List.of("X-Account", "P-Billing-Id"), List.copyOf(a.headers().keySet()));

        TrunkConfig pbx = c.trunks().get("pbx");
        assertEquals(new TrunkConfig("pbx", new HostPort("2001:db8::10", 5080), Transport.UDP, null, null, null,
                List.of("PCMU", "PCMA"), Duration.ofSeconds(60), List.of(), List.of(), Map.of()), pbx);

        assertEquals(Map.of("support", new TargetConfig("support", "carrier-a", "+15559870000"),
                "sales", new TargetConfig("sales", "pbx", "2001")), c.targets());
        assertEquals(List.of(new InboundRoute(new NumberPattern("+15551230000"), "support"),
                new InboundRoute(new NumberPattern("+1555123*"), "sales")), c.routes());
        assertEquals("support", c.routeFor("+15551230000").target());
        assertEquals("sales", c.routeFor("+15551239999").target());
        assertNull(c.routeFor("+4930123"));
    }

    @Test
    void loadedCollectionsAreImmutable() throws Exception {
        WarmlineConfig c = ConfigLoader.load(fullFile(), ENV).config();
        assertThrows(UnsupportedOperationException.class, () -> c.trunks().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.routes().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.trunks().get("carrier-a").headers().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.sip().listen().clear());
    }

    @Test
    void noFileGivesTheDefaults() {
        WarmlineConfig c = ConfigLoader.defaults();
        assertEquals(new NodeConfig("127.0.0.1", Duration.ofSeconds(30)), c.node());
        assertEquals(new SipConfig(
                List.of(new ListenPoint(Transport.UDP, new HostPort("127.0.0.1", 5060)),
                        new ListenPoint(Transport.TCP, new HostPort("127.0.0.1", 5060))),
                null, 65536, Duration.ofSeconds(1800), Duration.ofSeconds(90), 2000), c.sip());
        assertEquals(new HttpConfig(new HostPort("127.0.0.1", 8080)), c.http());
        assertEquals(new MediaConfig(20000, 29999, Duration.ofSeconds(30), Duration.ofSeconds(2)), c.media());
        assertTrue(c.trunks().isEmpty());
        assertTrue(c.targets().isEmpty());
        assertTrue(c.routes().isEmpty());
    }

    @Test
    void emptyFileAndCommentOnlyFileGiveTheDefaults() throws Exception {
        assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write("empty.yaml", ""), ENV).config());
        assertEquals(ConfigLoader.defaults(), ConfigLoader.load(write("c.yaml", "# nothing\n"), ENV).config());
    }

    @Test
    void aFileNeedsOnlyTheKeysItChanges() throws Exception {
        WarmlineConfig c = ConfigLoader.load(write("small.yaml", "sip:\n  max-calls: 10\n"), ENV).config();
        WarmlineConfig d = ConfigLoader.defaults();
        assertEquals(10, c.sip().maxCalls());
        assertEquals(d.sip().listen(), c.sip().listen());
        assertEquals(d.media(), c.media());
        assertEquals(d.node(), c.node());
    }

    @Test
    void sippExampleLoadsWithoutErrors() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(Path.of("../sipp/warmline-example.yaml"), name -> null);
        assertEquals(List.of(), loaded.warnings());
        WarmlineConfig c = loaded.config();
        TrunkConfig carrier = c.trunks().get("carrier");
        assertEquals(new HostPort("127.0.0.1", 5080), carrier.outboundAddress());
        assertTrue(carrier.allows(InetAddress.getByName("127.0.0.1")));
        assertFalse(carrier.allows(InetAddress.getByName("127.0.0.2")));
        assertTrue(carrier.mayCall("1000"));
        assertEquals(new TargetConfig("support", "carrier", "2000"), c.targets().get("support"));
        assertEquals("support", c.routeFor("1000").target());
        assertEquals("127.0.0.1", c.node().advertisedAddress());
    }

    @Test
    void reportsEveryMistakeAtOnceWithLocationAndPath() throws Exception {
        String yaml = """
                node:
                  drain-time: 30 seconds
                  advertised-adress: 203.0.113.5
                sip:
                  listen:
                    - { transport: udp, address: 127.0.0.1:70000 }
                  max-calls: lots
                  max-calls: 5
                media:
                  rtp-ports: 20000-29999
                  colour: blue
                trunks:
                  carrier-a:
                    outbound:
                      adress: sip.carrier.example
                    auth:
                      username: acct
                      password-env: MISSING_PASSWORD
                    inbound:
                      allow: [203.0.113.0/33]
                targets:
                  support:
                    trunk: carrier-b
                    number: "2000"
                routes:
                  - number: "1000*"
                    target: sales
                """;
        ConfigException e = failing(yaml);
        assertError(e, 2, 15, "node.drain-time", "expected a duration such as 500ms, 30s, 2m or 1h");
        assertError(e, 3, 3, "node.advertised-adress", "did you mean \"advertised-address\"");
        assertError(e, 6, 34, "sip.listen[0].address", "port 70000 is out of range 1..65535");
        assertError(e, 7, 14, "sip.max-calls", "expected an integer 1..100000, got \"lots\"");
        assertError(e, 8, 3, "sip.max-calls", "duplicate key \"max-calls\" (first at line 7)");
        assertError(e, 11, 3, "media.colour", "unknown key \"colour\"");
        assertError(e, 14, 5, "trunks.carrier-a.outbound.address", "missing required key \"address\"");
        assertError(e, 15, 7, "trunks.carrier-a.outbound.adress", "did you mean \"address\"");
        assertError(e, 18, 21, "trunks.carrier-a.auth.password-env", "environment variable MISSING_PASSWORD is not set");
        assertError(e, 20, 15, "trunks.carrier-a.inbound.allow[0]", "prefix length 33 is out of range 0..32");
        assertError(e, 23, 12, "targets.support.trunk", "no trunk named \"carrier-b\" (trunks: carrier-a)");
        assertError(e, 27, 13, "routes[0].target", "no target named \"sales\" (targets: support)");
        assertEquals(12, e.errors().size(), e.getMessage());
        String[] lines = e.getMessage().split("\n");
        assertEquals(12, lines.length);
        assertTrue(lines[0].startsWith(dir.resolve("bad.yaml") + ":2:15: node.drain-time: "), lines[0]);
    }

    @Test
    void wrongTypesAreErrors() throws Exception {
        ConfigException e = failing("""
                sip:
                  listen: 127.0.0.1:5060
                  session-expires: 1800
                media: [1, 2]
                trunks:
                  t1:
                    codecs: PCMU
                    outbound: { address: [a] }
                """);
        assertError(e, 2, 11, "sip.listen", "expected a list, got a string");
        assertError(e, 3, 20, "sip.session-expires", "expected a duration such as 500ms, 30s, 2m or 1h, got \"1800\"");
        assertError(e, 4, 8, "media", "expected a map, got a list");
        assertError(e, 7, 13, "trunks.t1.codecs", "expected a list, got a string");
        assertError(e, 8, 26, "trunks.t1.outbound.address", "expected a text value, got a list");
        assertEquals(5, e.errors().size(), e.getMessage());
    }

    @Test
    void sectionsOfTheWrongTypeAreReportedOnce() throws Exception {
        ConfigException e = failing("""
                sip: 5
                trunks:
                  t:
                    outbound: udp
                    auth: yes
                  u: [1]
                targets: { s: x }
                routes: [ "1000*" ]
                """);
        assertError(e, 1, 6, "sip", "expected a map, got an integer");
        assertError(e, 4, 15, "trunks.t.outbound", "expected a map, got a string");
        assertError(e, 5, 11, "trunks.t.auth", "expected a map, got a boolean");
        assertError(e, 6, 6, "trunks.u", "expected a map, got a list");
        assertError(e, 7, 15, "targets.s", "expected a map, got a string");
        assertError(e, 8, 11, "routes[0]", "expected a map, got a string");
        assertEquals(6, e.errors().size(), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRefusedNotReplaced() throws Exception {
        ConfigException e = failing("""
                node: { drain-time: 2h }
                sip: { max-message-size: 512, session-expires: 60s, min-se: 90500ms, max-calls: 0 }
                media: { rtp-ports: 20001-29999, no-media-timeout: 0s, latch-window: 31s }
                """);
        assertError(e, 1, 21, "node.drain-time", "must be 0s..1h, got 2h");
        assertError(e, 2, 26, "sip.max-message-size", "must be 1024..1048576, got 512");
        assertError(e, 2, 48, "sip.session-expires", "must be 90s..24h, got 1m");
        assertError(e, 2, 61, "sip.min-se", "must be a whole number of seconds");
        assertError(e, 2, 81, "sip.max-calls", "must be 1..100000, got 0");
        assertError(e, 3, 21, "media.rtp-ports", "must start on an even port");
        assertError(e, 3, 52, "media.no-media-timeout", "must be 1s..1h, got 0s");
        assertError(e, 3, 70, "media.latch-window", "must be 100ms..30s, got 30s".replace("got 30s", "got 31s"));
        assertEquals(8, e.errors().size(), e.getMessage());
    }

    @Test
    void sessionExpiresBelowMinSeIsAnError() throws Exception {
        ConfigException e = failing("sip:\n  session-expires: 100s\n  min-se: 120s\n");
        assertError(e, 2, 20, "sip.session-expires", "must not be below min-se");
    }

    @Test
    void rtpPortRangeChecks() throws Exception {
        assertError(failing("media: { rtp-ports: 20000-20002 }"), 1, 21, "media.rtp-ports", "at least 4 ports");
        assertError(failing("media: { rtp-ports: 1000-2000 }"), 1, 21, "media.rtp-ports", "within 1024..65535");
        assertError(failing("media: { rtp-ports: 60000-70000 }"), 1, 21, "media.rtp-ports", "within 1024..65535");
        assertError(failing("media: { rtp-ports: 20000 }"), 1, 21, "media.rtp-ports", "expected a port range");
        WarmlineConfig c = ConfigLoader.load(write("ok.yaml", "media: { rtp-ports: 20000-20003 }"), ENV).config();
        assertEquals(20000, c.media().rtpPortMin());
        assertEquals(20003, c.media().rtpPortMax());
    }

    @Test
    void realtimePriorityIsOffByDefaultAndBindsOneTo99() throws Exception {
        assertEquals(0, ConfigLoader.defaults().media().realtimePriority());
        assertEquals(0, ConfigLoader.load(write("none.yaml", "media: { latch-window: 2s }"), ENV).config().media()
                .realtimePriority());
        assertEquals(10, ConfigLoader.load(write("rt.yaml", "media: { realtime-priority: 10 }"), ENV).config().media()
                .realtimePriority());
        assertEquals(99, ConfigLoader.load(write("rt.yaml", "media:\n  realtime-priority: 99\n"), ENV).config().media()
                .realtimePriority());
    }

    @Test
    void mediaWarmUpIsOnByDefaultAndBindsZeroToMax() throws Exception {
        assertEquals(MediaConfig.DEFAULT_WARM_UP_SECONDS, ConfigLoader.defaults().media().warmUpSeconds());
        assertTrue(MediaConfig.DEFAULT_WARM_UP_SECONDS > 0);
        assertEquals(MediaConfig.DEFAULT_WARM_UP_SECONDS, ConfigLoader.load(write("none.yaml",
                "media: { latch-window: 2s }"), ENV).config().media().warmUpSeconds());
        assertEquals(0, ConfigLoader.load(write("off.yaml", "media: { warm-up-seconds: 0 }"), ENV).config().media()
                .warmUpSeconds());
        assertEquals(MediaConfig.MAX_WARM_UP_SECONDS, ConfigLoader.load(write("max.yaml",
                "media:\n  warm-up-seconds: " + MediaConfig.MAX_WARM_UP_SECONDS + "\n"), ENV).config().media()
                .warmUpSeconds());
    }

    @Test
    void badWarmUpSecondsAreRefusedWithTheirLocation() throws Exception {
        assertError(failing("media: { warm-up-seconds: 121 }"), 1, 27, "media.warm-up-seconds",
                "must be 0..120, got 121");
        assertError(failing("media: { warm-up-seconds: -1 }"), 1, 27, "media.warm-up-seconds",
                "must be 0..120, got -1");
        assertError(failing("media:\n  rtp-ports: 20000-29999\n  warm-up-seconds: 10s\n"), 3, 20,
                "media.warm-up-seconds", "expected an integer 0..120, got");
    }

    @Test
    void mediaTransportIsAutoByDefaultAndKeepsWhereItWasSet() throws Exception {
        assertEquals(MediaTransportMode.AUTO, ConfigLoader.defaults().media().transport());
        assertNull(ConfigLoader.defaults().media().transportAt());
        MediaConfig m = ConfigLoader.load(write("tr.yaml", "media:\n  rtp-ports: 20000-29999\n  transport: epoll\n"),
                ENV).config().media();
        assertEquals(MediaTransportMode.EPOLL, m.transport());
        assertEquals(3, m.transportAt().line());
        assertEquals(14, m.transportAt().column());
        assertEquals("media.transport", m.transportAt().path());
        assertTrue(m.transportAt().file().endsWith("tr.yaml"));
        assertEquals(MediaTransportMode.NIO, ConfigLoader.load(write("tr.yaml", "media: { transport: nio }"), ENV)
                .config().media().transport());
        assertEquals(MediaTransportMode.AUTO, ConfigLoader.load(write("tr.yaml", "media: { transport: auto }"), ENV)
                .config().media().transport());
        assertError(failing("media: { transport: io_uring }"), 1, 21, "media.transport",
                "expected one of auto, epoll, nio");
    }

    @Test
    void badRealtimePrioritiesAreRefusedWithTheirLocation() throws Exception {
        assertError(failing("media: { realtime-priority: 100 }"), 1, 29, "media.realtime-priority",
                "must be 0..99, got 100");
        assertError(failing("media: { realtime-priority: -1 }"), 1, 29, "media.realtime-priority",
                "must be 0..99, got -1");
        assertError(failing("media:\n  rtp-ports: 20000-29999\n  realtime-priority: high\n"), 3, 22,
                "media.realtime-priority", "expected an integer 0..99, got");
        assertError(failing("media: { realtime-priority: 1.5 }"), 1, 29, "media.realtime-priority",
                "expected an integer 0..99");
        assertError(failing("media: { realtime-priority: true }"), 1, 29, "media.realtime-priority",
                "expected an integer 0..99");
        assertError(failing("media: { realtime-priorty: 10 }"), 1, 10, "media.realtime-priorty", "unknown key");
    }

    @Test
    void callLoopsDefaultToOnePerProcessorAndBindOneTo256() throws Exception {
        assertEquals(0, ConfigLoader.defaults().media().callLoops());
        assertEquals(Runtime.getRuntime().availableProcessors(),
                ConfigLoader.defaults().media().effectiveCallLoops());
        var three = ConfigLoader.load(write("loops.yaml", "media: { call-loops: 3 }"), ENV).config().media();
        assertEquals(3, three.callLoops());
        assertEquals(3, three.effectiveCallLoops());
        assertEquals(256, ConfigLoader.load(write("loops.yaml", "media:\n  call-loops: 256\n"), ENV).config().media()
                .effectiveCallLoops());
    }

    @Test
    void badCallLoopCountsAreRefusedWithTheirLocation() throws Exception {
        assertError(failing("media: { call-loops: 257 }"), 1, 22, "media.call-loops", "must be 0..256, got 257");
        assertError(failing("media: { call-loops: -2 }"), 1, 22, "media.call-loops", "must be 0..256, got -2");
        assertError(failing("media:\n  latch-window: 2s\n  call-loops: many\n"), 3, 15, "media.call-loops",
                "expected an integer 0..256, got");
    }

    @Test
    void literalPasswordIsAllowedWithAWarningThatHidesIt() throws Exception {
        Path file = write("lit.yaml", """
                trunks:
                  c:
                    outbound: { address: 192.0.2.1 }
                    auth: { username: u, password: "hunter2-literal" }
                """);
        LoadedConfig loaded = ConfigLoader.load(file, ENV);
        assertEquals("hunter2-literal", loaded.config().trunks().get("c").auth().password().reveal());
        assertEquals(1, loaded.warnings().size());
        String warning = loaded.warnings().get(0);
        assertTrue(warning.startsWith(file + ":4:36: trunks.c.auth.password: "), warning);
        assertFalse(warning.contains("hunter2"), warning);
        assertFalse(loaded.config().toString().contains("hunter2"), loaded.config().toString());
    }

    @Test
    void secretsNeedExactlyOneSource() throws Exception {
        ConfigException both = failing("""
                trunks:
                  c:
                    outbound: { address: 192.0.2.1 }
                    auth: { username: u, password-env: CARRIER_A_PASSWORD, password: "topsecret" }
                """);
        assertError(both, 4, 70, "trunks.c.auth.password", "either password-env or password, not both");
        assertFalse(both.getMessage().contains("topsecret"));
        ConfigException none = failing("""
                trunks:
                  c:
                    outbound: { address: 192.0.2.1 }
                    auth: { username: u }
                """);
        assertError(none, 4, 5, "trunks.c.auth.password-env", "missing");
        ConfigException empty = failing("""
                trunks:
                  c:
                    outbound: { address: 192.0.2.1 }
                    auth: { username: u, password-env: EMPTY }
                """.replace("EMPTY", "EMPTY_ONE"));
        assertError(empty, 4, 40, "trunks.c.auth.password-env", "EMPTY_ONE is not set");
        Path file = write("e.yaml", "trunks:\n  c:\n    outbound: { address: 192.0.2.1 }\n"
                + "    auth: { username: u, password-env: BLANK }\n");
        ConfigException blank = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of("BLANK", "")::get));
        assertError(blank, 4, 40, "trunks.c.auth.password-env", "BLANK is empty");
        ConfigException pasted = failing("""
                trunks:
                  c:
                    outbound: { address: 192.0.2.1 }
                    auth: { username: u, password-env: "pa$$ word" }
                """);
        assertError(pasted, 4, 40, "trunks.c.auth.password-env", "expected an environment variable name");
        assertFalse(pasted.getMessage().contains("pa$$"), pasted.getMessage());
    }

    @Test
    void tlsNeedsAnExistingKeystoreAndTheTlsSection() throws Exception {
        ConfigException e = failing("""
                sip:
                  listen:
                    - { transport: tls, address: 127.0.0.1:5061 }
                """);
        assertError(e, 3, 7, "sip.listen[0]", "needs sip.tls");
        ConfigException missing = failing("""
                sip:
                  tls: { keystore: nowhere.p12, password-env: WARMLINE_TLS_PASSWORD }
                """);
        assertError(missing, 2, 20, "sip.tls.keystore", "does not exist");
    }

    @Test
    void advertisedAddressIsRequiredBehindAWildcardListen() throws Exception {
        ConfigException e = failing("""
                sip:
                  listen:
                    - { transport: udp, address: 0.0.0.0:5060 }
                """);
        assertError(e, 2, 3, "node.advertised-address", "set it to the address");
        WarmlineConfig c = ConfigLoader.load(write("ok.yaml", """
                node: { advertised-address: "2001:db8::5" }
                sip:
                  listen:
                    - { transport: udp, address: "[::]:5060" }
                """), ENV).config();
        assertEquals("2001:db8::5", c.node().advertisedAddress());
        assertError(failing("node: { advertised-address: 0.0.0.0 }"), 1, 29, "node.advertised-address",
                "not the wildcard");
        assertError(failing("node: { advertised-address: 1.2.3.4:5060 }"), 1, 29, "node.advertised-address",
                "without a port");
    }

    @Test
    void listenPointsMustBeDistinct() throws Exception {
        ConfigException e = failing("""
                sip:
                  listen:
                    - { transport: udp, address: 127.0.0.1:5060 }
                    - { transport: udp, address: 127.0.0.1 }
                """);
        assertError(e, 4, 7, "sip.listen[1]", "listed twice");
        assertError(failing("sip: { listen: [] }"), 1, 16, "sip.listen", "expected 1..16 items, got 0");
    }

    @Test
    void trunkChecks() throws Exception {
        ConfigException e = failing("""
                trunks:
                  Carrier_A:
                    outbound: { address: 192.0.2.1 }
                  b:
                    outbound: { address: "::1", transport: sctp, proxy: "999.1.1.1" }
                    caller-id: "555-1234"
                    codecs: [PCMU, G729, PCMU]
                    ring-timeout: 11m
                    inbound:
                      numbers: ["12*3"]
                      allow: [192.0.2.1/24]
                    headers: { Via: x, "Bad Header": y, X-A: "1", x-a: "2", Content-Type: z, X-Empty: }
                """);
        assertError(e, 2, 3, "trunks.Carrier_A", "a name must be 1..64 of a-z, 0-9 and '-'");
        assertError(e, 5, 26, "trunks.b.outbound.address", "needs brackets");
        assertError(e, 5, 44, "trunks.b.outbound.transport", "expected one of udp, tcp, tls, got \"sctp\"");
        assertError(e, 5, 57, "trunks.b.outbound.proxy", "not a valid IPv4 address");
        assertError(e, 6, 16, "trunks.b.caller-id", "digits with an optional leading '+'");
        assertError(e, 7, 20, "trunks.b.codecs[1]", "expected one of PCMU, PCMA, opus (any case), got \"G729\"");
        assertError(e, 8, 19, "trunks.b.ring-timeout", "must be 1s..10m, got 11m");
        assertError(e, 10, 17, "trunks.b.inbound.numbers[0]", "expected a number");
        assertError(e, 11, 15, "trunks.b.inbound.allow[0]", "write the network address, e.g. 192.0.2.0/24");
        assertError(e, 12, 16, "trunks.b.headers.Via", "set by Warmline");
        assertError(e, 12, 24, "trunks.b.headers.\"Bad Header\"", "SIP token");
        assertError(e, 12, 51, "trunks.b.headers.x-a", "given twice");
        assertError(e, 12, 61, "trunks.b.headers.Content-Type", "set by Warmline");
        assertError(e, 12, 78, "trunks.b.headers.X-Empty", "needs a value");
        assertEquals(14, e.errors().size(), e.getMessage());
        assertError(failing("trunks: { t: { outbound: { address: 192.0.2.1 }, codecs: [PCMU, PCMU] } }"),
                1, 65, "trunks.t.codecs[1]", "listed twice");
    }

    @Test
    void routesThatCanNeverMatchAreErrors() throws Exception {
        ConfigException e = failing("""
                trunks: { t: { outbound: { address: 192.0.2.1 } } }
                targets: { s: { trunk: t, number: "1" } }
                routes:
                  - { number: "1000*", target: s }
                  - { number: "10001", target: s }
                  - { number: "2*", target: s }
                """);
        assertError(e, 5, 15, "routes[1].number", "never used: the route for 1000* at line 4");
        assertEquals(1, e.errors().size(), e.getMessage());
    }

    @Test
    void syntaxErrorHasALocation() throws Exception {
        ConfigException e = failing("sip:\n  listen: [ { transport: udp\nhttp: {\n");
        assertEquals(1, e.errors().size(), e.getMessage());
        ConfigError err = e.errors().get(0);
        assertTrue(err.message().startsWith("not valid YAML"), err.message());
        assertTrue(err.line() >= 2, e.getMessage());
        ConfigException tab = failing("sip:\n\tmax-calls: 3\n");
        assertEquals(2, tab.errors().get(0).line(), tab.getMessage());
    }

    @Test
    void syntaxErrorDoesNotQuoteTheFile() throws Exception {
        ConfigException e = failing("trunks:\n  c:\n    auth: { password: \"hunter2\n");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void rootMustBeAMapAndOneDocument() throws Exception {
        assertError(failing("- a\n- b\n"), 1, 1, "", "expected a map, got a list");
        assertError(failing("sip: {}\n---\nhttp: {}\n"), 3, 1, "", "a second YAML document");
    }

    @Test
    void aliasesAreRefused() throws Exception {
        ConfigException e = failing("""
                targets:
                  a: &t { trunk: x, number: "1" }
                  b: *t
                """);
        assertError(e, 3, 6, "targets.b", "aliases");
    }

    @Test
    void hugeFileIsRefusedBeforeParsing() throws Exception {
        byte[] big = new byte[ConfigLoader.MAX_FILE_BYTES + 1];
        java.util.Arrays.fill(big, (byte) '#');
        Path file = dir.resolve("huge.yaml");
        Files.write(file, big);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, ENV));
        assertError(e, 1, 1, "", "larger than 1048576 bytes");
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        ConfigException e = failing(deep);
        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.getMessage().contains("nested deeper") || e.getMessage().contains("not valid YAML"),
                e.getMessage());
    }

    @Test
    void invalidUtf8IsRefusedWithItsPosition() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'s', 'i', 'p', ':', '\n', ' ', ' ', 'x', ':', ' ', (byte) 0xe9, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, ENV));
        assertError(e, 2, 6, "", "not valid UTF-8");
    }

    @Test
    void missingFileIsAConfigException() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("absent.yaml"), ENV));
        assertError(e, 1, 1, "", "cannot read the file");
    }

    private static final String TRUNK = """
            trunks:
              carrier: { outbound: { address: 192.0.2.1 } }
            """;

    @Test
    void targetDtmfBindsFromAStringAndFromAList() throws Exception {
        Path file = write("dtmf.yaml", TRUNK + """
                targets:
                  support: { trunk: carrier, number: "2000", dtmf: "p 1 w {duration=200ms}2 #" }
                  sales:
                    trunk: carrier
                    number: "2001"
                    dtmf:
                      - "p 1"
                      - "p{silence=800ms,timeout=20s,fallback=fail} 3#"
                  plain: { trunk: carrier, number: "2002" }
                """);
        WarmlineConfig c = ConfigLoader.load(file, ENV).config();
        assertEquals(new TargetConfig("support", "carrier", "2000",
                io.warmline.dtmf.sequence.DtmfSequence.parse("p 1 w {duration=200ms}2 #")), c.targets().get("support"));
        assertEquals(io.warmline.dtmf.sequence.DtmfSequence.parse(
                List.of("p 1", "p{silence=800ms,timeout=20s,fallback=fail} 3#"),
                io.warmline.dtmf.sequence.SequenceDefaults.STANDARD), c.targets().get("sales").dtmf());
        assertNull(c.targets().get("plain").dtmf());
    }

    @Test
    void targetCodecsAreCaseInsensitiveAndDefaultToTheTrunks() throws Exception {
        Path file = write("codecs.yaml", """
                trunks:
                  carrier: { outbound: { address: 192.0.2.1 }, codecs: [pcma, Opus] }
                targets:
                  support: { trunk: carrier, number: "2000", codecs: [opus, pcmu, PCMA] }
                  plain: { trunk: carrier, number: "2001" }
                """);
        WarmlineConfig c = ConfigLoader.load(file, ENV).config();
        assertEquals(List.of("opus", "PCMU", "PCMA"), c.targets().get("support").codecs());
        assertNull(c.targets().get("plain").codecs(), "the trunk's list applies");
        assertEquals(List.of("PCMA", "opus"), c.trunks().get("carrier").codecs());
    }

    @Test
    void badTargetCodecsAreReportedAtTheItem() throws Exception {
        ConfigException e = failing(TRUNK + """
                targets:
                  a: { trunk: carrier, number: "2000", codecs: [opus, g722] }
                  b: { trunk: carrier, number: "2001", codecs: [OPUS, opus] }
                  c: { trunk: carrier, number: "2002", codecs: [] }
                """);
        assertError(e, 4, 55, "targets.a.codecs[1]", "expected one of PCMU, PCMA, opus (any case), got \"g722\"");
        assertError(e, 5, 55, "targets.b.codecs[1]", "listed twice");
        assertError(e, 6, 48, "targets.c.codecs", "expected 1..6 items, got 0");
        assertEquals(3, e.errors().size(), e.getMessage());
    }

    @Test
    void badDtmfIsReportedWithPathAndPositionTogetherWithOtherErrors() throws Exception {
        ConfigException e = failing(TRUNK + """
                targets:
                  support: { trunk: carrier, number: "2000", dtmf: "1 2 x" }
                  sales:
                    trunk: carrier
                    number: "2001x"
                    dtmf:
                      - "p 1"
                      - "2"
                      - "3 {gap=1ms}4"
                  empty: { trunk: carrier, number: "2002", dtmf: [] }
                  wrong: { trunk: carrier, number: "2003", dtmf: { a: 1 } }
                """);
        assertError(e, 4, 52, "targets.support.dtmf", "bad DTMF sequence: position 5: unexpected 'x'");
        assertError(e, 7, 13, "targets.sales.number", "expected a number to dial");
        assertError(e, 11, 9, "targets.sales.dtmf[2]", "bad DTMF sequence: position 8: gap must be 40..5000 ms");
        assertError(e, 12, 50, "targets.empty.dtmf", "expected 1..256 items, got 0");
        assertError(e, 13, 50, "targets.wrong.dtmf", "expected a DTMF sequence string, got a map");
        assertEquals(5, e.errors().size(), e.getMessage());
        for (ConfigError err : e.errors()) {
            assertFalse(err.message().contains("item 2,"), err.message());
        }
    }

    @Test
    void dtmfModesBindPerTrunkWithATargetOverride() throws Exception {
        Path file = write("modes.yaml", """
                trunks:
                  carrier: { outbound: { address: 192.0.2.1 } }
                  pbx:
                    outbound: { address: 192.0.2.2 }
                    dtmf-mode: info
                    info-content-type: application/dtmf
                  old: { outbound: { address: 192.0.2.3 }, dtmf-mode: inband }
                targets:
                  support: { trunk: carrier, number: "2000" }
                  menu: { trunk: pbx, number: "2001" }
                  legacy: { trunk: carrier, number: "2002", dtmf-mode: rfc4733 }
                """);
        WarmlineConfig c = ConfigLoader.load(file, ENV).config();
        TrunkConfig carrier = c.trunks().get("carrier");
        assertEquals(io.warmline.dtmf.DtmfMode.AUTO, carrier.dtmfMode());
        assertEquals("application/dtmf-relay", carrier.infoContentType());
        assertEquals(io.warmline.dtmf.DtmfMode.INFO, c.trunks().get("pbx").dtmfMode());
        assertEquals("application/dtmf", c.trunks().get("pbx").infoContentType());
        assertEquals(io.warmline.dtmf.DtmfMode.INBAND, c.trunks().get("old").dtmfMode());
        assertNull(c.targets().get("support").dtmfMode());
        assertEquals(io.warmline.dtmf.DtmfMode.AUTO, c.targets().get("support").dtmfModeWith(carrier));
        assertEquals(io.warmline.dtmf.DtmfMode.INFO,
                c.targets().get("menu").dtmfModeWith(c.trunks().get("pbx")));
        assertEquals(io.warmline.dtmf.DtmfMode.RFC4733, c.targets().get("legacy").dtmfModeWith(carrier));
    }

    @Test
    void badDtmfModesAreReportedAtTheirLines() throws Exception {
        ConfigException e = failing("""
                trunks:
                  carrier:
                    outbound: { address: 192.0.2.1 }
                    dtmf-mode: RFC2833
                    info-content-type: text/plain
                targets:
                  support: { trunk: carrier, number: "2000", dtmf-mode: sip-info }
                """);
        assertError(e, 4, 16, "trunks.carrier.dtmf-mode", "expected one of rfc4733, inband, info, auto, got \"RFC2833\"");
        assertError(e, 5, 24, "trunks.carrier.info-content-type",
                "expected one of application/dtmf-relay, application/dtmf, got \"text/plain\"");
        assertError(e, 7, 57, "targets.support.dtmf-mode", "expected one of rfc4733, inband, info, auto");
        assertEquals(3, e.errors().size(), e.getMessage());
    }

    @Test
    void aTargetsSequenceCanWaitAfterTheAnswerOrStartInEarlyMedia() throws Exception {
        Path file = write("start.yaml", """
                trunks:
                  carrier: { outbound: { address: 192.0.2.1 } }
                targets:
                  support: { trunk: carrier, number: "2000", dtmf: "1" }
                  slow: { trunk: carrier, number: "2001", dtmf: "1", dtmf-delay: 1500ms }
                  early: { trunk: carrier, number: "2002", dtmf: "1", dtmf-early-media: true }
                """);
        WarmlineConfig c = ConfigLoader.load(file, ENV).config();
        assertEquals(java.time.Duration.ZERO, c.targets().get("support").dtmfDelay());
        assertEquals(false, c.targets().get("support").dtmfEarlyMedia());
        assertEquals(java.time.Duration.ofMillis(1500), c.targets().get("slow").dtmfDelay());
        assertEquals(true, c.targets().get("early").dtmfEarlyMedia());

        ConfigException e = failing("""
                trunks:
                  carrier: { outbound: { address: 192.0.2.1 } }
                targets:
                  support: { trunk: carrier, number: "2000", dtmf: "1", dtmf-delay: 2m, dtmf-early-media: soon }
                """);
        if (!e.getMessage().contains("targets.support.dtmf-delay")
                || !e.getMessage().contains("targets.support.dtmf-early-media")) {
            throw new AssertionError(e.getMessage());
        }
        assertEquals(2, e.errors().size(), e.getMessage());
    }

    @Test
    void tlsOptionsBind() throws Exception {
        Files.write(dir.resolve("keystore.jks"), new byte[] {0x30});
        Files.write(dir.resolve("trust.p12"), new byte[] {0x30});
        Path file = write("tls.yaml", """
                sip:
                  tls:
                    keystore: keystore.jks
                    password-env: WARMLINE_TLS_PASSWORD
                    keystore-type: jks
                    truststore: trust.p12
                    truststore-password-env: CARRIER_A_PASSWORD
                    handshake-timeout: 250ms
                """);
        TlsConfig tls = ConfigLoader.load(file, ENV).config().sip().tls();
        assertEquals(new TlsConfig(dir.resolve("keystore.jks").toAbsolutePath().normalize(), Secret.of("s3cret-tls"),
                "JKS", dir.resolve("trust.p12").toAbsolutePath().normalize(), Secret.of("s3cret-carrier"),
                Duration.ofMillis(250)), tls);

        Path defaults = write("tls-defaults.yaml", """
                sip:
                  tls: { keystore: keystore.jks, password-env: WARMLINE_TLS_PASSWORD }
                """);
        assertEquals(new TlsConfig(dir.resolve("keystore.jks").toAbsolutePath().normalize(), Secret.of("s3cret-tls"),
                null, null, null, Duration.ofSeconds(5)), ConfigLoader.load(defaults, ENV).config().sip().tls());

        Path noTrustPassword = write("tls-trust.yaml", """
                sip:
                  tls: { keystore: keystore.jks, password-env: WARMLINE_TLS_PASSWORD, truststore: trust.p12,
                         keystore-type: pkcs12 }
                """);
        TlsConfig t = ConfigLoader.load(noTrustPassword, ENV).config().sip().tls();
        assertEquals("PKCS12", t.keystoreType());
        assertNull(t.truststorePassword());
    }

    @Test
    void tlsOptionErrorsAreReportedWithLocations() throws Exception {
        Files.write(dir.resolve("keystore.p12"), new byte[] {0x30});
        ConfigException e = failing("""
                sip:
                  tls:
                    keystore: keystore.p12
                    password-env: WARMLINE_TLS_PASSWORD
                    keystore-type: pem
                    truststore: missing.p12
                    truststore-password-env: NOT_SET
                    truststore-password: literal
                    handshake-timeout: 61s
                """);
        assertError(e, 5, 20, "sip.tls.keystore-type", "expected one of pkcs12, jks");
        assertError(e, 6, 17, "sip.tls.truststore", "truststore file");
        assertError(e, 8, 26, "sip.tls.truststore-password",
                "give either truststore-password-env or truststore-password, not both");
        assertError(e, 9, 24, "sip.tls.handshake-timeout", "must be 100ms..1m, got 61s");
        assertEquals(4, e.errors().size(), e.getMessage());

        ConfigException orphan = failing("""
                sip:
                  tls: { keystore: keystore.p12, password-env: WARMLINE_TLS_PASSWORD, truststore-password-env: X,
                         handshake-timeout: 50ms }
                """);
        assertError(orphan, 2, 96, "sip.tls.truststore-password-env", "X is not set");
        assertError(orphan, 3, 29, "sip.tls.handshake-timeout", "must be 100ms..1m, got 50ms");
        assertEquals(2, orphan.errors().size(), orphan.getMessage());

        Files.write(dir.resolve("trust.p12"), new byte[] {0x30});
        ConfigException noTrust = failing("""
                sip:
                  tls: { keystore: keystore.p12, password-env: WARMLINE_TLS_PASSWORD,
                         truststore-password-env: WARMLINE_TLS_PASSWORD }
                """);
        assertError(noTrust, 3, 35, "sip.tls.truststore-password-env", "a truststore password needs a truststore");
        assertEquals(1, noTrust.errors().size(), noTrust.getMessage());
    }
}
