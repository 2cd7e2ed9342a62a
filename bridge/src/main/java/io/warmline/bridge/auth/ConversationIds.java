package io.warmline.bridge.auth;

import java.util.regex.Pattern;

/**
 * The conversation IDs the API accepts in paths and tokens: the same charset and length the SIP layer carries in
 * {@code X-Conversation-ID} (1..128 of {@code [A-Za-z0-9._:-]}), so an ID that got in over HTTP can always go out
 * in a SIP header, and none needs escaping in a URL path segment or a token.
 */
public final class ConversationIds {
    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private ConversationIds() {
    }

    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches() && !id.equals(".")
                && !id.equals("..");
    }

    /** Says what is wrong with {@code id}, for an error body; null when it is valid. */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "conversation id is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "conversation id is " + id.length() + " characters; at most " + MAX_LENGTH;
        }
        if (!isValid(id)) {
            return "conversation id may hold only letters, digits and . _ : - (and is not . or ..)";
        }
        return null;
    }
}
