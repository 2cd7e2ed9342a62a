package io.warmline.sip.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed EC certificates made once per JVM with the JDK's keytool (two runs in parallel): CN=localhost with
 * subjectAltName dns:localhost and ip:127.0.0.1 (as PKCS#12, and copied into JKS), CN=other.invalid naming only
 * other.invalid (PKCS#12), and a PKCS#12 trust store holding both certificates.
 */
public final class TestCerts {

    public static final String PASSWORD = "kS-pw-7f3a91e2";
    public static final String TRUST_PASSWORD = "tS-pw-0c44d1b8";

    private static TestCerts instance;

    public final Path dir;
    public final Path pkcs12;
    public final Path jks;
    public final Path other;
    public final Path truststore;
    public final X509Certificate certificate;

    private TestCerts(Path dir) throws Exception {
        this.dir = dir;
        this.pkcs12 = dir.resolve("node.p12");
        this.jks = dir.resolve("node.jks");
        this.other = dir.resolve("other.p12");
        this.truststore = dir.resolve("trust.p12");
        Process node = keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3",
                "-storetype", "PKCS12", "-keystore", pkcs12.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Process otherNode = keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=other.invalid", "-ext", "SAN=dns:other.invalid", "-validity", "3",
                "-storetype", "PKCS12", "-keystore", other.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        await(node);
        await(otherNode);
        KeyStore p12 = load(pkcs12);
        certificate = (X509Certificate) p12.getCertificate("node");
        KeyStore jksStore = KeyStore.getInstance("JKS");
        jksStore.load(null, null);
        jksStore.setKeyEntry("node", p12.getKey("node", PASSWORD.toCharArray()), PASSWORD.toCharArray(),
                p12.getCertificateChain("node"));
        try (OutputStream out = Files.newOutputStream(jks)) {
            jksStore.store(out, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("node", certificate);
        trust.setCertificateEntry("other", load(other).getCertificate("other"));
        try (OutputStream out = Files.newOutputStream(truststore)) {
            trust.store(out, TRUST_PASSWORD.toCharArray());
        }
    }

    public static synchronized TestCerts get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("warmline-tls");
            instance = new TestCerts(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.list(dir)) {
                    files.forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort
                }
                dir.toFile().delete();
            }));
        }
        return instance;
    }

    /** A client context that trusts only the test certificate. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("node", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static Process keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of(args));
        cmd.add("-noprompt");
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void await(Process p) throws Exception {
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
