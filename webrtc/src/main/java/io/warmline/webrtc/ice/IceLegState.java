package io.warmline.webrtc.ice;

/**
 * The life of one leg on the lite agent.
 *
 * <pre>
 *  WAITING --valid check--> CHECKED --USE-CANDIDATE--> NOMINATED --USE-CANDIDATE on another path--> NOMINATED
 *     |                        |                           |
 *     +------------------------+---- no consent in time ---+--> ENDED (terminal; also by removal)
 * </pre>
 */
public enum IceLegState {
    /** Registered; no authenticated check yet. */
    WAITING,
    /** At least one path validated by an authenticated check; none nominated. */
    CHECKED,
    /** A path is selected; media may flow on it while consent holds (RFC 7675). */
    NOMINATED,
    /** Consent lost or leg removed; nothing may be sent. */
    ENDED
}
