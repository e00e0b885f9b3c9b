package dev.bulwark.upload;

import java.util.Objects;

/**
 * An upload was refused. {@link #reason()} says why in a form a program can act on (e.g. map to an HTTP 415 or
 * 413); the message says it for a person. Neither contains file content.
 *
 * <p>No stack trace is captured: a rejection is an expected outcome, and hostile uploads must stay cheap to refuse.
 */
public final class UploadRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an upload was refused. */
    public enum Reason {
        /** The request names a purpose the guard was not configured with. */
        UNKNOWN_PURPOSE("the upload purpose is not configured"),
        /** The file name is empty, not valid Unicode, uses characters that are invalid in file names, or ends with a dot or space. */
        NAME_INVALID("the file name is empty or contains characters that are not allowed in file names"),
        /** The file name contains a path separator or is a relative path component ("..", "."). */
        NAME_PATH_TRAVERSAL("the file name contains a path (separators or '..'); send only the file's own name"),
        /** The file name contains control characters (C0, C1, DEL, line or paragraph separators). */
        NAME_CONTROL_CHARACTER("the file name contains control characters"),
        /** The file name contains Unicode bidirectional controls that can disguise its real extension. */
        NAME_BIDI_OVERRIDE("the file name contains Unicode bidirectional control characters"),
        /** The file name is a reserved device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9). */
        NAME_RESERVED_DEVICE("the file name is a reserved device name"),
        /** The file name is longer than 255 characters or 255 UTF-8 bytes. */
        NAME_TOO_LONG("the file name is too long (at most 255 characters and 255 UTF-8 bytes)"),
        /** The stream held no bytes. */
        EMPTY_FILE("the file is empty"),
        /** The stream is longer than the purpose's size limit (reading stopped one byte past the limit). */
        TOO_LARGE("the file is larger than this upload purpose allows"),
        /** Executable code or a script (ELF, PE, Mach-O, Java class/JAR, shebang scripts, ...), whatever its name. */
        EXECUTABLE_CONTENT("the file contains executable code or a script"),
        /** HTML or XHTML (or markup that browsers would treat as HTML inside a text file). */
        HTML_CONTENT("the file contains HTML, which is never accepted as an upload"),
        /** An SVG with scripts, event handler attributes, javascript: URLs, external references or a DTD. */
        SVG_ACTIVE_CONTENT("the SVG contains scripts, event handlers, javascript: URLs, external references or a DTD"),
        /** Content that is valid as two types, e.g. an image with an archive or HTML embedded or appended. */
        POLYGLOT("the file is also readable as another type (an archive or HTML is embedded or appended)"),
        /** A PDF with JavaScript (a JavaScript action or name tree) while the purpose does not allow it. */
        PDF_JAVASCRIPT("the PDF contains JavaScript"),
        /** A PDF with embedded files or file attachments while the purpose does not allow them. */
        PDF_EMBEDDED_FILE("the PDF contains embedded files or file attachments"),
        /** A PDF with a Launch or RichMedia action, which is never accepted. */
        PDF_ACTIVE_CONTENT("the PDF contains a Launch or RichMedia action"),
        /** An archive with more entries than allowed. */
        ARCHIVE_TOO_MANY_ENTRIES("the archive has too many entries"),
        /** An archive (counting nested archives) that expands beyond the allowed total size. */
        ARCHIVE_TOO_LARGE("the archive expands beyond the allowed total size"),
        /** An archive (counting nested archives) that expands more than the allowed ratio: a compression bomb. */
        ARCHIVE_RATIO_EXCEEDED("the archive expands far more than ordinary files do (compression bomb)"),
        /** Archives nested deeper than allowed. */
        ARCHIVE_NESTED_TOO_DEEP("the archive contains archives nested too deeply"),
        /** An archive entry whose name is an absolute path, traverses upwards or holds control characters. */
        ARCHIVE_UNSAFE_ENTRY_NAME("an archive entry has an unsafe path (absolute, '..' or control characters)"),
        /** The archive cannot be read as a whole (corrupt, encrypted entries, unsupported layout). */
        ARCHIVE_MALFORMED("the archive is corrupt, encrypted or uses an unsupported layout"),
        /** The detected type is not in the purpose's allowlist. */
        TYPE_NOT_ALLOWED("this type of file is not accepted for this upload purpose"),
        /** The declared content type is missing or does not agree with the type detected from the content. */
        DECLARED_TYPE_MISMATCH("the declared content type does not match the file's content"),
        /** The file's extension is missing or does not agree with the type detected from the content. */
        EXTENSION_MISMATCH("the file extension does not match the file's content"),
        /** The content does not have the structure its type requires (truncated, missing end marker, not well-formed). */
        MALFORMED_CONTENT("the file is truncated or not well-formed for its type"),
        /** The configured scanner (e.g. an antivirus) reported a threat. */
        MALWARE_DETECTED("the file was flagged by the malware scanner"),
        /** The configured scanner failed or gave no answer; uploads fail closed. */
        SCANNER_FAILED("the malware scanner could not check the file");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** A human sentence for this reason, safe to show to the uploader. */
        public String description() {
            return description;
        }
    }

    private final Reason reason;

    UploadRejected(Reason reason) {
        this(reason, reason.description());
    }

    UploadRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
