package io.warmline.webrtc.ice;

/**
 * ICE role (RFC 8445 §6.1.1). A lite agent facing a full one is controlled; it changes role only when a role conflict
 * says so (§7.3.1.1).
 */
public enum IceRole {
    CONTROLLED,
    CONTROLLING
}
