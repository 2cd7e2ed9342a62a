package io.warmline.config.internal;

/**
 * Turns one present, non-null node into a value. On a mistake it reports an error at the node (with the path)
 * and returns null; it never throws for bad input.
 */
@FunctionalInterface
public interface Binder<T> {

    T bind(YamlNode node, String path, Problems problems);
}
