package io.warmline.webrtc.stun;

/** Why a datagram was not accepted as a STUN message (RFC 8489 §6.3, §14). */
public enum StunMalformation {
    /** Fewer than the 20 header bytes. */
    TOO_SHORT,
    /** Longer than {@link StunDecoder#MAX_MESSAGE_LENGTH}. */
    TOO_LONG,
    /** First two bits not zero or no magic cookie (RFC 8489 §5): not STUN, or RFC 3489 STUN. */
    NOT_STUN,
    /** Header length not a multiple of 4 or not equal to the datagram's length minus the header. */
    BAD_LENGTH,
    /** An attribute's value (with its padding) runs past the end of the message. */
    ATTRIBUTE_OVERRUN,
    /** More than {@link StunDecoder#MAX_ATTRIBUTES} attributes. */
    TOO_MANY_ATTRIBUTES,
    /** A known attribute whose value has the wrong length or an invalid encoding. */
    BAD_ATTRIBUTE,
    /** Something follows FINGERPRINT, which must be last (RFC 8489 §14.7). */
    ATTRIBUTE_AFTER_FINGERPRINT
}
