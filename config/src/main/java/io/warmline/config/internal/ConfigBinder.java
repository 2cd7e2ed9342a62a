package io.warmline.config.internal;

import static io.warmline.config.internal.Binders.duration;
import static io.warmline.config.internal.Binders.hostPort;
import static io.warmline.config.internal.Binders.integer;
import static io.warmline.config.internal.Binders.list;
import static io.warmline.config.internal.Binders.matching;
import static io.warmline.config.internal.Binders.seconds;
import static io.warmline.config.internal.Binders.text;

import io.warmline.config.ApiConfig;
import io.warmline.config.Cidr;
import io.warmline.config.DigestCredentials;
import io.warmline.config.HostPort;
import io.warmline.config.HttpConfig;
import io.warmline.config.InboundRoute;
import io.warmline.config.ListenPoint;
import io.warmline.config.ConfigLocation;
import io.warmline.config.MediaConfig;
import io.warmline.config.MediaTransportMode;
import io.warmline.config.NodeConfig;
import io.warmline.config.NumberPattern;
import io.warmline.config.RecordingConfig;
import io.warmline.config.RecordingMode;
import io.warmline.config.Secret;
import io.warmline.config.SipConfig;
import io.warmline.config.TargetConfig;
import io.warmline.config.TlsConfig;
import io.warmline.config.Transport;
import io.warmline.config.TrunkConfig;
import io.warmline.config.WarmlineConfig;
import io.warmline.config.WebRtcConfig;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfoCodec;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.sequence.DtmfSequenceException;
import io.warmline.dtmf.sequence.SequenceDefaults;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The config file's schema: binds the located tree into the records, checking every value and every reference,
 * and reporting each mistake without stopping. A new key is one {@code required}/{@code optional} line in the
 * section's method plus its check. Not thread-safe; one instance per load.
 */
public final class ConfigBinder {

    public static final int DEFAULT_SIP_PORT = 5060;
    public static final int DEFAULT_SIPS_PORT = 5061;
    public static final int DEFAULT_HTTP_PORT = 8080;
    static final String LOOPBACK = "127.0.0.1";
    static final int MAX_TRUNKS = 1000;
    static final int MAX_TARGETS = 10_000;
    static final int MAX_ROUTES = 10_000;
    static final int MAX_LIST = 10_000;
    static final int MAX_HEADERS = 32;
    static final int MAX_API_KEYS = 100;
    static final int MAX_WIDGET_ORIGINS = 32;
    static final int MIN_TOKEN_SECRET_BYTES = 32;

    static final List<ListenPoint> DEFAULT_LISTEN = List.of(
            new ListenPoint(Transport.UDP, new HostPort(LOOPBACK, DEFAULT_SIP_PORT)),
            new ListenPoint(Transport.TCP, new HostPort(LOOPBACK, DEFAULT_SIP_PORT)));
    static final List<String> DEFAULT_CODECS = List.of("PCMU", "PCMA");

