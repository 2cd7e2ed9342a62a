package io.warmline.webrtc.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the offers kept beside the tests (written in the shape browsers produce; LF line ends). */
final class OfferFiles {

    private OfferFiles() {
    }

    static String read(String name) {
        try (InputStream in = OfferFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String chrome() {
        return read("chrome-audio-video-data.sdp");
    }

    static String firefox() {
        return read("firefox-audio.sdp");
    }
}
