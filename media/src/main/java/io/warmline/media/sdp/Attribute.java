package io.warmline.media.sdp;

import java.util.Objects;

/**
 * An {@code a=} line (RFC 8866 §5.13): a property ({@code a=sendonly}, value null) or a value attribute
 * ({@code a=rtpmap:0 PCMU/8000}).
 */
public record Attribute(String name, String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
        if (!SdpSyntax.isToken(name)) {
            throw new IllegalArgumentException("attribute name is not a token: " + name);
        }
        if (value != null && SdpSyntax.hasLineBreak(value)) {
            throw new IllegalArgumentException("attribute value contains a line break");
        }
    }

    public static Attribute property(String name) {
        return new Attribute(name, null);
    }

    public static Attribute of(String name, String value) {
        return new Attribute(name, value);
    }

    /** The text after {@code a=}. */
    @Override
    public String toString() {
        return value == null ? name : name + ":" + value;
    }
}