    private static final Map<String, MediaTransportMode> MEDIA_TRANSPORTS = orderedMap("auto",
            MediaTransportMode.AUTO, "epoll", MediaTransportMode.EPOLL, "nio", MediaTransportMode.NIO);
    private static final Map<String, Transport> TRANSPORTS = orderedMap("udp", Transport.UDP, "tcp", Transport.TCP,
            "tls", Transport.TLS);
    private static final Map<String, DtmfMode> DTMF_MODES = orderedMap("rfc4733", DtmfMode.RFC4733,
            "inband", DtmfMode.INBAND, "info", DtmfMode.INFO, "auto", DtmfMode.AUTO);
    private static final Map<String, String> INFO_TYPES = orderedMap(DtmfInfoCodec.DTMF_RELAY,
            DtmfInfoCodec.DTMF_RELAY, DtmfInfoCodec.DTMF, DtmfInfoCodec.DTMF);
    /** Codec names by their upper-case form (names compare case-insensitively, RFC 4855 §3), as SDP writes them. */
    private static final Map<String, String> CODECS = orderedMap("PCMU", "PCMU", "PCMA", "PCMA", "OPUS", "opus");
    private static final Map<String, String> KEYSTORE_TYPES = orderedMap("pkcs12", "PKCS12", "jks", "JKS");
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern CALLER_ID = Pattern.compile("\\+?[0-9]{1,32}");
    private static final Pattern DIAL_NUMBER = Pattern.compile("\\+?[0-9*#]{1,32}");
    // RFC 3261 section 25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    private static final Pattern SIP_TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]{1,64}");
    // RFC 6454 section 6.1 serialisation of a tuple origin: scheme "://" host [ ":" port ], no path.
    private static final Pattern ORIGIN = Pattern.compile(
            "https?://([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\\[[0-9a-f:.]+\\])"
                    + "(:[0-9]{1,5})?");
    private static final Pattern RTP_PORTS = Pattern.compile("([0-9]{1,5})-([0-9]{1,5})");
    /** Headers the SIP stack writes itself, long and compact forms (RFC 3261 section 7.3.3). */
    private static final Set<String> RESERVED_HEADERS = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i",
            "cseq", "contact", "m", "max-forwards", "x-conversation-id", "user-to-user", "route", "record-route",
            "authorization", "proxy-authorization", "session-expires", "x", "min-se", "l", "c", "e");

    private final Problems problems;
    private final Function<String, String> env;
    private final Path baseDirectory;
    /** Whether a {@code recording} section was given and valid: {@code record: true} needs it. */
    private boolean recordingConfigured;

    public ConfigBinder(Problems problems, Function<String, String> env, Path baseDirectory) {
        this.problems = problems;
        this.env = env;
        this.baseDirectory = baseDirectory;
    }

    /** Binds the whole file ({@code root} null for an empty file). Returns null when any error was reported. */
    public WarmlineConfig bind(YamlNode root) {
        int mark = problems.mark();
        MapReader r = MapReader.of(root, "", problems, null);
        SipConfig sip = sip(r.section("sip"));
        NodeConfig node = node(r.section("node"), sip, r.node("sip"));
        HttpConfig http = http(r.section("http"));
        MediaConfig media = media(r.section("media"));
        RecordingConfig recording = r.has("recording") ? recording(r.section("recording")) : RecordingConfig.NONE;
        recordingConfigured = r.has("recording");
        Map<String, TrunkConfig> trunks = new LinkedHashMap<>();
        Set<String> trunkNames = names(r, "trunks", MAX_TRUNKS, (name, body, key, path) -> {
            TrunkConfig t = trunk(name, MapReader.of(body, path, problems, key));
            if (t != null) {
                trunks.put(name, t);
            }
        });
        Map<String, TargetConfig> targets = new LinkedHashMap<>();
        Set<String> targetNames = names(r, "targets", MAX_TARGETS, (name, body, key, path) -> {
            TargetConfig t = target(name, MapReader.of(body, path, problems, key), trunkNames);
            if (t != null) {
                targets.put(name, t);
            }
        });
        List<InboundRoute> routes = routes(r, targetNames);
        ApiConfig api = api(r.section("api"));
        WebRtcConfig webrtc = webrtc(r.section("webrtc"), node);
        r.finish();
        if (!problems.noErrorsSince(mark)) {
            return null;
        }
        return new WarmlineConfig(node, sip, http, media, trunks, targets, routes, api, webrtc, recording);
    }

    private static final Map<String, RecordingMode> RECORDING_MODES = orderedMap("mix", RecordingMode.MIX,
            "participants", RecordingMode.PARTICIPANTS, "both", RecordingMode.BOTH);
    private static final Map<String, String> RECORDING_FORMATS = orderedMap("wav", "wav");

    /**
     * Call recording: the directory (relative to the config file's; it must be a writable directory, or creatable
     * in one), the default mode, the file format (WAV, 16-bit PCM at the recording bridge's mix rate) and the bounds
     * on disk use.
     */
    private RecordingConfig recording(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        Path directory = r.required("directory", writableDirectory());
        RecordingMode mode = r.optional("mode", Binders.oneOf(RECORDING_MODES), RecordingConfig.DEFAULT_MODE);
        r.optional("format", Binders.oneOf(RECORDING_FORMATS), "wav");
        Duration maxDuration = r.optional("max-call-minutes", (node, path, p) -> {
            Integer m = integer(1, 24 * 60).bind(node, path, p);
            return m == null ? null : Duration.ofMinutes(m);
        }, RecordingConfig.DEFAULT_MAX_DURATION);
        Integer minFreeMb = r.optional("min-free-mb", integer(0, 10_000_000),
                (int) (RecordingConfig.DEFAULT_MIN_FREE_BYTES >> 20));
        Integer queue = r.optional("queue-seconds", integer(16, 100_000), RecordingConfig.DEFAULT_MAX_QUEUED_SECONDS);
        r.finish();
        return problems.noErrorsSince(mark)
                ? new RecordingConfig(directory, mode, maxDuration, (long) minFreeMb << 20, queue) : null;
    }

    /** A directory Warmline may write in: an existing writable one, or one creatable in a writable ancestor. */
    private Binder<Path> writableDirectory() {
        return Binders.map(text(4096), (t, node, path, p) -> {
            Path dir;
            try {
                dir = baseDirectory.resolve(t).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                p.error(node, path, "not a valid directory path");
                return null;
            }
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                    p.error(node, path, Text.quote(dir.toString()) + " is not a writable directory");
                    return null;
                }
                return dir;
            }
            Path ancestor = dir.getParent();
            while (ancestor != null && !Files.exists(ancestor)) {
                ancestor = ancestor.getParent();
            }
            if (ancestor == null || !Files.isDirectory(ancestor) || !Files.isWritable(ancestor)) {
                p.error(node, path, Text.quote(dir.toString()) + " does not exist and cannot be created ("
                        + (ancestor == null ? "no existing parent" : Text.quote(ancestor.toString())
                        + " is not a writable directory") + ")");
                return null;
            }
            return dir;
        });
    }

    /** {@code record: true|false}; true is refused without a recording section to say where files go. */
    private boolean record(MapReader r) {
        Boolean record = r.optional("record", ConfigBinder::bool, false);
        if (Boolean.TRUE.equals(record) && !recordingConfigured) {
            problems.error(r.at("record"), r.path("record"),
                    "recording needs the recording section (recording.directory says where files go)");
        }
        return Boolean.TRUE.equals(record);
    }

    private NodeConfig node(MapReader r, SipConfig sip, YamlNode sipNode) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        String advertised = r.optional("advertised-address", advertisedAddress(), null);
        Duration drain = r.optional("drain-time", duration(Duration.ZERO, Duration.ofHours(1)), Duration.ofSeconds(30));
        r.finish();
        if (advertised == null && !r.has("advertised-address") && sip != null) {
            HostPort first = sip.listen().get(0).address();
            if (first.isWildcard()) {
                YamlNode at = sipNode != null ? sipNode : r.anchor();
                problems.error(at, r.path("advertised-address"), "required because sip.listen[0] listens on the wildcard "
                        + first.host() + "; set it to the address callers and carriers reach this node at");
            } else {
                advertised = first.host();
            }
        }
        return problems.noErrorsSince(mark) && advertised != null ? new NodeConfig(advertised, drain) : null;
    }

    private static Binder<String> advertisedAddress() {
        return Binders.map(text(253), (t, node, path, p) -> {
            String host = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
            try {
                HostPort.checkHost(host);
            } catch (IllegalArgumentException e) {
                p.error(node, path, "expected an IP address or host name without a port: " + e.getMessage()
                        + ", got " + Text.quote(t));
                return null;
            }
            if (new HostPort(host, 0).isWildcard()) {
                p.error(node, path, "must be a specific address, not the wildcard " + host);
                return null;
            }
            return host;
        });
    }

    private SipConfig sip(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        TlsConfig tls = r.has("tls") ? tls(r.section("tls")) : null;
        boolean tlsConfigured = r.has("tls");
        Set<ListenPoint> seen = new HashSet<>();
        List<ListenPoint> listen = r.optional("listen", list((node, path, p) -> {
            ListenPoint lp = listenPoint(MapReader.of(node, path, p, node));
            if (lp == null) {
                return null;
            }
            if (lp.transport() == Transport.TLS && !tlsConfigured) {
                p.error(node, path, "a tls listen point needs sip.tls (keystore and password-env)");
                return null;
            }
            if (!seen.add(lp)) {
                p.error(node, path, "listed twice: " + lp.transport().name().toLowerCase(Locale.ROOT) + " " + lp.address());
                return null;
            }
            return lp;
        }, 1, 16), DEFAULT_LISTEN);
        Integer maxMessageSize = r.optional("max-message-size", integer(1024, 1024 * 1024), 65536);
        Duration sessionExpires = r.optional("session-expires", seconds(Duration.ofSeconds(90), Duration.ofHours(24)),
                Duration.ofSeconds(1800));
        Duration minSe = r.optional("min-se", seconds(Duration.ofSeconds(90), Duration.ofHours(1)),
                Duration.ofSeconds(90));
        Integer maxCalls = r.optional("max-calls", integer(1, 100_000), 2000);
        r.finish();
        if (sessionExpires != null && minSe != null && sessionExpires.compareTo(minSe) < 0) {
            String key = r.has("session-expires") ? "session-expires" : "min-se";
            problems.error(r.at(key), r.path(key), "session-expires (" + Binders.format(sessionExpires)
                    + ") must not be below min-se (" + Binders.format(minSe) + "), RFC 4028 section 4");
        }
        return problems.noErrorsSince(mark)
                ? new SipConfig(listen, tls, maxMessageSize, sessionExpires, minSe, maxCalls)
                : null;
    }

    private ListenPoint listenPoint(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        Transport transport = r.required("transport", Binders.oneOf(TRANSPORTS));
        int defaultPort = transport == Transport.TLS ? DEFAULT_SIPS_PORT : DEFAULT_SIP_PORT;
        HostPort address = r.required("address", hostPort(defaultPort));
        r.finish();
        return problems.noErrorsSince(mark) ? new ListenPoint(transport, address) : null;
    }

    private TlsConfig tls(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        Path keystore = r.required("keystore", existingFile("keystore"));
        Secret password = secret(r, "password", true);
        String keystoreType = r.optional("keystore-type", Binders.oneOf(KEYSTORE_TYPES), null);
        Path truststore = r.optional("truststore", existingFile("truststore"), null);
        Secret truststorePassword = secret(r, "truststore-password", false);
        if (truststorePassword != null && !r.has("truststore")) {
            String key = r.has("truststore-password") ? "truststore-password" : "truststore-password-env";
            problems.error(r.at(key), r.path(key), "a truststore password needs a truststore");
        }
        Duration handshakeTimeout = r.optional("handshake-timeout",
                duration(Duration.ofMillis(100), Duration.ofSeconds(60)), TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        r.finish();
        return problems.noErrorsSince(mark)
                ? new TlsConfig(keystore, password, keystoreType, truststore, truststorePassword, handshakeTimeout)
                : null;
    }

    /** A readable file, relative to the config file's directory. */
    private Binder<Path> existingFile(String what) {
        return Binders.map(text(4096), (t, node, path, p) -> {
            Path file;
            try {
                file = baseDirectory.resolve(t).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                p.error(node, path, "not a valid file path");
                return null;
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                p.error(node, path, what + " file " + Text.quote(file.toString()) + " does not exist or is not readable");
                return null;
            }
            return file;
        });
    }

    private HttpConfig http(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        HostPort listen = r.optional("listen", hostPort(DEFAULT_HTTP_PORT), new HostPort(LOOPBACK, DEFAULT_HTTP_PORT));
        r.finish();
        return listen != null ? new HttpConfig(listen) : null;
    }

    private MediaConfig media(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        int[] ports = r.optional("rtp-ports", ConfigBinder::rtpPorts, new int[] {20000, 29999});
        Duration noMedia = r.optional("no-media-timeout", duration(Duration.ofSeconds(1), Duration.ofHours(1)),
                Duration.ofSeconds(30));
        Duration latch = r.optional("latch-window", duration(Duration.ofMillis(100), Duration.ofSeconds(30)),
                Duration.ofSeconds(2));
        Integer realtime = r.optional("realtime-priority", integer(0, 99), 0);
        Integer callLoops = r.optional("call-loops", integer(0, MediaConfig.MAX_CALL_LOOPS), 0);
        Integer warmUp = r.optional("warm-up-seconds", integer(0, MediaConfig.MAX_WARM_UP_SECONDS),
                MediaConfig.DEFAULT_WARM_UP_SECONDS);
        MediaTransportMode transport = r.optional("transport", Binders.oneOf(MEDIA_TRANSPORTS),
                MediaTransportMode.AUTO);
        ConfigLocation transportAt = r.has("transport") ? problems.location(r.at("transport"), r.path("transport"))
                : null;
        r.finish();
        return problems.noErrorsSince(mark)
                ? new MediaConfig(ports[0], ports[1], noMedia, latch, realtime, callLoops, warmUp, transport,
                        transportAt)
                : null;
    }

    /** {@code first-last}, inclusive; RTP takes the even port of each pair (RFC 3550 section 11). */
    private static int[] rtpPorts(YamlNode node, String path, Problems p) {
        String t = text(16).bind(node, path, p);
        if (t == null) {
            return null;
        }
        var m = RTP_PORTS.matcher(t);
        if (!m.matches()) {
            p.error(node, path, "expected a port range such as 20000-29999, got " + Text.quote(t));
            return null;
        }
        int first = Integer.parseInt(m.group(1));
        int last = Integer.parseInt(m.group(2));
        String problem = null;
        if (first < 1024 || last > 65535) {
            problem = "must lie within 1024..65535";
        } else if (first % 2 != 0) {
            problem = "must start on an even port (RTP uses even ports, RFC 3550 section 11)";
        } else if (last - first + 1 < 4) {
            problem = "must hold at least 4 ports";
        }
        if (problem != null) {
            p.error(node, path, problem + ", got " + Text.quote(t));
            return null;
        }
        return new int[] {first, last};
    }

    /** Calls {@code body} for each validly named entry of the map under {@code key}; returns every such name. */
    private Set<String> names(MapReader r, String key, int max, NamedBody body) {
        Set<String> names = new LinkedHashSet<>();
        List<YamlNode.Entry> entries = r.entries(key);
        if (entries.size() > max) {
            problems.error(r.at(key), r.path(key), "at most " + max + " entries, got " + entries.size());
            return names;
        }
        for (YamlNode.Entry e : entries) {
            String path = Text.child(r.path(key), e.key());
            if (!NAME.matcher(e.key()).matches()) {
                problems.error(e.line(), e.column(), path, "a name must be 1..64 of a-z, 0-9 and '-', got "
                        + Text.quote(e.key()));
                continue;
            }
            names.add(e.key());
            body.accept(e.key(), e.value(), new YamlNode.Scalar(e.line(), e.column(), YamlNode.Kind.NULL, ""), path);
        }
        return names;
    }

    @FunctionalInterface
    private interface NamedBody {
        void accept(String name, YamlNode body, YamlNode key, String path);
    }

    /** The control API: its keys, widget tokens, CORS origins and per-conversation limits. */
    private ApiConfig api(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        Map<String, Secret> keys = new LinkedHashMap<>();
        Set<String> digests = new HashSet<>();
        names(r, "keys", MAX_API_KEYS, (name, body, key, path) -> {
            MapReader k = MapReader.of(body, path, problems, key);
            Secret s = secret(k, "key", true);
            k.finish();
            if (s == null) {
                return;
            }
            if (s.reveal().length() < 16 || s.reveal().length() > 512) {
                // Neither the value nor its length beyond the bounds is echoed.
                problems.error(k.at(k.has("key") ? "key" : "key-env"), k.path(k.has("key") ? "key" : "key-env"),
                        "an API key must be 16..512 characters");
                return;
            }
            if (!digests.add(s.reveal())) {
                problems.error(k.anchor(), path, "the same key value is configured under two names");
                return;
            }
            keys.put(name, s);
        });
        Duration ttl = r.optional("token-ttl", duration(Duration.ofSeconds(10), Duration.ofHours(24)),
                ApiConfig.DEFAULT_TOKEN_TTL);
        Secret tokenSecret = secret(r, "token-secret", false);
        if (tokenSecret != null
                && tokenSecret.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_TOKEN_SECRET_BYTES) {
            String key = r.has("token-secret") ? "token-secret" : "token-secret-env";
            problems.error(r.at(key), r.path(key), "the token secret must be at least " + MIN_TOKEN_SECRET_BYTES
                    + " bytes (e.g. openssl rand -hex 32)");
        }
        Set<String> seenOrigins = new HashSet<>();
        List<String> origins = r.optional("widget-origins", list((node, path, p) -> {
            String o = text(300).bind(node, path, p);
            if (o == null) {
                return null;
            }
            if (!ORIGIN.matcher(o).matches()) {
                p.error(node, path, "expected an origin such as https://www.example.com (lower case scheme and host,"
                        + " optional port, no path or trailing slash), got " + Text.quote(o));
                return null;
            }
            if (!seenOrigins.add(o)) {
                p.error(node, path, "listed twice: " + o);
                return null;
            }
            return o;
        }, 0, MAX_WIDGET_ORIGINS), List.of());
        Integer maxLegs = r.optional("max-voice-legs", integer(1, 16), ApiConfig.DEFAULT_MAX_VOICE_LEGS);
        r.finish();
        return problems.noErrorsSince(mark) ? new ApiConfig(keys, ttl, tokenSecret, origins, maxLegs) : null;
    }

    /** The WebRTC edge: its port (UDP, and ICE-TCP), the host candidate addresses, the handshake bound. */
    private WebRtcConfig webrtc(MapReader r, NodeConfig node) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        Integer port = r.optional("port", integer(1024, 65535), WebRtcConfig.DEFAULT_PORT);
        Boolean tcp = r.optional("tcp", ConfigBinder::bool, true);
        Set<String> seen = new HashSet<>();
        List<java.net.InetAddress> addresses = r.optional("addresses", list((n, path, p) -> {
            String t = text(45).bind(n, path, p);
            if (t == null) {
                return null;
            }
            byte[] b = IpLiterals.parse(t);
            if (b == null) {
                p.error(n, path, "expected an IP address (a candidate address cannot be a name), got " + Text.quote(t));
                return null;
            }
            java.net.InetAddress a = IpLiterals.toAddress(b);
            if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
                p.error(n, path, "must be a specific unicast address, not " + t);
                return null;
            }
            if (!seen.add(a.getHostAddress())) {
                p.error(n, path, "listed twice: " + t);
                return null;
            }
            return a;
        }, 1, 16), null);
        Duration handshake = r.optional("handshake-timeout", duration(Duration.ofSeconds(1), Duration.ofSeconds(60)),
                WebRtcConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        List<Cidr> allowedPeers = r.optional("allowed-peers", list(Binders.cidr(), 0, MAX_LIST), List.of());
        r.finish();
        if (addresses == null && !r.has("addresses") && node != null) {
            byte[] b = IpLiterals.parse(node.advertisedAddress());
            if (b == null) {
                problems.error(r.anchor(), r.path("addresses"), "required because node.advertised-address "
                        + node.advertisedAddress() + " is a name; list the IP addresses browsers reach this node at");
            } else {
                addresses = List.of(IpLiterals.toAddress(b));
            }
        }
        return problems.noErrorsSince(mark) && addresses != null
                ? new WebRtcConfig(addresses, port, tcp, handshake, allowedPeers) : null;
    }

    private static Boolean bool(YamlNode node, String path, Problems p) {
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.BOOLEAN) {
            String t = s.text().toLowerCase(Locale.ROOT);
            return t.equals("true") || t.equals("yes") || t.equals("on");
        }
        p.error(node, path, "expected true or false, got " + node.kindName());
        return null;
    }

    private TrunkConfig trunk(String name, MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        MapReader out = r.section("outbound");
        HostPort address = out.required("address", hostPort(DEFAULT_SIP_PORT));
        Transport transport = out.optional("transport", Binders.oneOf(TRANSPORTS), Transport.UDP);
        HostPort proxy = out.optional("proxy", hostPort(DEFAULT_SIP_PORT), null);
        out.finish();
        DigestCredentials auth = r.has("auth") ? credentials(r.section("auth")) : null;
        String callerId = r.optional("caller-id",
                matching(CALLER_ID, "digits with an optional leading '+', e.g. \"+15551230000\""), null);
        List<String> codecs = r.optional("codecs", codecs(), DEFAULT_CODECS);
        Duration ringTimeout = r.optional("ring-timeout", duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
                Duration.ofSeconds(60));
        MapReader in = r.section("inbound");
        List<Cidr> allow = in.optional("allow", list(Binders.cidr(), 0, MAX_LIST), List.of());
        List<NumberPattern> numbers = in.optional("numbers", list(Binders.numberPattern(), 0, MAX_LIST), List.of());
        in.finish();
        Map<String, String> headers = r.optional("headers", ConfigBinder::headers, Map.of());
        DtmfMode dtmfMode = r.optional("dtmf-mode", Binders.oneOf(DTMF_MODES), TrunkConfig.DEFAULT_DTMF_MODE);
        String infoType = r.optional("info-content-type", Binders.oneOf(INFO_TYPES),
                TrunkConfig.DEFAULT_INFO_CONTENT_TYPE);
        boolean record = record(r);
        r.finish();
        if (!problems.noErrorsSince(mark)) {
            return null;
        }
        return new TrunkConfig(name, address, transport, proxy, auth, callerId, codecs, ringTimeout, allow, numbers,
                headers, dtmfMode, infoType, record);
    }

    private DigestCredentials credentials(MapReader r) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        String username = r.required("username", text(256));
        Secret password = secret(r, "password", true);
        String realm = r.optional("realm", text(256), null);
        r.finish();
        return problems.noErrorsSince(mark) ? new DigestCredentials(username, password, realm) : null;
    }

    /**
     * {@code <key>-env: NAME} (the value of that environment variable) or a literal {@code <key>:}, which is allowed
     * with a warning. Neither the value nor the literal is ever put in a message. Null when neither is given and
     * the secret is not {@code required}, or after a reported error.
     */
    private Secret secret(MapReader r, String key, boolean required) {
        String envKey = key + "-env";
        YamlNode envNode = r.node(envKey);
        YamlNode literalNode = r.node(key);
        if (envNode != null && literalNode != null) {
            problems.error(literalNode, r.path(key), "give either " + envKey + " or " + key + ", not both");
            return null;
        }
        if (literalNode != null) {
            if (!(literalNode instanceof YamlNode.Scalar s) || s.kind() == YamlNode.Kind.NULL) {
                problems.error(literalNode, r.path(key), "expected a text value, got " + literalNode.kindName());
                return null;
            }
            if (s.text().isEmpty() || s.text().length() > 1024) {
                problems.error(literalNode, r.path(key), "expected 1..1024 characters");
                return null;
            }
            problems.warn(literalNode, r.path(key), "password written in the config file; prefer "
                    + envKey + " naming an environment variable that holds it");
            return Secret.of(s.text());
        }
        if (envNode == null) {
            if (!required || !r.readable()) {
                return null;
            }
            problems.error(r.anchor(), r.path(envKey),
                    "missing: name the environment variable holding the password (or give " + key + ")");
            return null;
        }
        if (!(envNode instanceof YamlNode.Scalar s) || s.kind() == YamlNode.Kind.NULL) {
            problems.error(envNode, r.path(envKey), "expected an environment variable name, got "
                    + envNode.kindName());
            return null;
        }
        String name = s.text();
        if (!ENV_NAME.matcher(name).matches()) {
            // Not echoed: a password pasted here by mistake must not reach the logs.
            problems.error(envNode, r.path(envKey),
                    "expected an environment variable name (letters, digits and '_', not starting with a digit)");
            return null;
        }
        String value = env.apply(name);
        if (value == null) {
            problems.error(envNode, r.path(envKey), "environment variable " + name + " is not set");
            return null;
        }
        if (value.isEmpty()) {
            problems.error(envNode, r.path(envKey), "environment variable " + name + " is empty");
            return null;
        }
        return Secret.of(value);
    }

    private static Binder<String> codecName() {
        return Binders.map(text(64), (t, node, path, p) -> {
            String v = CODECS.get(t.toUpperCase(Locale.ROOT));
            if (v == null) {
                p.error(node, path, "expected one of " + String.join(", ", CODECS.values()) + " (any case), got "
                        + Text.quote(t));
            }
            return v;
        });
    }

    private static Binder<List<String>> codecs() {
        Binder<List<String>> names = list(codecName(), 1, CODECS.size() * 2);
        return Binders.map(names, (codecs, node, path, p) -> {
            Set<String> seen = new HashSet<>();
            List<YamlNode> items = ((YamlNode.ListNode) node).items();
            for (int i = 0; i < codecs.size(); i++) {
                if (!seen.add(codecs.get(i))) {
                    p.error(items.get(i), Text.index(path, i), codecs.get(i) + " is listed twice");
                    return null;
                }
            }
            return codecs;
        });
    }

    private static Map<String, String> headers(YamlNode node, String path, Problems p) {
        if (!(node instanceof YamlNode.MapNode map)) {
            p.error(node, path, "expected a map of header name to value, got " + node.kindName());
            return null;
        }
        if (map.entries().size() > MAX_HEADERS) {
            p.error(node, path, "at most " + MAX_HEADERS + " headers, got " + map.entries().size());
            return null;
        }
        int mark = p.mark();
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> lower = new HashSet<>();
        for (YamlNode.Entry e : map.entries().values()) {
            String name = e.key();
            String headerPath = Text.child(path, name);
            String folded = name.toLowerCase(Locale.ROOT);
            if (!SIP_TOKEN.matcher(name).matches()) {
                p.error(e.line(), e.column(), headerPath, "a header name must be a SIP token (RFC 3261 section 25.1)"
                        + " of 1..64 characters, got " + Text.quote(name));
                continue;
            }
            if (RESERVED_HEADERS.contains(folded) || folded.startsWith("content-")) {
                p.error(e.line(), e.column(), headerPath, "header " + name + " is set by Warmline and cannot be "
                        + "configured");
                continue;
            }
            if (!lower.add(folded)) {
                p.error(e.line(), e.column(), headerPath, "header " + name + " is given twice (names ignore case)");
                continue;
            }
            YamlNode v = e.value();
            if (v instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL) {
                p.error(e.line(), e.column(), headerPath, "a header needs a value");
                continue;
            }
            String value = text(1024).bind(v, headerPath, p);
            if (value != null) {
                out.put(name, value);
            }
        }
        return p.noErrorsSince(mark) ? out : null;
    }

    private TargetConfig target(String name, MapReader r, Set<String> trunkNames) {
        if (!r.readable()) {
            return null;
        }
        int mark = problems.mark();
        String trunk = r.required("trunk", matching(NAME, "a trunk name"));
        if (trunk != null && !trunkNames.contains(trunk)) {
            problems.error(r.at("trunk"), r.path("trunk"), "no trunk named " + Text.quote(trunk)
                    + (trunkNames.isEmpty() ? " (no trunks are configured)" : " (trunks: "
                    + String.join(", ", trunkNames) + ")"));
        }
        String number = r.required("number",
                matching(DIAL_NUMBER, "a number to dial: digits, '*' and '#', with an optional leading '+'"));
        DtmfSequence dtmf = r.optional("dtmf", ConfigBinder::dtmf, null);
        DtmfMode dtmfMode = r.optional("dtmf-mode", Binders.oneOf(DTMF_MODES), null);
        List<String> codecs = r.optional("codecs", codecs(), null);
        Duration dtmfDelay = r.optional("dtmf-delay", duration(Duration.ZERO, TargetConfig.MAX_DTMF_DELAY),
                Duration.ZERO);
        Boolean dtmfEarlyMedia = r.optional("dtmf-early-media", ConfigBinder::bool, false);
        boolean record = record(r);
        r.finish();
        return problems.noErrorsSince(mark)
                ? new TargetConfig(name, trunk, number, dtmf, dtmfMode, codecs, dtmfDelay, dtmfEarlyMedia, record)
                : null;
    }

    /**
     * A DTMF sequence (DESIGN.md, "DTMF sequence language"): one string, or a list of strings (the structured form),
     * whose error is reported at the offending item.
     */
    private static DtmfSequence dtmf(YamlNode node, String path, Problems p) {
        // Not Binders.text: tabs are blanks in the sequence language; the parser names any other bad character.
        Binder<String> item = (n, itemPath, problems) -> {
            if (!(n instanceof YamlNode.Scalar s) || s.kind() == YamlNode.Kind.NULL) {
                problems.error(n, itemPath, "expected a DTMF sequence string, got " + n.kindName());
                return null;
            }
            if (s.text().isEmpty() || s.text().length() > DtmfSequence.MAX_LENGTH) {
                problems.error(n, itemPath, "expected 1.." + DtmfSequence.MAX_LENGTH + " characters, got "
                        + s.text().length());
                return null;
            }
            return s.text();
        };
        if (node instanceof YamlNode.ListNode l) {
            if (l.items().isEmpty() || l.items().size() > DtmfSequence.MAX_STEPS) {
                p.error(node, path, "expected 1.." + DtmfSequence.MAX_STEPS + " items, got " + l.items().size());
                return null;
            }
            int mark = p.mark();
            List<String> items = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                items.add(item.bind(l.items().get(i), Text.index(path, i), p));
            }
            if (!p.noErrorsSince(mark)) {
                return null;
            }
            try {
                return DtmfSequence.parse(items, SequenceDefaults.STANDARD);
            } catch (DtmfSequenceException e) {
                int i = e.item();
                boolean atItem = i >= 0 && i < items.size();
                p.error(atItem ? l.items().get(i) : node, atItem ? Text.index(path, i) : path,
                        "bad DTMF sequence: " + (atItem ? "position " + e.position() + ": " + e.problem()
                                : e.getMessage()));
                return null;
            }
        }
        String text = item.bind(node, path, p);
        if (text == null) {
            return null;
        }
        try {
            return DtmfSequence.parse(text);
        } catch (DtmfSequenceException e) {
            p.error(node, path, "bad DTMF sequence: " + e.getMessage());
            return null;
        }
    }

    private List<InboundRoute> routes(MapReader r, Set<String> targetNames) {
        Map<NumberPattern, YamlNode> earlier = new LinkedHashMap<>();
        return r.optional("routes", list((node, path, p) -> {
            MapReader route = MapReader.of(node, path, p, node);
            if (!route.readable()) {
                return null;
            }
            int mark = p.mark();
            NumberPattern number = route.required("number", Binders.numberPattern());
            String target = route.required("target", matching(NAME, "a target name"));
            route.finish();
            if (target != null && !targetNames.contains(target)) {
                p.error(route.at("target"), route.path("target"), "no target named " + Text.quote(target)
                        + (targetNames.isEmpty() ? " (no targets are configured)" : " (targets: "
                        + String.join(", ", targetNames) + ")"));
            }
            if (number != null) {
                // First match wins, so a route after one that covers it can never be taken.
                for (Map.Entry<NumberPattern, YamlNode> e : earlier.entrySet()) {
                    if (e.getKey().covers(number)) {
                        p.error(route.at("number"), route.path("number"), "never used: the route for "
                                + e.getKey() + " at line " + e.getValue().line() + " comes first and matches every"
                                + " number this one does");
                        break;
                    }
                }
                earlier.putIfAbsent(number, route.at("number"));
            }
            return p.noErrorsSince(mark) ? new InboundRoute(number, target) : null;
        }, 0, MAX_ROUTES), List.of());
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> orderedMap(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (V) kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
