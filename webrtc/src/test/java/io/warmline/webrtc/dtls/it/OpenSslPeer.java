package io.warmline.webrtc.dtls.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code openssl} command as an independent DTLS 1.2 peer on loopback: {@code s_server} or {@code s_client} with
 * {@code -use_srtp} and the RFC 5705 exporter, so the keying material it derives can be compared with ours.
 */
final class OpenSslPeer implements AutoCloseable {
    private static final Pattern KEYING = Pattern.compile("Keying material: ([0-9A-F]+)");
    private static final Pattern PROFILE = Pattern.compile("SRTP Extension negotiated, profile=(\\S+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    final CompletableFuture<byte[]> keyingMaterial = new CompletableFuture<>();
    final CompletableFuture<String> srtpProfile = new CompletableFuture<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();

    private OpenSslPeer(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::read, "openssl-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** A self-signed P-256 certificate and key made by openssl itself, as PEM files in {@code dir}. */
    static Path[] makeCertificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=openssl-peer", "-days", "1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl req failed");
        }
        return new Path[] {cert, key};
    }

    static byte[] derOf(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String body = text.substring(text.indexOf("-----BEGIN CERTIFICATE-----") + 27,
                text.indexOf("-----END CERTIFICATE-----"));
        return Base64.getMimeDecoder().decode(body);
    }

    static OpenSslPeer server(int port, Path[] certAndKey, String profile, int exportLength) throws IOException {
        List<String> c = new ArrayList<>(List.of("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cert", certAndKey[0].toString(), "-key", certAndKey[1].toString(), "-use_srtp", profile,
                "-Verify", "1", "-naccept", "1"));
        c.addAll(export(exportLength));
        return new OpenSslPeer(c);
    }

    static OpenSslPeer client(int port, Path[] certAndKey, String profile, int exportLength) throws IOException {
        List<String> c = new ArrayList<>(List.of("openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
                "-cert", certAndKey[0].toString(), "-key", certAndKey[1].toString(), "-use_srtp", profile));
        c.addAll(export(exportLength));
        return new OpenSslPeer(c);
    }

    private static List<String> export(int length) {
        return List.of("-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", Integer.toString(length));
    }

    /** Closes openssl's standard input: s_client then ends its connection with close_notify. */
    void endInput() throws IOException {
        process.getOutputStream().close();
    }

    String output() {
        return output.toString();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                Matcher k = KEYING.matcher(line);
                if (k.find()) {
                    keyingMaterial.complete(HexFormat.of().parseHex(k.group(1)));
                }
                Matcher p = PROFILE.matcher(line);
                if (p.find()) {
                    srtpProfile.complete(p.group(1));
                }
            }
        } catch (IOException e) {
            output.append("read failed: ").append(e).append('\n');
        } finally {
            keyingMaterial.completeExceptionally(new IllegalStateException("openssl ended:\n" + output));
            srtpProfile.completeExceptionally(new IllegalStateException("openssl ended:\n" + output));
            ended.complete(output.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
