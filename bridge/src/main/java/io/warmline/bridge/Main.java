package io.warmline.bridge;

import io.warmline.config.ConfigException;
import io.warmline.config.ConfigLoader;
import io.warmline.config.LoadedConfig;
import io.warmline.config.WarmlineConfig;
import io.warmline.media.transport.NettyTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Warmline node: {@code java -jar warmline.jar [--config FILE]}. The file may also be named by the
 * {@code WARMLINE_CONFIG} environment variable; with neither, the node runs on embedded defaults.
 *
 * <p>Exit codes: 0 after a clean drain, 2 for a bad command line or config file, 1 when start-up fails.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        keepPooledBuffers();
        Path configFile;
        try {
            configFile = configPath(args, System.getenv("WARMLINE_CONFIG"));
        } catch (IllegalArgumentException e) {
            System.err.println("warmline: " + e.getMessage());
            System.err.println("usage: java -jar warmline.jar [--config FILE]");
            System.exit(2);
            return;
        }
        WarmlineConfig config;
        try {
            config = load(configFile);
        } catch (ConfigException e) {
            System.err.println("warmline: refusing to start, the config file has errors:");
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        NettyTransport transport;
        try {
            transport = TransportChoice.choose(config.media());
        } catch (ConfigException e) {
            System.err.println("warmline: refusing to start, the config file has errors:");
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Node node = new Node(config, transport);
        try {
            node.start();
        } catch (Exception e) {
            log.error("Warmline failed to start: {}", e.getMessage(), e);
            node.close();
            System.exit(1);
            return;
        }
        ShutdownSignals.onTermination(() -> {
            node.drainAndClose();
            return 0;
        });
        log.info("Warmline ready: {}", node.describeEndpoints());
    }

    /**
     * Netty 4.2 made its adaptive allocator the default; the node keeps the pooled direct buffers it was measured
     * with (docs/performance.md) unless the operator names another with {@code -Dio.netty.allocator.type}. Set before
     * any Netty class reads it.
     */
    static void keepPooledBuffers() {
        if (System.getProperty("io.netty.allocator.type") == null) {
            System.setProperty("io.netty.allocator.type", "pooled");
        }
    }

    static Path configPath(String[] args, String fromEnvironment) {
        Path path = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--config") && i + 1 < args.length) {
                path = Path.of(args[++i]);
            } else if (arg.startsWith("--config=")) {
                path = Path.of(arg.substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (path == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
            path = Path.of(fromEnvironment);
        }
        return path;
    }

    private static WarmlineConfig load(Path file) throws ConfigException {
        if (file == null) {
            log.info("No config file given: running on embedded defaults");
            return ConfigLoader.defaults();
        }
        if (!Files.isRegularFile(file)) {
            System.err.println("warmline: config file " + file + " does not exist or is not a file");
            System.exit(2);
        }
        LoadedConfig loaded = ConfigLoader.load(file, System::getenv);
        loaded.warnings().forEach(w -> log.warn("config: {}", w));
        log.info("Loaded config from {}", file);
        return loaded.config();
    }
}
