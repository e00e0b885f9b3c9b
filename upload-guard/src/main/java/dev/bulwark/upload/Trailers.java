package dev.bulwark.upload;

import org.apache.tika.mime.MediaType;

/**
 * End-of-file structure per type. A file that goes on after its format's end marker carries something else (the
 * classic image + archive/HTML polyglot) or was truncated; either way it is not accepted.
 */
final class Trailers {
    private static final byte[] PNG_IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    private Trailers() {}

    /** A description of what is wrong with the end of the file, or null if it ends as its type requires. */
    static String check(MediaType type, byte[] head, byte[] tail, long size) {
        if (type.equals(ContentTypes.PNG)) {
            return endsWith(tail, PNG_IEND) ? null : "the PNG does not end with its IEND chunk (data appended, or truncated)";
        }
        if (type.equals(ContentTypes.JPEG)) {
            return endsWith(tail, new byte[] {(byte) 0xFF, (byte) 0xD9}) ? null
                    : "the JPEG does not end with its end-of-image marker (data appended, or truncated)";
        }
        if (type.equals(ContentTypes.GIF)) {
            return tail.length > 0 && tail[tail.length - 1] == 0x3B ? null
                    : "the GIF does not end with its trailer byte (data appended, or truncated)";
        }
        if (type.equals(ContentTypes.WEBP)) {
            if (head.length < 12) return "the WebP is truncated";
            long riff = (head[4] & 0xFFL) | (head[5] & 0xFFL) << 8 | (head[6] & 0xFFL) << 16 | (head[7] & 0xFFL) << 24;
            long expected = riff + 8 + (riff & 1);
            return expected == size || riff + 8 == size ? null
                    : "the WebP's RIFF size does not match the file (data appended, or truncated)";
        }
        if (type.equals(ContentTypes.PDF)) {
            return endsWithPdfEof(tail) ? null : "the PDF does not end with %%EOF (data appended, or truncated)";
        }
        if (ContentTypes.isZipFamily(type)) {
            return endsWithZipDirectory(tail) ? null : "the archive does not end with its central directory";
        }
        return null;
    }

    /** Whether the bytes end with a ZIP end-of-central-directory record whose comment runs exactly to the end. */
    static boolean endsWithZipDirectory(byte[] tail) {
        int lowest = Math.max(0, tail.length - 22 - 65_535);
        for (int p = tail.length - 22; p >= lowest; p--) {
            if (tail[p] == 'P' && tail[p + 1] == 'K' && tail[p + 2] == 5 && tail[p + 3] == 6) {
                int comment = (tail[p + 20] & 0xFF) | (tail[p + 21] & 0xFF) << 8;
                if (p + 22 + comment == tail.length) return true;
            }
        }
        return false;
    }

    private static boolean endsWithPdfEof(byte[] tail) {
        int end = tail.length;
        while (end > 0 && isPdfWhitespace(tail[end - 1])) end--;
        return end >= 5 && tail[end - 5] == '%' && tail[end - 4] == '%' && tail[end - 3] == 'E'
                && tail[end - 2] == 'O' && tail[end - 1] == 'F';
    }

    private static boolean isPdfWhitespace(byte b) {
        return b == ' ' || b == '\r' || b == '\n' || b == '\t' || b == '\f' || b == 0;
    }

    private static boolean endsWith(byte[] data, byte[] suffix) {
        if (data.length < suffix.length) return false;
        for (int i = 0; i < suffix.length; i++) {
            if (data[data.length - suffix.length + i] != suffix[i]) return false;
        }
        return true;
    }
}
