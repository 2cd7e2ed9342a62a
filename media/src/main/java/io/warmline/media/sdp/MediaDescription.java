package io.warmline.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An {@code m=} section (RFC 8866 §5.14) with its media-level {@code c=} and attributes. Other media-level lines
 * ({@code i=}, {@code b=}, {@code k=}) are accepted by the parser but not kept.
 *
 * @param formats the format tokens in offer order; RTP payload type numbers for RTP profiles
 * @param connection the media-level connection, or null to use the session-level one
 */
public record MediaDescription(String type, int port, String protocol, List<String> formats, Connection connection,
        List<Attribute> attributes) {

    public static final String AUDIO = "audio";
    public static final String RTP_AVP = "RTP/AVP";

    public MediaDescription {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(protocol, "protocol");
        if (!SdpSyntax.isToken(type)) {
            throw new IllegalArgumentException("media type is not a token: " + type);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (protocol.isEmpty() || !SdpSyntax.isNonWhitespace(protocol)) {
            throw new IllegalArgumentException("invalid protocol: " + protocol);
        }
        formats = List.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("an m-line needs at least one format");
        }
        boolean rtp = isRtpProtocol(protocol);
        for (String f : formats) {
            if (!SdpSyntax.isToken(f)) {
                throw new IllegalArgumentException("format is not a token: " + f);
            }
            if (rtp && parsePayloadType(f) < 0) {
                throw new IllegalArgumentException("RTP payload type must be 0-127: " + f);
            }
        }
        attributes = List.copyOf(attributes);
    }

    /** Whether the transport protocol is an RTP profile ({@code RTP/AVP}, {@code RTP/SAVPF}, ...). */
    public boolean isRtp() {
        return isRtpProtocol(protocol);
    }

    static boolean isRtpProtocol(String protocol) {
        return protocol.toUpperCase(java.util.Locale.ROOT).contains("RTP/");
    }

    /** -1 unless {@code token} is a payload type number 0-127. */
    static int parsePayloadType(String token) {
        if (!SdpSyntax.isDigits(token, 3)) {
            return -1;
        }
        int pt = Integer.parseInt(token);
        return pt <= 127 ? pt : -1;
    }

    /** The payload type numbers, in m-line order; empty for a non-RTP m-line. */
    public List<Integer> payloadTypes() {
        if (!isRtp()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>(formats.size());
        for (String f : formats) {
            out.add(parsePayloadType(f));
        }
        return out;
    }

    /** The value of the first attribute named {@code name}; empty string for a property attribute. */
    public Optional<String> attribute(String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return Optional.of(a.value() == null ? "" : a.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The format of payload type {@code pt}: from its {@code a=rtpmap} (RFC 8866 §6.6), else the RFC 3551 static
     * type; with its {@code a=fmtp} parameters. Empty when the m-line does not list {@code pt} or it is unknown.
     */
    public Optional<PayloadFormat> rtpmap(int pt) {
        if (!payloadTypes().contains(pt)) {
            return Optional.empty();
        }
        String prefix = pt + " ";
        for (Attribute a : attributes) {
            if (a.name().equals("rtpmap") && a.value() != null && a.value().startsWith(prefix)) {
                Optional<PayloadFormat> parsed = parseRtpmap(a.value());
                return parsed.map(f -> f.withFmtp(fmtp(pt).orElse(null)));
            }
        }
        return PayloadFormat.staticFormat(pt).map(f -> f.withFmtp(fmtp(pt).orElse(null)));
    }

    /** Every listed payload type whose format is known, in m-line order. */
    public List<PayloadFormat> payloadFormats() {
        List<PayloadFormat> out = new ArrayList<>();
        for (int pt : payloadTypes()) {
            rtpmap(pt).ifPresent(out::add);
        }
        return out;
    }

    /** The {@code a=fmtp} parameters of {@code pt}. */
    public Optional<String> fmtp(int pt) {
        String prefix = pt + " ";
        for (Attribute a : attributes) {
            if (a.name().equals("fmtp") && a.value() != null && a.value().startsWith(prefix)) {
                return Optional.of(a.value().substring(prefix.length()).trim());
            }
        }
        return Optional.empty();
    }

    /** The media-level direction attribute, if there is one. */
    public Optional<Direction> directionAttribute() {
        for (Attribute a : attributes) {
            Optional<Direction> d = a.value() == null ? Direction.fromAttribute(a.name()) : Optional.empty();
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /**
     * The media-level direction, SENDRECV when absent. See {@link SessionDescription#direction(MediaDescription)}
     * for the direction that also honours a session-level attribute.
     */
    public Direction direction() {
        return directionAttribute().orElse(Direction.SENDRECV);
    }

    /** {@code a=ptime} in milliseconds (RFC 8866 §6.4). */
    public OptionalInt ptime() {
        Optional<String> v = attribute("ptime");
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        int ms = parsePtime(v.get());
        return ms > 0 ? OptionalInt.of(ms) : OptionalInt.empty();
    }

    /** The port of an {@code a=rtcp} attribute (RFC 3605). */
    public OptionalInt rtcpPort() {
        Optional<String> v = attribute("rtcp");
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        String[] parts = v.get().trim().split(" ", -1);
        return SdpSyntax.isDigits(parts[0], 5) && Integer.parseInt(parts[0]) <= 65535
                ? OptionalInt.of(Integer.parseInt(parts[0])) : OptionalInt.empty();
    }

    /** The connection address of an {@code a=rtcp} attribute that names one (RFC 3605 §2.1). */
    public Optional<Connection> rtcpConnection() {
        Optional<String> v = attribute("rtcp");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = v.get().trim().split(" ", -1);
        if (parts.length == 4 && parts[1].equals("IN")) {
            try {
                return Optional.of(new Connection(parts[2], parts[3]));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public MediaDescription withPort(int newPort) {
        return new MediaDescription(type, newPort, protocol, formats, connection, attributes);
    }

    /** {@code <enc>/<rate>[/<channels>]} after {@code <pt> }; empty when malformed. */
    static Optional<PayloadFormat> parseRtpmap(String value) {
        int space = value.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        int pt = parsePayloadType(value.substring(0, space));
        String[] parts = value.substring(space + 1).trim().split("/", -1);
        if (pt < 0 || parts.length < 2 || parts.length > 3) {
            return Optional.empty();
        }
        if (!SdpSyntax.isDigits(parts[1], 9) || (parts.length == 3 && !SdpSyntax.isDigits(parts[2], 3))) {
            return Optional.empty();
        }
        int rate = Integer.parseInt(parts[1]);
        int channels = parts.length == 3 ? Integer.parseInt(parts[2]) : 1;
        if (rate == 0 || channels == 0 || !SdpSyntax.isToken(parts[0])) {
            return Optional.empty();
        }
        return Optional.of(new PayloadFormat(pt, parts[0], rate, channels, null));
    }

    /** Milliseconds, accepting a decimal value as some agents send ({@code 20.0}); -1 when malformed. */
    static int parsePtime(String value) {
        String v = value.trim();
        int dot = v.indexOf('.');
        String whole = dot < 0 ? v : v.substring(0, dot);
        String fraction = dot < 0 ? "0" : v.substring(dot + 1);
        if (!SdpSyntax.isDigits(whole, 5) || !SdpSyntax.isDigits(fraction, 6)) {
            return -1;
        }
        int ms = Integer.parseInt(whole) + (fraction.charAt(0) >= '5' ? 1 : 0);
        return ms > 0 ? ms : -1;
    }

    /** The lines of this section, CRLF-terminated. */
    void encode(StringBuilder out) {
        out.append("m=").append(type).append(' ').append(port).append(' ').append(protocol);
        for (String f : formats) {
            out.append(' ').append(f);
        }
        out.append("\r\n");
        if (connection != null) {
            out.append("c=").append(connection).append("\r\n");
        }
        for (Attribute a : attributes) {
            out.append("a=").append(a).append("\r\n");
        }
    }
}
