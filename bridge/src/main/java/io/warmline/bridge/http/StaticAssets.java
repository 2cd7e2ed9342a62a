package io.warmline.bridge.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The widget's static files, served from the class path under {@code io/warmline/bridge/widget/}. Only plain file
 * names are looked up (no directories, no dot files), each read once and cached.
 */
final class StaticAssets {
    private static final String ROOT = "/io/warmline/bridge/widget/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(html|js|css)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private static final byte[] ABSENT = new byte[0];

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The file's reply, or null when there is no such file. */
    HttpReply get(String name) {
        if (!NAME.matcher(name).matches()) {
            return null;
        }
        byte[] content = cache.computeIfAbsent(name, StaticAssets::read);
        if (content == ABSENT) {
            return null;
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        return new HttpReply(200, type, content, Map.of("Cache-Control", "no-cache",
                "X-Content-Type-Options", "nosniff"));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + name)) {
            return in == null ? ABSENT : in.readAllBytes();
        } catch (IOException e) {
            return ABSENT;
        }
    }
}
