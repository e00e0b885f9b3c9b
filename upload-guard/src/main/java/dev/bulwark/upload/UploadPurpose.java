package dev.bulwark.upload;

import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeType;
import org.apache.tika.mime.MimeTypeException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one kind of upload may contain: an allowlist of content types (each with the file extensions and declared
 * types that may accompany it), a size limit, archive limits and the PDF features it tolerates. Immutable.
 *
 * <p>Executables, scripts, HTML/XHTML and compressed formats the guard cannot inspect can never be allowlisted:
 * {@link Builder#allow} refuses them.
 */
public final class UploadPurpose {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final long MIB = 1L << 20;

    /** One allowlisted type with the extensions and declared types accepted with it. */
    public record AllowedType(MediaType type, Set<String> extensions, Set<MediaType> declaredTypes) {
        public AllowedType {
            extensions = Set.copyOf(extensions);
            declaredTypes = Set.copyOf(declaredTypes);
        }
    }

    private final String name;
    private final Map<MediaType, AllowedType> allowed;
    private final long maxBytes;
    private final ArchiveLimits archiveLimits;
    private final boolean pdfJavaScriptAllowed;
    private final boolean pdfEmbeddedFilesAllowed;

    private UploadPurpose(Builder b) {
        this.name = b.name;
        this.allowed = Collections.unmodifiableMap(new LinkedHashMap<>(b.allowed));
        this.maxBytes = b.maxBytes;
        this.archiveLimits = b.archiveLimits;
        this.pdfJavaScriptAllowed = b.pdfJavaScriptAllowed;
        this.pdfEmbeddedFilesAllowed = b.pdfEmbeddedFilesAllowed;
    }

    /** Photos and pictures: PNG, JPEG, WebP, GIF; 20 MiB. */
    public static UploadPurpose images() {
        return builder("images").allow(ContentTypes.PNG).allow(ContentTypes.JPEG).allow(ContentTypes.WEBP)
                .allow(ContentTypes.GIF).maxBytes(20 * MIB).build();
    }

    /** Documents: PDF without JavaScript or embedded files; 50 MiB. */
    public static UploadPurpose documents() {
        return builder("documents").allow(ContentTypes.PDF).maxBytes(50 * MIB).build();
    }

    /** Files attached to records (e.g. a booking or invoice): the images, PDF, plain text and CSV; 50 MiB. */
    public static UploadPurpose attachments() {
        return builder("attachments").allow(ContentTypes.PNG).allow(ContentTypes.JPEG).allow(ContentTypes.WEBP)
                .allow(ContentTypes.GIF).allow(ContentTypes.PDF).allow(ContentTypes.TEXT).allow(ContentTypes.CSV)
                .maxBytes(50 * MIB).build();
    }

    /** Spreadsheet exports for import (e.g. customers): CSV, 10 MiB. Tolerates the declared types spreadsheet tools send. */
    public static UploadPurpose csvImport() {
        return builder("csv-import")
                .allow(ContentTypes.CSV, Set.of("csv"), Set.of("application/vnd.ms-excel", "application/csv", "text/plain"))
                .maxBytes(10 * MIB).build();
    }

    /** The purposes a guard has unless configured otherwise. */
    public static List<UploadPurpose> defaults() {
        return List.of(images(), documents(), attachments(), csvImport());
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public Map<MediaType, AllowedType> allowedTypes() {
        return allowed;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public ArchiveLimits archiveLimits() {
        return archiveLimits;
    }

    public boolean pdfJavaScriptAllowed() {
        return pdfJavaScriptAllowed;
    }

    public boolean pdfEmbeddedFilesAllowed() {
        return pdfEmbeddedFilesAllowed;
    }

    @Override
    public String toString() {
        return "UploadPurpose[" + name + ", " + allowed.keySet() + ", max " + maxBytes + " bytes]";
    }

    public static final class Builder {
        private final String name;
        private final Map<MediaType, AllowedType> allowed = new LinkedHashMap<>();
        private long maxBytes = 10 * MIB;
        private ArchiveLimits archiveLimits = ArchiveLimits.defaults();
        private boolean pdfJavaScriptAllowed;
        private boolean pdfEmbeddedFilesAllowed;

        private Builder(String name) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("purpose name must match " + NAME.pattern());
            }
            this.name = name;
        }

        /** Allows a type with Tika's known extensions for it (our shorter list for common types). */
        public Builder allow(MediaType type) {
            return allow(type, defaultExtensions(type), Set.of());
        }

        /** Allows a type (e.g. {@code "image/png"}) with Tika's known extensions for it. */
        public Builder allow(String type) {
            return allow(requireType(type));
        }

        /**
         * Allows a type with exactly these extensions (without dot, case-insensitive), and additionally tolerates
         * these declared content types (e.g. what a browser or spreadsheet tool sends for it).
         */
        public Builder allow(MediaType type, Set<String> extensions, Set<String> extraDeclaredTypes) {
            MediaType t = ContentTypes.REGISTRY.normalize(Objects.requireNonNull(type, "type").getBaseType());
            if (ContentTypes.isExecutable(t)) {
                throw new IllegalArgumentException(t + " is executable code or a script and cannot be allowlisted");
            }
            if (ContentTypes.isHtml(t)) {
                throw new IllegalArgumentException(t + " is HTML and cannot be allowlisted");
            }
            if (ContentTypes.isUninspectableArchive(t)) {
                throw new IllegalArgumentException(t + " is a compressed format the guard cannot inspect for bombs");
            }
            if (t.equals(MediaType.OCTET_STREAM)) {
                throw new IllegalArgumentException("application/octet-stream means 'unknown content' and cannot be allowlisted");
            }
            if (extensions.isEmpty()) throw new IllegalArgumentException("at least one extension is needed for " + t);
            Set<String> ext = new LinkedHashSet<>();
            for (String e : extensions) {
                String x = e.startsWith(".") ? e.substring(1) : e;
                if (x.isEmpty()) throw new IllegalArgumentException("empty extension for " + t);
                ext.add(x.toLowerCase(Locale.ROOT));
            }
            Set<MediaType> declared = new LinkedHashSet<>();
            declared.add(t);
            for (String d : extraDeclaredTypes) declared.add(requireType(d));
            allowed.put(t, new AllowedType(t, ext, declared));
            return this;
        }

        /** Size limit in bytes; the stream is cut off one byte past it. */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder archiveLimits(ArchiveLimits limits) {
            this.archiveLimits = Objects.requireNonNull(limits);
            return this;
        }

        /** Accept PDFs with JavaScript (off by default). */
        public Builder allowPdfJavaScript() {
            this.pdfJavaScriptAllowed = true;
            return this;
        }

        /** Accept PDFs with embedded files or file attachments (off by default). */
        public Builder allowPdfEmbeddedFiles() {
            this.pdfEmbeddedFilesAllowed = true;
            return this;
        }

        public UploadPurpose build() {
            if (allowed.isEmpty()) throw new IllegalStateException("purpose " + name + " allows no type");
            return new UploadPurpose(this);
        }

        private static MediaType requireType(String type) {
            MediaType t = ContentTypes.parseBase(type);
            if (t == null) throw new IllegalArgumentException("not a media type: " + type);
            return t;
        }

        private static Set<String> defaultExtensions(MediaType type) {
            String t = type.getBaseType().toString();
            switch (t) {
                case "image/jpeg": return Set.of("jpg", "jpeg", "jfif", "jpe");
                case "image/png": return Set.of("png");
                case "image/gif": return Set.of("gif");
                case "image/webp": return Set.of("webp");
                case "image/svg+xml": return Set.of("svg");
                case "application/pdf": return Set.of("pdf");
                case "text/plain": return Set.of("txt", "text");
                case "text/csv": return Set.of("csv");
                case "application/zip": return Set.of("zip");
                default:
                    try {
                        MimeType mt = ContentTypes.MIME_TYPES.forName(t);
                        Set<String> out = new LinkedHashSet<>();
                        for (String e : mt.getExtensions()) out.add(e.substring(1).toLowerCase(Locale.ROOT));
                        if (out.isEmpty()) throw new IllegalArgumentException("no known extension for " + t + "; name them");
                        return out;
                    } catch (MimeTypeException e) {
                        throw new IllegalArgumentException("unknown media type " + t, e);
                    }
            }
        }
    }
}
