package io.warmline.sip;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The conversation identifier carried in {@code X-Conversation-ID} and, hex-encoded, in {@code User-to-User}
 * (RFC 7433).
 */
public record ConversationId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public ConversationId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("conversation id must be 1..128 chars of [A-Za-z0-9._:-]");
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    public static ConversationId generate() {
        return new ConversationId(UUID.randomUUID().toString());
    }

    /** Lower-case hex of the UTF-8 bytes: the uui-data of RFC 7433 with {@code encoding=hex}. */
    public String toUui() {
        return HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The full {@code User-to-User} header value (RFC 7433 §4.1, purpose from RFC 7434 usage). */
    public String toUserToUserHeader() {
        return toUui() + ";encoding=hex;purpose=call-context";
    }

    /**
     * The conversation named by an inbound INVITE: {@code X-Conversation-ID} when valid, else a
     * {@code User-to-User} value {@code <hex>;encoding=hex[;purpose=call-context]} that decodes to a valid id.
     * Either argument may be null.
     */
    public static Optional<ConversationId> fromHeaders(String xConversationId, String userToUser) {
        if (xConversationId != null && isValid(xConversationId.trim())) {
            return Optional.of(new ConversationId(xConversationId.trim()));
        }
        if (userToUser == null) {
            return Optional.empty();
        }
        String[] parts = userToUser.split(";");
        String data = parts[0].trim();
        if (data.length() > 2 && data.startsWith("\"") && data.endsWith("\"")) {
            data = data.substring(1, data.length() - 1);
        }
        boolean hex = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.equals("encoding=hex")) {
                hex = true;
            } else if (p.startsWith("purpose=") && !p.equals("purpose=call-context")) {
                return Optional.empty();
            }
        }
        // RFC 7433 §4.1: without encoding=hex the data is not hex-encoded; we only understand hex.
        if (!hex || data.isEmpty() || data.length() % 2 != 0 || data.length() > 256) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(data);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return isValid(s) ? Optional.of(new ConversationId(s)) : Optional.empty();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
