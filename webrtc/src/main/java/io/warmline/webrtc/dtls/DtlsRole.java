package io.warmline.webrtc.dtls;

/** Which side of the DTLS handshake this endpoint plays, as its SDP {@code a=setup} says (RFC 5763 §5, RFC 4145 §4). */
public enum DtlsRole {
    /** {@code a=setup:active}: we send the ClientHello. */
    CLIENT,
    /** {@code a=setup:passive}: we wait for the ClientHello (Warmline's usual answer). */
    SERVER;

    /**
     * The role for our own {@code a=setup} value in the answer: {@code active} → client, {@code passive} → server.
     *
     * @throws IllegalArgumentException for {@code actpass}/{@code holdconn} or anything else, which an answer
     *                                  cannot carry (RFC 5763 §5)
     */
    public static DtlsRole forLocalSetup(String setup) {
        return switch (setup.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "active" -> CLIENT;
            case "passive" -> SERVER;
            default -> throw new IllegalArgumentException("an answer's a=setup must be active or passive: " + setup);
        };
    }

    /** The {@code a=setup} value that announces this role. */
    public String sdpSetup() {
        return this == CLIENT ? "active" : "passive";
    }
}
