package io.warmline.bridge;

import io.warmline.config.Cidr;
import io.warmline.config.NumberPattern;
import io.warmline.config.TlsConfig;
import io.warmline.config.TrunkConfig;
import io.warmline.config.WarmlineConfig;
import io.warmline.sip.AddressRange;
import io.warmline.sip.DigestCredentials;
import io.warmline.sip.SipListenPoint;
import io.warmline.sip.SipSettings;
import io.warmline.sip.TlsSettings;
import io.warmline.sip.Trunk;
import java.util.List;

/** Maps the operator's config onto the SIP module's own settings (the SIP module does not read config files). */
final class SipMapping {
    private SipMapping() {}

    static SipSettings settings(WarmlineConfig config) {
        List<SipListenPoint> listen = config.sip().listen().stream()
                .map(p -> new SipListenPoint(p.transport().name().toLowerCase(), p.address().host(), p.address().port()))
                .toList();
        // The operator counts calls; the SIP layer counts legs, and every bridged call has two.
        return new SipSettings(listen, config.node().advertisedAddress(), config.sip().maxMessageSize(),
                config.sip().sessionExpires(), config.sip().minSe(), Math.multiplyExact(2, config.sip().maxCalls()),
                SipSettings.DEFAULT_T1, tls(config.sip().tls()));
    }

    /** A null keystore type is detected from the file; a null trust store means the JVM's default one. */
    static TlsSettings tls(TlsConfig tls) {
        if (tls == null) {
            return null;
        }
        return new TlsSettings(tls.keystore(), tls.password().reveal(), tls.keystoreType(), tls.truststore(),
                tls.truststorePassword() == null ? null : tls.truststorePassword().reveal(), tls.handshakeTimeout());
    }

    static Trunk trunk(TrunkConfig t) {
        DigestCredentials credentials = t.auth() == null ? null
                : new DigestCredentials(t.auth().username(), t.auth().password().reveal(), t.auth().realm());
        List<AddressRange> allow = t.allow().stream()
                .map((Cidr c) -> new AddressRange(c.network(), c.prefixLength()))
                .toList();
        List<String> numbers = t.numbers().stream().map(NumberPattern::pattern).toList();
        return new Trunk(t.name(), t.outboundAddress().host(), t.outboundAddress().port(),
                t.transport().name().toLowerCase(),
                t.outboundProxy() == null ? null : t.outboundProxy().host(),
                t.outboundProxy() == null ? 0 : t.outboundProxy().port(),
                credentials, t.callerId(), allow, numbers, t.ringTimeout(), t.headers());
    }
}
