package io.warmline.webrtc.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

import io.warmline.webrtc.sdp.DtlsFingerprint;

/**
 * A self-signed ECDSA P-256 certificate and its key, as WebRTC uses for DTLS (RFC 8827 §6.5: the certificate is
 * authenticated by its SDP fingerprint, not by a CA). Generate one at start and share it between legs; a new one can
 * be generated at any time (each leg keeps the one it announced). Immutable and thread-safe.
 */
public final class DtlsCertificate {
    /** Validity of a generated certificate; nothing checks it in WebRTC, but a sane window avoids peer warnings. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] der;
    private final ECPrivateKeyParameters privateKey;
    private final DtlsFingerprint fingerprint;
    private final Instant notAfter;

    private DtlsCertificate(byte[] der, ECPrivateKeyParameters privateKey, Instant notAfter) {
        this.der = der;
        this.privateKey = privateKey;
        this.notAfter = notAfter;
        this.fingerprint = DtlsFingerprint.of("sha-256", der);
    }

    /** A new key pair and certificate valid from an hour ago for {@link #DEFAULT_VALIDITY}. */
    public static DtlsCertificate generate() {
        return generate(Instant.now(), DEFAULT_VALIDITY);
    }

    public static DtlsCertificate generate(Instant now, Duration validity) {
        ECNamedDomainParameters p256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(p256, RANDOM));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        // A fresh random name per certificate, so that two nodes' certificates are never confused in captures.
        X500Name name = new X500Name("CN=warmline-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
        Instant notBefore = now.minus(Duration.ofHours(1));
        Instant notAfter = now.plus(validity);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(63, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()));
            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            byte[] der = builder.build(new BcECContentSignerBuilder(sigAlg, digAlg).build(pair.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(der, (ECPrivateKeyParameters) pair.getPrivate(), notAfter);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate with ECDSA", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 fingerprint to announce in SDP ({@code a=fingerprint:sha-256 ...}). */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The DER-encoded certificate. */
    public byte[] encoded() {
        return der.clone();
    }

    public Instant notAfter() {
        return notAfter;
    }

    ECPrivateKeyParameters privateKey() {
        return privateKey;
    }

    byte[] derUnsafe() {
        return der;
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint + "]";
    }
}
