package io.warmline.config.internal;

import java.util.List;
import java.util.Map;

/** A YAML value with the 1-based line and column where it starts in the file. */
public sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.Scalar {

    int line();

    int column();

    /** What this node is, for "expected X, got Y" messages; never the value itself. */
    String kindName();

    /** A mapping; keys are unique and in file order. */
    record MapNode(int line, int column, Map<String, Entry> entries) implements YamlNode {
        @Override
        public String kindName() {
            return "a map";
        }
    }

    /** One key of a mapping, located at the key. */
    record Entry(String key, int line, int column, YamlNode value) {
    }

    record ListNode(int line, int column, List<YamlNode> items) implements YamlNode {
        @Override
        public String kindName() {
            return "a list";
        }
    }

    /** A scalar as written (for numbers, the original text), with the type YAML resolved it to. */
    record Scalar(int line, int column, Kind kind, String text) implements YamlNode {
        @Override
        public String kindName() {
            return switch (kind) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a decimal number";
                case BOOLEAN -> "a boolean";
                case NULL -> "an empty value";
            };
        }
    }

    enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }
}
