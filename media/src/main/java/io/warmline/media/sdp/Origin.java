package io.warmline.media.sdp;

import java.util.Objects;

/** The {@code o=} line (RFC 8866 §5.2), network type IN. */
public record Origin(String username, String sessionId, long sessionVersion, String addressType, String address) {

    public Origin {
        for (String token : new String[] {username, sessionId, addressType, address}) {
            Objects.requireNonNull(token, "origin field");
            if (token.isEmpty() || !SdpSyntax.isNonWhitespace(token)) {
                throw new IllegalArgumentException("invalid origin field: '" + token + "'");
            }
        }
        if (sessionVersion < 0) {
            throw new IllegalArgumentException("negative session version: " + sessionVersion);
        }
        if (!Connection.IP4.equals(addressType) && !Connection.IP6.equals(addressType)) {
            throw new IllegalArgumentException("address type must be IP4 or IP6: " + addressType);
        }
    }

    /** The text after {@code o=}. */
    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " IN " + addressType + " " + address;
    }
}
