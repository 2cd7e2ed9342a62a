package io.warmline.media.opus;

/**
 * The Opus encoder could not be set up or could not encode (for example, an output buffer too short for the packet).
 * Decoding never throws: a malformed packet is counted and concealed.
 */
public final class OpusCodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OpusCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
