package io.warmline.sip.internal;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The RI's socket factory when TLS is configured: plain sockets exactly as the RI's default layer makes them, TLS
 * sockets from {@link TlsMaterial}'s context. The RI instantiates it by class name; {@link SipCore} then
 * {@link #attach attaches} the material before any listening point exists. Thread-safe.
 */
public final class TlsNetworkLayer implements NetworkLayer {

    /** Outbound TLS connect timeout, ms (as the stack's CONNECTION_TIMEOUT for TCP). */
    static final int CONNECT_TIMEOUT_MS = 5000;

    private final NetworkLayer plain = DefaultNetworkLayer.SINGLETON;
    private volatile TlsMaterial tls;

    public TlsNetworkLayer() {
    }

    public void attach(TlsMaterial material) {
        this.tls = material;
    }

    private TlsMaterial tls() throws IOException {
        TlsMaterial m = tls;
        if (m == null) {
            throw new IOException("TLS is not configured");
        }
        return m;
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        TlsMaterial m = tls();
        SSLServerSocket s = (SSLServerSocket) m.context().getServerSocketFactory()
                .createServerSocket(port, backlog, bindAddress);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(m.protocols());
        p.setCipherSuites(m.cipherSuites());
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(false); // see TlsMaterial.CLIENT_AUTH
        s.setSSLParameters(p);
        return s;
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    /**
     * A connected client socket whose handshake (started by the RI) checks the peer's certificate chain against the
     * trust store, and, when the destination was given by host name (a trunk's {@code outbound.address}), that the
     * certificate names that host (RFC 5922 §7.2 asks for subjectAltName matching; the JDK's RFC 2818 rules are the
     * closest it has). A destination given as an IP literal (typically a Contact in an in-dialog request) has no
     * domain to check, so only the chain is verified there.
     */
    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        TlsMaterial m = tls();
        SSLSocket s = (SSLSocket) m.context().getSocketFactory().createSocket();
        try {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(m.protocols());
            p.setCipherSuites(m.cipherSuites());
            if (givenByName(address)) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            s.setSSLParameters(p);
            if (myAddress != null) {
                s.bind(new InetSocketAddress(myAddress, 0));
            }
            s.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Whether {@code a} carries the host name it was resolved from ("name/1.2.3.4"), without a reverse lookup. */
    static boolean givenByName(InetAddress a) {
        String s = a.toString();
        return s.indexOf('/') > 0;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return plain.createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return plain.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return plain.createSocket(address, port, myAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return plain.createSocket(address, port, myAddress, myPort);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return plain.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        return plain.createDatagramSocket(port, laddr);
    }

    @Override
    public void setSipStack(SipStackImpl sipStack) {
        // nothing to take from the stack: the material is attached by SipCore
    }
}
