package dev.bulwark.upload;

import java.nio.charset.StandardCharsets;

/**
 * Looks through the whole stream for the tags that make a browser (or a PHP interpreter) treat bytes as active
 * markup: {@code <script}, {@code <html}, {@code <svg}, {@code <?php}, ... (ASCII case-insensitive). Inside an image
 * or PDF such a tag means the file doubles as another type (a polyglot); inside a text file it means HTML.
 * XMP metadata ({@code <?xpacket}, {@code <x:xmpmeta}, {@code <rdf:RDF}) does not match.
 */
final class MarkupScanner implements TeeInput.Observer {
    private static final byte[][] MARKERS = markers("<script", "<html", "<body", "<iframe", "<svg", "<?php",
            "<object", "<embed", "<!doctype html", "<frameset", "<meta http-equiv", "<xsl:stylesheet");
    private static final int LONGEST = 16;

    private final UploadRejected.Reason reason;
    private final byte[] pending = new byte[LONGEST];
    private int pendingLength;
    private String found;

    MarkupScanner(UploadRejected.Reason reason) {
        this.reason = reason;
    }

    @Override
    public void accept(byte[] b, int off, int len) {
        if (found != null) return;
        int end = off + len;
        int i = off;
        while (i < end) {
            if (pendingLength == 0) {
                // Fast path: most bytes are not '<'.
                while (i < end && b[i] != '<') i++;
                if (i == end) return;
                pending[0] = '<';
                pendingLength = 1;
                i++;
                continue;
            }
            byte c = b[i];
            if (c >= 'A' && c <= 'Z') c = (byte) (c + 32);
            if (c == '<') {
                pending[0] = '<';
                pendingLength = 1;
                i++;
                continue;
            }
            pending[pendingLength++] = c;
            int state = match();
            if (state == 2) {
                found = new String(pending, 0, pendingLength, StandardCharsets.US_ASCII);
                return;
            }
            if (state == 0 || pendingLength == LONGEST) pendingLength = 0;
            i++;
        }
    }

    /** 0 = no marker starts with pending, 1 = some marker continues it, 2 = a marker is complete. */
    private int match() {
        boolean prefix = false;
        for (byte[] m : MARKERS) {
            if (m.length < pendingLength) continue;
            boolean same = true;
            for (int k = 1; k < pendingLength; k++) {
                if (m[k] != pending[k]) {
                    same = false;
                    break;
                }
            }
            if (!same) continue;
            if (m.length == pendingLength) return 2;
            prefix = true;
        }
        return prefix ? 1 : 0;
    }

    @Override
    public UploadRejected rejection() {
        if (found == null) return null;
        return new UploadRejected(reason, reason.description() + " (found " + found + ")");
    }

    private static byte[][] markers(String... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) out[i] = values[i].getBytes(StandardCharsets.US_ASCII);
        return out;
    }
}
