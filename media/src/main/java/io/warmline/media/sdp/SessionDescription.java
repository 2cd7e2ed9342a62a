package io.warmline.media.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A session description (RFC 8866, formerly RFC 4566). The model keeps what offer/answer needs: origin, session
 * name, session-level connection and attributes, and the media sections. Timing is always {@code t=0 0} when
 * encoded; other session-level lines ({@code i= u= e= p= b= r= z= k=}) are accepted by the parser but not kept.
 *
 * @param connection the session-level connection, or null
 */
public record SessionDescription(Origin origin, String sessionName, Connection connection,
        List<Attribute> sessionAttributes, List<MediaDescription> media) {

    /** Largest description accepted, in characters. */
    public static final int MAX_LENGTH = 16 * 1024;
    /** Most lines accepted. */
    public static final int MAX_LINES = 256;
    /** Most m-lines accepted. */
    public static final int MAX_MEDIA = 16;
    /** Most formats accepted on one m-line. */
    public static final int MAX_FORMATS = 64;

    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sessionName, "sessionName");
        if (SdpSyntax.hasLineBreak(sessionName)) {
            throw new IllegalArgumentException("session name contains a line break");
        }
        sessionAttributes = List.copyOf(sessionAttributes);
        media = List.copyOf(media);
        if (media.size() > MAX_MEDIA) {
            throw new IllegalArgumentException("more than " + MAX_MEDIA + " media descriptions");
        }
    }

    /**
     * Parses a description received from a peer. Bounded: at most {@link #MAX_LENGTH} characters,
     * {@link #MAX_LINES} lines, {@link #MAX_MEDIA} m-lines and {@link #MAX_FORMATS} formats per m-line. Strict about
     * the line format ({@code <type>=<value>}, known types, required {@code v= o= s=}, well-formed fields and the
     * attributes it interprets: rtpmap, fmtp, ptime, rtcp, direction); tolerant of unknown attributes. Lines may end
     * in CRLF or LF.
     */
    public static SessionDescription parse(String sdp) throws SdpException {
        return SdpParser.parse(sdp);
    }

    /** The description as sent: CRLF line ends, lines in RFC 8866 order. */
    public String encode() {
        StringBuilder out = new StringBuilder(512);
        out.append("v=0\r\n");
        out.append("o=").append(origin).append("\r\n");
        out.append("s=").append(sessionName.isEmpty() ? "-" : sessionName).append("\r\n");
        if (connection != null) {
            out.append("c=").append(connection).append("\r\n");
        }
        out.append("t=0 0\r\n");
        for (Attribute a : sessionAttributes) {
            out.append("a=").append(a).append("\r\n");
        }
        for (MediaDescription m : media) {
            m.encode(out);
        }
        return out.toString();
    }

    /** The value of the first session-level attribute named {@code name}; empty string for a property. */
    public Optional<String> attribute(String name) {
        for (Attribute a : sessionAttributes) {
            if (a.name().equals(name)) {
                return Optional.of(a.value() == null ? "" : a.value());
            }
        }
        return Optional.empty();
    }

    /** The direction of {@code m}: its own attribute, else the session-level one, else SENDRECV (RFC 8866 §6.7). */
    public Direction direction(MediaDescription m) {
        Optional<Direction> own = m.directionAttribute();
        if (own.isPresent()) {
            return own.get();
        }
        for (Attribute a : sessionAttributes) {
            if (a.value() == null) {
                Optional<Direction> d = Direction.fromAttribute(a.name());
                if (d.isPresent()) {
                    return d.get();
                }
            }
        }
        return Direction.SENDRECV;
    }

    /** The connection that applies to {@code m}: its own, else the session-level one; null when neither exists. */
    public Connection connectionFor(MediaDescription m) {
        return m.connection() != null ? m.connection() : connection;
    }

    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(newOrigin, sessionName, connection, sessionAttributes, media);
    }

    @Override
    public String toString() {
        return encode();
    }
}
