package io.warmline.media.sdp;

/**
 * Offer/answer found nothing both sides can use. Maps to SIP 488 Not Acceptable Here with a Warning header
 * (RFC 3261 §20.43) whose code says why.
 */
public final class NoCommonCodecException extends Exception {

    private static final long serialVersionUID = 1L;

    /** RFC 3261 §20.43 warn-code: the transport protocol (e.g. RTP/SAVP) is not supported. */
    public static final int INCOMPATIBLE_TRANSPORT = 302;
    /** RFC 3261 §20.43 warn-code: no media type (no audio stream) we can use was offered. */
    public static final int MEDIA_TYPE_NOT_AVAILABLE = 304;
    /** RFC 3261 §20.43 warn-code: no payload format in common. */
    public static final int INCOMPATIBLE_MEDIA_FORMAT = 305;

    private final int warnCode;

    public NoCommonCodecException(int warnCode, String detail) {
        super(detail);
        if (warnCode != INCOMPATIBLE_TRANSPORT && warnCode != MEDIA_TYPE_NOT_AVAILABLE
                && warnCode != INCOMPATIBLE_MEDIA_FORMAT) {
            throw new IllegalArgumentException("unexpected warn-code " + warnCode);
        }
        this.warnCode = warnCode;
    }

    /** SIP final response status to send: 488 Not Acceptable Here. */
    public int sipStatus() {
        return 488;
    }

    /** RFC 3261 §20.43 warn-code (302, 304 or 305). */
    public int warnCode() {
        return warnCode;
    }

    /** The standard warn-text for {@link #warnCode()}. */
    public String warnText() {
        return switch (warnCode) {
            case INCOMPATIBLE_TRANSPORT -> "Incompatible transport protocol";
            case MEDIA_TYPE_NOT_AVAILABLE -> "Media type not available";
            default -> "Incompatible media format";
        };
    }

    /** A Warning header value, e.g. {@code 305 sbc.example.com "Incompatible media format"}. */
    public String warningHeaderValue(String agentHost) {
        return warnCode + " " + agentHost + " \"" + warnText() + "\"";
    }
}
