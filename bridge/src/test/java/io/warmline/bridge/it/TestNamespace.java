package io.warmline.bridge.it;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The network namespace the browser tests run in. A browser's ICE checks come from every address it gathers, the
 * machine's interface addresses included; {@code .ci/netns/exec} (the surefire execution {@code netns} starts the
 * test JVM through it, and Warmline, SIPp, tshark and Chromium inherit it) gives the JVM a namespace whose only
 * non-loopback address is {@code WARMLINE_NETNS}. Tests tagged {@value #TAG} call {@link #require()}, which fails
 * (never skips) anywhere else. (The webrtc module's libwebrtc tests have the same class.)
 */
final class TestNamespace {
    /** The JUnit tag of the tests that must run inside the namespace (the surefire execution selects it). */
    static final String TAG = "netns";

    private final InetAddress address;
    private final int prefix;

    private TestNamespace(InetAddress address, int prefix) {
        this.address = address;
        this.prefix = prefix;
    }

    /** The namespace when {@code WARMLINE_NETNS} says this JVM runs in one (checked as {@link #require()} does). */
    static Optional<TestNamespace> ifInside() {
        return System.getenv("WARMLINE_NETNS") == null ? Optional.empty() : Optional.of(require());
    }

    /**
     * The namespace this JVM runs in, after checking that it is one: {@code WARMLINE_NETNS} names an address of this
     * host, and every other address of the host is loopback or IPv6 link-local (the veth pair's).
     *
     * @throws AssertionError when the JVM was started outside {@code .ci/netns/exec}
     */
    static TestNamespace require() {
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

    /** The namespace's own address (the veth end): a browser's only non-loopback host candidate. */
    InetAddress address() {
        return address;
    }

    /** The namespace's range as a CIDR with its host bits clear, e.g. for an allowed-peers list. */
    String cidr() {
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
    boolean contains(InetAddress a) {
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
}
