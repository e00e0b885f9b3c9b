package dev.bulwark.upload;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response headers for serving a stored file: always a download ({@code Content-Disposition: attachment} with an
 * RFC 6266 filename: an ASCII fallback plus the RFC 8187 {@code filename*} UTF-8 form), the detected type, no
 * sniffing, and a CSP that sandboxes the response even if a browser renders it.
 */
public final class DownloadHeaders {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'";

    private DownloadHeaders() {}

    /** Headers for a file, in a stable order. */
    public static Map<String, String> forFile(String displayName, String contentType, long size) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Content-Length", Long.toString(size));
        h.put("Content-Disposition", contentDisposition(displayName));
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        h.put("Cache-Control", "private, no-store");
        h.put("Referrer-Policy", "no-referrer");
        return Collections.unmodifiableMap(h);
    }

    /** {@code attachment; filename="<ascii>"; filename*=UTF-8''<pct-encoded>}; never contains quotes, CR, LF or ';' unescaped. */
    public static String contentDisposition(String displayName) {
        String name = displayName == null || displayName.isEmpty() ? "download" : displayName;
        return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + rfc8187(name);
    }

    static String asciiFallback(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' && c != ';' && c != '/';
            b.append(ok ? c : '_');
            if (Character.isHighSurrogate(c) && i + 1 < name.length()) i++;
        }
        return b.toString();
    }

    static String rfc8187(String name) {
        StringBuilder b = new StringBuilder();
        for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }
}
