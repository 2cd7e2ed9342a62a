package io.warmline.webrtc.it;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network namespace the libwebrtc and browser tests run in. libwebrtc gathers no loopback candidates and a
 * browser's ICE checks come from every address it gathers, so outside a namespace their checks would come from this
 * machine's interface addresses; {@code .ci/netns/exec} (the surefire execution {@code netns} of the webrtc and bridge
 * modules starts the test JVM through it, and Warmline, SIPp, tshark and Chromium started by a test inherit it) gives
 * the JVM a namespace whose only non-loopback IPv4 address is {@code WARMLINE_NETNS}. Tests tagged {@value #TAG} call
 * {@link #require()}, which fails (never skips) anywhere else.
 *
 * <p>One copy for both modules: the webrtc module publishes its test classes as a test-jar that the bridge module's
 * tests depend on.
 */
public final class TestNamespace {
    /** The JUnit tag of the tests that must run inside the namespace (the surefire execution selects it). */
    public static final String TAG = "netns";

    private static final Pattern CANDIDATE = Pattern.compile(
            "^a=candidate:\\S+ \\d+ (?i:udp|tcp) \\d+ (\\S+) \\d+ typ ", Pattern.MULTILINE);

    private final InetAddress address;
    private final int prefix;

    private TestNamespace(InetAddress address, int prefix) {
        this.address = address;
        this.prefix = prefix;
    }

    /**
     * The namespace this JVM runs in, after checking that it is one: {@code WARMLINE_NETNS} names an address of this
     * host, and every other address of the host is loopback or IPv6 link-local (the veth pair's).
     *
     * @throws AssertionError when the JVM was started outside {@code .ci/netns/exec}
     */
    public static TestNamespace require() {
        String cidr = System.getenv("WARMLINE_NETNS");
        if (cidr == null || !cidr.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d{1,2}")) {
            throw new AssertionError("this test must run inside the network namespace of .ci/netns/exec (the surefire "
                    + "execution 'netns' does; WARMLINE_NETNS is " + cidr + "); outside it libwebrtc would use this "
                    + "machine's interface address");
        }
        TestNamespace ns;
        try {
            ns = new TestNamespace(InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))),
                    Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)));
        } catch (UnknownHostException e) {
            throw new AssertionError("unreadable WARMLINE_NETNS " + cidr, e);
        }
        List<InetAddress> outside = new ArrayList<>();
        boolean own = false;
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    own |= a.equals(ns.address);
                    if (!ns.contains(a) && (a instanceof Inet4Address || !a.isLinkLocalAddress())) {
                        outside.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            throw new AssertionError("cannot list network interfaces", e);
        }
        if (!own || !outside.isEmpty()) {
            throw new AssertionError("not inside the namespace " + cidr + ": its address is " + (own ? "" : "not ")
                    + "local; addresses outside it: " + outside);
        }
        return ns;
    }

    /** The namespace when {@code WARMLINE_NETNS} says this JVM runs in one (checked as {@link #require()} does). */
    public static Optional<TestNamespace> ifInside() {
        return System.getenv("WARMLINE_NETNS") == null ? Optional.empty() : Optional.of(require());
    }

    /** The namespace's own address (the veth end): libwebrtc's and a browser's only non-loopback host candidate. */
    public InetAddress address() {
        return address;
    }

    /** The namespace's range as a CIDR with its host bits clear, e.g. for an allowed-peers list. */
    public String cidr() {
        byte[] network = address.getAddress();
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether {@code a} is loopback or in the namespace's range: the only sources a peer inside may have. */
    public boolean contains(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return true;
        }
        byte[] x = a.getAddress();
        byte[] n = address.getAddress();
        if (x.length != n.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((x[bit / 8] & mask) != (n[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The connection addresses of the {@code a=candidate} lines of {@code sdp} (RFC 8839 §5.1). */
    public static List<InetAddress> candidateAddresses(String sdp) {
        List<InetAddress> addresses = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(sdp);
        while (m.find()) {
            // Only literals: getByName would look a name up (an mDNS .local name hides the address).
            if (!m.group(1).matches("[0-9a-fA-F:.]+")) {
                throw new AssertionError("candidate address is not an IP address: " + m.group(0));
            }
            try {
                addresses.add(InetAddress.getByName(m.group(1)));
            } catch (UnknownHostException e) {
                throw new AssertionError("unreadable candidate address: " + m.group(0), e);
            }
        }
        return addresses;
    }
}
