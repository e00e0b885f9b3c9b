package dev.bulwark.auth.sso;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Wraps a TLS socket factory so that every socket verifies the server certificate against the host name during the
 * handshake (JDK endpoint identification, algorithm "LDAPS", RFC 6125 rules). Used for LDAPS and for the StartTLS
 * upgrade, so that a trusted certificate issued for another host is refused before any credential is sent.
 */
final class HostCheckingSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;

    HostCheckingSocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    private static Socket check(Socket s) {
        if (s instanceof SSLSocket) {
            SSLSocket ssl = (SSLSocket) s;
            SSLParameters p = ssl.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("LDAPS");
            ssl.setSSLParameters(p);
        }
        return s;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return check(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return check(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
        return check(delegate.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return check(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return check(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return check(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return check(delegate.createSocket(address, port, localAddress, localPort));
    }
}
