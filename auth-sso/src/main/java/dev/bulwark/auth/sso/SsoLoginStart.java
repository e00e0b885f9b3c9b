package dev.bulwark.auth.sso;

import java.net.URI;
import java.time.Instant;

/**
 * The start of an OIDC sign-in: where to send the browser, and a browser-binding value the application must set as
 * a cookie ({@code __Host-}, {@code Secure}, {@code HttpOnly}, {@code SameSite=Lax}, expiring at
 * {@link #expiresAt()}) and hand back to {@link OidcSignIn#complete}. The binding stops login CSRF: a callback
 * URL captured from someone else's sign-in does not complete in this browser.
 */
public final class SsoLoginStart {
    private final URI authorizationUri;
    private final String browserBinding;
    private final Instant expiresAt;

    SsoLoginStart(URI authorizationUri, String browserBinding, Instant expiresAt) {
        this.authorizationUri = authorizationUri;
        this.browserBinding = browserBinding;
        this.expiresAt = expiresAt;
    }

    /** The provider's authorization endpoint with client id, redirect URI, state, nonce and PKCE challenge (S256). */
    public URI authorizationUri() {
        return authorizationUri;
    }

    /** The cookie value binding this attempt to the browser that started it (secret: do not log). */
    public String browserBinding() {
        return browserBinding;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return "SsoLoginStart[expires=" + expiresAt + ", binding=redacted]";
    }
}
