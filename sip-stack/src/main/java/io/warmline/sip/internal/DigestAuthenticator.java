package io.warmline.sip.internal;

import io.warmline.sip.DigestCredentials;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers the digest challenges of one outbound call (UAC side of RFC 3261 §22.2, RFC 7616, RFC 8760).
 * Each nonce is answered once: a second challenge with a nonce already answered means the credentials were refused.
 * Not thread-safe: owned by one leg.
 */
public final class DigestAuthenticator {

    /** Total challenges answered per call before giving up (stale nonces included). */
    static final int MAX_ROUNDS = 3;

    /** The outcome of {@link #answer}. */
    public sealed interface Outcome {
        /** The {@code Authorization}/{@code Proxy-Authorization} value to add. Contains a secret: never log it. */
        record Answer(String headerValue, String realm, String algorithm) implements Outcome {
            @Override
            public String toString() {
                return "Answer[realm=" + realm + ", algorithm=" + algorithm + "]";
            }
        }

        record Refused(String why) implements Outcome {
        }
    }

    private final DigestCredentials credentials;
    private final Set<String> answeredNonces = new HashSet<>();
    private int rounds;

    public DigestAuthenticator(DigestCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * @param challenges the values of every WWW-Authenticate (or Proxy-Authenticate) header of the response
     * @param cnonce     client nonce to use ({@link DigestCalculator#newCnonce()})
     */
    public Outcome answer(List<String> challenges, String method, String uri, String cnonce) {
        if (credentials == null) {
            return new Outcome.Refused("challenged but the trunk has no credentials");
        }
        if (++rounds > MAX_ROUNDS) {
            return new Outcome.Refused("too many challenges");
        }
        Optional<DigestChallenge> best = challenges.stream()
                .map(DigestChallenge::parse)
                .flatMap(Optional::stream)
                .filter(c -> DigestCalculator.Algorithm.parse(c.algorithm()).isPresent())
                .filter(c -> c.qop().isEmpty() || c.qop().contains("auth"))
                .filter(c -> credentials.realm() == null || credentials.realm().equals(c.realm()))
                .max(Comparator.comparingInt(c -> DigestCalculator.Algorithm.parse(c.algorithm()).orElseThrow().strength()));
        if (best.isEmpty()) {
            return new Outcome.Refused("no usable Digest challenge (algorithm, qop or realm)");
        }
        DigestChallenge c = best.get();
        if (!answeredNonces.add(c.nonce())) {
            return new Outcome.Refused("credentials refused (challenged again for nonce already answered)");
        }
        DigestCalculator.Algorithm alg = DigestCalculator.Algorithm.parse(c.algorithm()).orElseThrow();
        String qop = c.qop().isEmpty() ? null : "auth";
        String nc = "00000001";
        String response = DigestCalculator.response(alg, credentials.username(), c.realm(), credentials.password(),
                method, uri, c.nonce(), qop, nc, cnonce);
        StringBuilder h = new StringBuilder("Digest username=").append(quote(credentials.username()))
                .append(", realm=").append(quote(c.realm()))
                .append(", nonce=").append(quote(c.nonce()))
                .append(", uri=").append(quote(uri))
                .append(", response=").append(quote(response))
                .append(", algorithm=").append(alg.token());
        if (c.opaque() != null) {
            h.append(", opaque=").append(quote(c.opaque()));
        }
        if (qop != null) {
            h.append(", qop=").append(qop).append(", nc=").append(nc).append(", cnonce=").append(quote(cnonce));
        }
        return new Outcome.Answer(h.toString(), c.realm(), alg.token());
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
