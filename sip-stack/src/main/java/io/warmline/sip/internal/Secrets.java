package io.warmline.sip.internal;

import java.util.regex.Pattern;

/** Masks digest responses and credentials in text about to be logged. */
public final class Secrets {

    private static final Pattern RESPONSE = Pattern.compile("(?i)\\b(response|cnonce)(\\s*=\\s*)(\"[^\"]*\"|[^,\\s]+)");

    private Secrets() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return RESPONSE.matcher(text).replaceAll("$1$2\"****\"");
    }
}
