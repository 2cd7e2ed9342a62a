package io.warmline.sip;

import java.util.Objects;

/**
 * Credentials for answering a trunk's digest challenge (RFC 8760). The password is never logged.
 *
 * @param realm when set, only challenges for exactly this realm are answered
 */
public record DigestCredentials(String username, String password, String realm) {
    public DigestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("username must not be empty");
        }
    }

    @Override
    public String toString() {
        return "DigestCredentials[username=" + username + ", password=****, realm=" + realm + "]";
    }
}
