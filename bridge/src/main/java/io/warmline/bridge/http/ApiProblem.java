package io.warmline.bridge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API error as an RFC 9457 problem: the status, a stable machine-readable code (also the last part of the
 * {@code type} URI), a title per code and a detail that names what was wrong with this request.
 */
public final class ApiProblem extends RuntimeException {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String code;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public HttpReply toReply() {
        ObjectNode body = JSON.createObjectNode()
                .put("type", "urn:warmline:problem:" + code)
                .put("title", title(code))
                .put("status", status)
                .put("detail", getMessage())
                .put("code", code);
        return new HttpReply(status, CONTENT_TYPE, body.toString().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String title(String code) {
        String spaced = code.replace('-', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
