package dev.bulwark.upload;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;

import javax.xml.stream.XMLStreamException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/**
 * One pass over an upload: detect the type from the first bytes, check it against the purpose, then stream the rest
 * through the type's structural reader and the scanners while it is copied to the sink.
 */
final class Inspection {
    /** Tika's magic needs at most this much (MimeTypes.getMinLength()). */
    static final int HEAD_BYTES = 64 * 1024;

    private Inspection() {}

    static CheckedUpload run(UploadPurpose purpose, FileNames.SafeName name, String declaredType, InputStream source,
                             OutputStream sink) throws UploadRejected, IOException {
        TeeInput tee = new TeeInput(source, sink, purpose.maxBytes());
        PdfScanner pdf = null;
        try {
            byte[] head = tee.readNBytes(HEAD_BYTES);
            if (head.length == 0) throw new UploadRejected(UploadRejected.Reason.EMPTY_FILE);

            MediaType detected = detect(head);
            if (looksExecutable(head) || ContentTypes.isExecutable(detected)) {
                throw new UploadRejected(UploadRejected.Reason.EXECUTABLE_CONTENT);
            }
            if (ContentTypes.isHtml(detected)) throw new UploadRejected(UploadRejected.Reason.HTML_CONTENT);
            UploadPurpose.AllowedType allowed = choose(purpose, detected, declaredType, name);
            MediaType type = allowed.type();

            boolean svg = type.equals(ContentTypes.SVG);
            boolean zip = ContentTypes.isZipFamily(type);
            boolean text = ContentTypes.isText(type);
            if (!svg) {
                MarkupScanner markup = new MarkupScanner(text ? UploadRejected.Reason.HTML_CONTENT : UploadRejected.Reason.POLYGLOT);
                markup.accept(head, 0, head.length);
                if (markup.rejection() != null) throw markup.rejection();
                tee.observe(markup);
            }
            if (type.equals(ContentTypes.PDF)) {
                pdf = new PdfScanner(purpose.pdfJavaScriptAllowed(), purpose.pdfEmbeddedFilesAllowed(),
                        purpose.archiveLimits().maxExpandedBytes());
                pdf.accept(head, 0, head.length);
                if (pdf.rejection() != null) throw pdf.rejection();
                tee.observe(pdf);
            }

            InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), tee);
            try {
                if (zip) {
                    new ArchiveInspector(purpose.archiveLimits(), tee::count).inspect(whole);
                } else if (svg) {
                    SvgInspector.inspect(whole);
                }
                tee.drain();
            } catch (ArchiveInspector.Refused refused) {
                throw firstOf(tee, refused.rejection);
            } catch (XMLStreamException | IOException | RuntimeException e) {
                // ZIP and XML readers wrap or translate failures underneath; sort out whose failure it was.
                rethrowStreamFailure(tee, e);
                throw firstOf(tee, new UploadRejected(zip ? UploadRejected.Reason.ARCHIVE_MALFORMED
                        : UploadRejected.Reason.MALFORMED_CONTENT));
            }
            if (tee.observerRejection() != null) throw tee.observerRejection();

            byte[] tail = tee.tail();
            if (!zip && Trailers.endsWithZipDirectory(tail)) {
                throw new UploadRejected(UploadRejected.Reason.POLYGLOT,
                        "the file ends with a ZIP archive directory (an archive is appended)");
            }
            String trailerProblem = Trailers.check(type, head, tail, tee.count());
            if (trailerProblem != null) throw new UploadRejected(UploadRejected.Reason.MALFORMED_CONTENT, trailerProblem);
            return new CheckedUpload(purpose.name(), type, tee.count(), name);
        } catch (TeeInput.Stop stop) {
            throw firstOf(tee, null);
        } finally {
            if (pdf != null) pdf.finish();
        }
    }

    /** The rejection the tee's state explains (size limit, scanner finding), else {@code fallback}. */
    private static UploadRejected firstOf(TeeInput tee, UploadRejected fallback) {
        if (tee.limitExceeded()) return new UploadRejected(UploadRejected.Reason.TOO_LARGE);
        if (tee.observerRejection() != null) return tee.observerRejection();
        if (fallback == null) throw new IllegalStateException("reading stopped without a recorded reason");
        return fallback;
    }

    /** If the caller's stream or the sink failed, that failure is the answer, not a format problem. */
    private static void rethrowStreamFailure(TeeInput tee, Exception e) throws IOException {
        if (tee.sourceFailure() != null) throw tee.sourceFailure();
        if (tee.sinkFailure() != null) throw tee.sinkFailure();
    }

    static MediaType detect(byte[] head) {
        try {
            MediaType t = ContentTypes.MIME_TYPES.detect(new ByteArrayInputStream(head), new Metadata());
            return t == null ? MediaType.OCTET_STREAM : ContentTypes.REGISTRY.normalize(t.getBaseType());
        } catch (IOException | RuntimeException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    /** Executable and script signatures, independent of what Tika calls them. */
    static boolean looksExecutable(byte[] h) {
        if (h.length >= 2 && h[0] == '#' && h[1] == '!') return true;                   // shebang script
        if (h.length >= 2 && h[0] == 'M' && h[1] == 'Z') return true;                   // DOS/PE
        if (h.length >= 4) {
            int m = ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
            return m == 0x7F454C46                                                       // ELF
                    || m == 0xFEEDFACE || m == 0xFEEDFACF || m == 0xCEFAEDFE || m == 0xCFFAEDFE // Mach-O
                    || m == 0xCAFEBABE                                                   // Java class / fat Mach-O
                    || m == 0x0061736D;                                                  // WebAssembly
        }
        return false;
    }

    private static UploadPurpose.AllowedType choose(UploadPurpose purpose, MediaType detected, String declaredType,
                                                    FileNames.SafeName name) throws UploadRejected {
        UploadPurpose.AllowedType candidate = null;
        boolean anyCandidate = false;
        MediaType declared = ContentTypes.parseBase(declaredType);
        if (!detected.equals(MediaType.OCTET_STREAM)) {
            for (UploadPurpose.AllowedType a : purpose.allowedTypes().values()) {
                // the declared type may refine a generic detection (text/plain -> text/csv), never change family
                if (!ContentTypes.inherits(a.type(), detected)) continue;
                anyCandidate = true;
                if (declared != null && a.declaredTypes().contains(declared)) {
                    if (candidate == null || a.type().equals(detected)) candidate = a;
                }
            }
        }
        if (!anyCandidate) {
            throw new UploadRejected(UploadRejected.Reason.TYPE_NOT_ALLOWED, "content of type " + detected
                    + " is not accepted for purpose '" + purpose.name() + "' (accepted: " + purpose.allowedTypes().keySet() + ")");
        }
        if (candidate == null) {
            throw new UploadRejected(UploadRejected.Reason.DECLARED_TYPE_MISMATCH, declared == null
                    ? "the upload has no valid declared content type"
                    : "the declared content type " + declared + " does not match the content (" + detected + ")");
        }
        if (!candidate.extensions().contains(name.extension())) {
            throw new UploadRejected(UploadRejected.Reason.EXTENSION_MISMATCH, "a file of type " + candidate.type()
                    + " must have one of the extensions " + candidate.extensions());
        }
        return candidate;
    }

    static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
