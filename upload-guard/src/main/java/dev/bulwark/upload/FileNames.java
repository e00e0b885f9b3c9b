package dev.bulwark.upload;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Rules for the names users give their files. An original name is only ever kept as display metadata (storage
 * names are random {@link BlobId}s), but a hostile name can still hurt whoever later saves, lists or opens the file,
 * so names that try path traversal, control characters, bidi tricks, device names or excessive length are refused
 * rather than silently rewritten.
 */
public final class FileNames {
    /** Longest accepted name, in characters and in UTF-8 bytes (the common file system limit). */
    public static final int MAX_LENGTH = 255;

    private static final Set<String> RESERVED_DEVICES = Set.of(
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "COM\u00B9", "COM\u00B2", "COM\u00B3",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            "LPT\u00B9", "LPT\u00B2", "LPT\u00B3");

    private FileNames() {}

    /** A name that passed {@link #check(String)}: NFC-normalised display form and lower-case extension. */
    public record SafeName(String displayName, String extension) {
        /** The extension with its dot ({@code ".png"}), or the empty string when the name has none. */
        public String dottedExtension() {
            return extension.isEmpty() ? "" : "." + extension;
        }
    }

    /**
     * Validates an uploaded file's original name.
     *
     * @throws UploadRejected with a {@code NAME_*} reason when the name is unsafe
     */
    public static SafeName check(String original) throws UploadRejected {
        if (original == null || original.isBlank()) {
            throw new UploadRejected(UploadRejected.Reason.NAME_INVALID, "the file name is empty");
        }
        // Length is checked first and on the raw input so an enormous name costs nothing further.
        if (original.length() > MAX_LENGTH) {
            throw new UploadRejected(UploadRejected.Reason.NAME_TOO_LONG);
        }
        for (int i = 0; i < original.length(); i++) {
            char c = original.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= original.length() || !Character.isLowSurrogate(original.charAt(i + 1))) {
                    throw new UploadRejected(UploadRejected.Reason.NAME_INVALID, "the file name is not valid Unicode");
                }
                i++;
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw new UploadRejected(UploadRejected.Reason.NAME_INVALID, "the file name is not valid Unicode");
            }
            if (isControl(c)) throw new UploadRejected(UploadRejected.Reason.NAME_CONTROL_CHARACTER);
            if (isBidiControl(c)) throw new UploadRejected(UploadRejected.Reason.NAME_BIDI_OVERRIDE);
        }
        String nfc = Normalizer.normalize(original, Normalizer.Form.NFC);
        if (nfc.length() > MAX_LENGTH || nfc.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new UploadRejected(UploadRejected.Reason.NAME_TOO_LONG);
        }
        // Compatibility forms fold look-alikes (fullwidth solidus, etc.) onto the characters file systems act on.
        String folded = Normalizer.normalize(nfc, Normalizer.Form.NFKC);
        if (hasSeparator(nfc) || hasSeparator(folded) || nfc.equals(".") || nfc.equals("..")) {
            throw new UploadRejected(UploadRejected.Reason.NAME_PATH_TRAVERSAL);
        }
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if ("<>:\"|?*".indexOf(c) >= 0) {
                throw new UploadRejected(UploadRejected.Reason.NAME_INVALID,
                        "the file name contains a character that is not allowed in file names (< > : \" | ? *)");
            }
        }
        char last = nfc.charAt(nfc.length() - 1);
        if (last == '.' || last == ' ') {
            throw new UploadRejected(UploadRejected.Reason.NAME_INVALID, "the file name ends with a dot or a space");
        }
        if (isReservedDevice(folded)) throw new UploadRejected(UploadRejected.Reason.NAME_RESERVED_DEVICE);

        int dot = nfc.lastIndexOf('.');
        String extension = dot < 0 ? "" : nfc.substring(dot + 1).toLowerCase(Locale.ROOT);
        return new SafeName(nfc, extension);
    }

    /** Whether an archive entry path is unsafe to extract: absolute, drive-qualified, traversing or with controls. */
    static boolean isUnsafeArchivePath(String path) {
        if (path == null || path.isEmpty() || path.length() > 4096) return true;
        String p = Normalizer.normalize(path, Normalizer.Form.NFKC).replace('\\', '/');
        if (p.startsWith("/") || (p.length() > 1 && p.charAt(1) == ':')) return true;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (isControl(c) || isBidiControl(c)) return true;
        }
        for (String segment : p.split("/", -1)) {
            if (segment.equals("..")) return true;
        }
        return false;
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }

    static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    private static boolean hasSeparator(String s) {
        return s.indexOf('/') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\u2215') >= 0 || s.indexOf('\u2044') >= 0
                || s.indexOf('\u29F8') >= 0 || s.indexOf('\uFF3C') >= 0 || s.indexOf('\uFF0F') >= 0;
    }

    private static boolean isReservedDevice(String name) {
        // Windows ignores everything from the first dot and trailing spaces: "con .txt" and "NUL.tar.gz" are devices.
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).stripTrailing().toUpperCase(Locale.ROOT);
        return RESERVED_DEVICES.contains(stem);
    }
}
