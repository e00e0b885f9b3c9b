package dev.bulwark.upload;

import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

import java.util.Locale;
import java.util.Set;

/** The media type knowledge the guard relies on: Tika's registry plus the classes of types it never accepts. */
final class ContentTypes {
    static final MimeTypes MIME_TYPES = MimeTypes.getDefaultMimeTypes();
    static final MediaTypeRegistry REGISTRY = MIME_TYPES.getMediaTypeRegistry();

    static final MediaType PNG = MediaType.image("png");
    static final MediaType JPEG = MediaType.image("jpeg");
    static final MediaType GIF = MediaType.image("gif");
    static final MediaType WEBP = MediaType.image("webp");
    static final MediaType SVG = MediaType.image("svg+xml");
    static final MediaType PDF = MediaType.application("pdf");
    static final MediaType ZIP = MediaType.application("zip");
    static final MediaType TEXT = MediaType.TEXT_PLAIN;
    static final MediaType CSV = MediaType.text("csv");

    private static final Set<String> EXECUTABLE = Set.of(
            "application/x-executable", "application/x-elf", "application/x-sharedlib", "application/x-object",
            "application/x-coredump", "application/x-msdownload", "application/x-dosexec", "application/x-ms-installer",
            "application/x-msi", "application/vnd.microsoft.portable-executable", "application/x-mach-o",
            "application/java-archive", "application/java-vm", "application/x-java-jnlp-file",
            "application/vnd.android.package-archive", "application/x-apple-diskimage", "application/x-ms-shortcut",
            "application/hta", "application/wasm", "application/x-sh", "application/x-csh", "application/x-bat",
            "application/x-msdos-program", "application/javascript", "application/x-javascript", "text/javascript",
            "application/ecmascript", "text/ecmascript", "text/x-python", "text/x-perl", "text/x-php",
            "application/x-php", "application/x-httpd-php", "text/x-ruby", "application/x-ruby", "text/x-vbscript",
            "text/x-vbasic", "application/x-powershell", "text/x-tcl", "application/x-tcl", "text/x-lua");

    private static final Set<String> HTML = Set.of(
            "text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml", "text/x-server-parsed-html",
            "application/x-mimearchive", "multipart/related", "message/rfc822", "application/x-webarchive");

    /** Compressed containers the guard cannot inflate for bomb checks: they may never be allowlisted. */
    private static final Set<String> UNINSPECTABLE = Set.of(
            "application/gzip", "application/x-gzip", "application/x-7z-compressed", "application/x-rar-compressed",
            "application/vnd.rar", "application/x-bzip", "application/x-bzip2", "application/x-xz", "application/zstd",
            "application/x-lzma", "application/x-lzip", "application/vnd.ms-cab-compressed", "application/x-compress",
            "application/x-lz4", "application/x-brotli", "application/x-arj", "application/x-lha", "application/x-ace-compressed");

    private ContentTypes() {}

    static MediaType parseBase(String value) {
        if (value == null || value.isBlank() || value.length() > 255) return null;
        MediaType t = MediaType.parse(value.trim().toLowerCase(Locale.ROOT));
        return t == null ? null : REGISTRY.normalize(t.getBaseType());
    }

    static boolean isExecutable(MediaType type) {
        return matchesOrInherits(type, EXECUTABLE) || type.toString().startsWith("application/x-mach-o");
    }

    static boolean isHtml(MediaType type) {
        return matchesOrInherits(type, HTML);
    }

    static boolean isUninspectableArchive(MediaType type) {
        return matchesOrInherits(type, UNINSPECTABLE);
    }

    static boolean isZipFamily(MediaType type) {
        return inherits(type, ZIP);
    }

    static boolean isText(MediaType type) {
        return inherits(type, TEXT);
    }

    /** Whether {@code type} is {@code ancestor} or a specialisation of it in Tika's registry. */
    static boolean inherits(MediaType type, MediaType ancestor) {
        MediaType t = type;
        for (int guard = 0; t != null && guard < 32; guard++) {
            if (t.equals(ancestor)) return true;
            t = REGISTRY.getSupertype(t);
        }
        return false;
    }

    private static boolean matchesOrInherits(MediaType type, Set<String> names) {
        MediaType t = type;
        for (int guard = 0; t != null && guard < 32; guard++) {
            if (names.contains(t.getBaseType().toString())) return true;
            t = REGISTRY.getSupertype(t);
        }
        return false;
    }
}
