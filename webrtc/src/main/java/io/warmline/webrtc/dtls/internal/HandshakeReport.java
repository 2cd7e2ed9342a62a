package io.warmline.webrtc.dtls.internal;

import io.warmline.webrtc.dtls.DtlsFailure;
import io.warmline.webrtc.srtp.SrtpKeys;

/**
 * What the BouncyCastle peer callbacks learned during one handshake: the first failure reason they recognised, the
 * last alert, and the exported keys. Written and read on the handshake thread; alerts after the handshake may be
 * recorded from the event loop, hence volatile.
 */
public final class HandshakeReport {
    private volatile DtlsFailure failure;
    private volatile String detail;
    private volatile short alertReceived = -1;
    private volatile short alertRaised = -1;
    private volatile SrtpKeys keys;
    private volatile int cipherSuite = -1;

    /** Keeps the first reason: later ones are consequences of it. */
    public void fail(DtlsFailure reason, String why) {
        if (failure == null) {
            failure = reason;
            detail = why;
        }
    }

    public DtlsFailure failure() {
        return failure;
    }

    public String detail() {
        return detail;
    }

    public void alertReceived(short description) {
        alertReceived = description;
    }

    public void alertRaised(short description) {
        alertRaised = description;
    }

    public short alertReceived() {
        return alertReceived;
    }

    public short alertRaised() {
        return alertRaised;
    }

    public void cipherSuite(int suite) {
        cipherSuite = suite;
    }

    /** The negotiated TLS CipherSuite value, or -1 before the handshake completed. */
    public int cipherSuite() {
        return cipherSuite;
    }

    public void keys(SrtpKeys k) {
        keys = k;
    }

    public SrtpKeys keys() {
        return keys;
    }
}
