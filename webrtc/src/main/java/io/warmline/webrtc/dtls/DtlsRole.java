package io.warmline.webrtc.dtls;

import io.warmline.webrtc.sdp.SetupRole;

/** Which side of the DTLS handshake this endpoint plays, as its SDP {@code a=setup} says (RFC 5763 §5, RFC 4145 §4). */
public enum DtlsRole {
    /** {@code a=setup:active}: we send the ClientHello. */
    CLIENT,
    /** {@code a=setup:passive}: we wait for the ClientHello (Warmline's usual answer). */
    SERVER;

    /**
     * The role for our own {@code a=setup} in the answer: {@code active} → client, {@code passive} → server.
     *
     * @throws IllegalArgumentException for {@code actpass}/{@code holdconn}, which an answer cannot carry
     *                                  (RFC 5763 §5)
     */
    public static DtlsRole forLocalSetup(SetupRole localSetup) {
        return switch (localSetup) {
            case ACTIVE -> CLIENT;
            case PASSIVE -> SERVER;
            default -> throw new IllegalArgumentException("an answer's a=setup must be active or passive: "
                    + localSetup.attributeValue());
        };
    }

    /** The {@code a=setup} value that announces this role. */
    public SetupRole setup() {
        return this == CLIENT ? SetupRole.ACTIVE : SetupRole.PASSIVE;
    }
}
