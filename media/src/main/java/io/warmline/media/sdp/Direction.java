package io.warmline.media.sdp;

import java.util.Optional;

/** Media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1, §6.1), from the point of view of the SDP's author. */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String attribute;

    Direction(String attribute) {
        this.attribute = attribute;
    }

    /** The attribute name, e.g. {@code sendonly}. */
    public String attribute() {
        return attribute;
    }

    public static Optional<Direction> fromAttribute(String name) {
        for (Direction d : values()) {
            if (d.attribute.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Whether the author of the SDP sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the author of the SDP wants to receive media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** RFC 3264 §6.1: the answer to an offer in this direction (sendonly ↔ recvonly, others unchanged). */
    public Direction answerTo() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** The direction allowing only what both this and {@code other} allow. */
    public Direction intersect(Direction other) {
        return of(sends() && other.sends(), receives() && other.receives());
    }

    /** This direction without receiving (what a legacy {@code c=0.0.0.0} hold means, RFC 3264 §8.4). */
    public Direction withoutReceiving() {
        return of(sends(), false);
    }

    static Direction of(boolean sends, boolean receives) {
        if (sends) {
            return receives ? SENDRECV : SENDONLY;
        }
        return receives ? RECVONLY : INACTIVE;
    }
}
