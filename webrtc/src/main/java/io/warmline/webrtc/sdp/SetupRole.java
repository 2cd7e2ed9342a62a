package io.warmline.webrtc.sdp;

import java.util.Locale;
import java.util.Optional;

/** The {@code a=setup} attribute (RFC 4145 §4, RFC 8842 §5): who opens the DTLS association. */
public enum SetupRole {
    ACTPASS,
    ACTIVE,
    PASSIVE,
    HOLDCONN;

    public static Optional<SetupRole> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "actpass" -> Optional.of(ACTPASS);
            case "active" -> Optional.of(ACTIVE);
            case "passive" -> Optional.of(PASSIVE);
            case "holdconn" -> Optional.of(HOLDCONN);
            default -> Optional.empty();
        };
    }

    /**
     * Our role in the answer (RFC 8842 §5.2): passive for an offerer that can or will be active, so the browser
     * opens the association and we need not wait for its ICE check first; active only when the offerer insists on
     * being passive.
     */
    public SetupRole answerTo() {
        return switch (this) {
            case ACTPASS, ACTIVE -> PASSIVE;
            case PASSIVE -> ACTIVE;
            case HOLDCONN -> throw new IllegalStateException("holdconn has no answer");
        };
    }

    /** Whether the side with this role is the DTLS client (RFC 5763 §5: the active side sends ClientHello). */
    public boolean isDtlsClient() {
        return this == ACTIVE;
    }

    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
