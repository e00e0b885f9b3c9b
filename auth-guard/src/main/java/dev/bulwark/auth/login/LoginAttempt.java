package dev.bulwark.auth.login;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One password login request. {@code clientAddress} must come from a {@link dev.bulwark.auth.net.ClientAddressResolver},
 * never from a raw {@code X-Forwarded-For}. {@code deviceCookie} is the value of the device cookie, or null.
 */
public final class LoginAttempt {
    private final String account;
    private final CharSequence password;
    private final InetAddress clientAddress;
    private final String deviceCookie;

    public LoginAttempt(String account, CharSequence password, InetAddress clientAddress, String deviceCookie) {
        this.account = Objects.requireNonNull(account, "account");
        this.password = password == null ? "" : password;
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
        this.deviceCookie = deviceCookie;
    }

    public LoginAttempt(String account, CharSequence password, InetAddress clientAddress) {
        this(account, password, clientAddress, null);
    }

    public String account() {
        return account;
    }

    CharSequence password() {
        return password;
    }

    public InetAddress clientAddress() {
        return clientAddress;
    }

    String deviceCookie() {
        return deviceCookie;
    }

    @Override
    public String toString() {
        return "LoginAttempt[account=" + account + ", password=<redacted>, clientAddress=" + clientAddress.getHostAddress()
                + ", deviceCookie=" + (deviceCookie == null ? "none" : "<redacted>") + "]";
    }
}
