package io.warmline.webrtc.dtls;

/**
 * Life of one DTLS association.
 * <pre>
 *   HANDSHAKING ──keys exported──▶ ESTABLISHED ──close_notify / fatal alert / close()──▶ CLOSED
 *        │                                                                                ▲
 *        └──────────── fingerprint mismatch, timeout, alert, close() ─────────────────────┘ (as FAILED)
 * </pre>
 */
public enum DtlsState {
    HANDSHAKING,
    ESTABLISHED,
    CLOSED,
    FAILED
}
