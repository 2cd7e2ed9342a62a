package io.warmline.config;

import java.util.Objects;

/**
 * Credentials for RFC 3261 section 22 digest authentication.
 *
 * @param realm when not null, only challenges for this realm are answered
 */
public record DigestCredentials(String username, Secret password, String realm) {

    public DigestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }
}
