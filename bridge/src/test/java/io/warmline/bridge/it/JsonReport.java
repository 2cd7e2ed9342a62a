package io.warmline.bridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Parses the JSON text a page returned (its reports are JSON strings, so DevTools passes them unchanged). */
final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonReport() {
    }

    static JsonNode parse(JsonNode value) throws IOException {
        return value.isTextual() ? JSON.readTree(value.asText()) : value;
    }
}
