package dev.bulwark.upload;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.bulwark.upload.Fixtures.*;
import static dev.bulwark.upload.UploadRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Files must end where their format ends: WebP RIFF size, PDF %%EOF, ZIP end record (with its comment). */
class FileEndingTest {
    private static final String WS = "ws-endings";
    @TempDir
    static Path dir;
    static UploadGuard guard;

    @BeforeAll
    static void setUp() {
        guard = guard(keyring(WS), dir, new InMemoryUploadMetadataStore());
    }

    static UploadRejected.Reason rejection(String purpose, String name, String declared, byte[] content) {
        try {
            CheckedUpload checked = guard.check(UploadRequest.of(WS, purpose, name, declared), new ByteArrayInputStream(content));
            assertThat(checked.size()).isEqualTo(content.length);
            return null;
        } catch (UploadRejected r) {
            return r.reason();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The fixture WebP with one more (unknown, so ignored by decoders) chunk of {@code extraLength} bytes, padded to
     * an even length as RIFF requires. {@code riffCountsPad}: whether the RIFF size includes that final pad byte.
     */
    static byte[] webpWithExtraChunk(int extraLength, boolean riffCountsPad) {
        byte[] base = webp();
        byte[] chunks = Arrays.copyOfRange(base, 12, base.length);
        byte[] extra = concat(ascii("XTRA"), le32(extraLength), new byte[extraLength + (extraLength & 1)]);
        byte[] body = concat(ascii("WEBP"), chunks, extra);
        int riff = riffCountsPad ? body.length : body.length - (extraLength & 1);
        return concat(ascii("RIFF"), le32(riff), body);
    }

    @Test
    void webpWhoseRiffSizeMatchesTheFileIsAcceptedWithOrWithoutTheFinalPadByte() {
        assertThat(rejection("images", "a.webp", "image/webp", webpWithExtraChunk(3, true))).isNull();
        // some writers leave the final pad byte out of the RIFF size
        assertThat(rejection("images", "a.webp", "image/webp", webpWithExtraChunk(3, false))).isNull();
    }

    @Test
    void webpWithDataAppendedOrCutOffIsMalformed() {
        byte[] webp = webpWithExtraChunk(4, true);
        assertThat(rejection("images", "a.webp", "image/webp", concat(webp, new byte[1]))).isEqualTo(MALFORMED_CONTENT);
        assertThat(rejection("images", "a.webp", "image/webp", concat(webp, new byte[2]))).isEqualTo(MALFORMED_CONTENT);
        assertThat(rejection("images", "a.webp", "image/webp", Arrays.copyOf(webp, webp.length - 1))).isEqualTo(MALFORMED_CONTENT);
        byte[] odd = webpWithExtraChunk(3, false);
        assertThat(rejection("images", "a.webp", "image/webp", concat(odd, new byte[1]))).isEqualTo(MALFORMED_CONTENT);
    }

    @Test
    void webpLargerThan16MiBIsMeasuredByItsFull32BitRiffSize() {
        byte[] big = webpWithExtraChunk((16 << 20) + 70_001, true);
        assertThat(big.length).isGreaterThan(1 << 24);
        assertThat(rejection("images", "big.webp", "image/webp", big)).isNull();
        assertThat(rejection("images", "big.webp", "image/webp", Arrays.copyOf(big, big.length - 2))).isEqualTo(MALFORMED_CONTENT);
    }

    @Test
    void pdfMayEndWithWhitespaceAfterEofButWithNothingElse() {
        byte[] pdf = validPdf();
        byte[] withoutNewline = Arrays.copyOf(pdf, pdf.length - 1);
        assertThat(new String(withoutNewline, java.nio.charset.StandardCharsets.ISO_8859_1)).endsWith("%%EOF");
        assertThat(rejection("documents", "a.pdf", "application/pdf", withoutNewline)).isNull();
        assertThat(rejection("documents", "a.pdf", "application/pdf", concat(withoutNewline, ascii("\r\n \t\f\u0000\n")))).isNull();
        assertThat(rejection("documents", "a.pdf", "application/pdf", concat(pdf, ascii("junk\n")))).isEqualTo(MALFORMED_CONTENT);
        assertThat(rejection("documents", "a.pdf", "application/pdf", Arrays.copyOf(pdf, pdf.length - 2))).isEqualTo(MALFORMED_CONTENT);
        assertThat(rejection("documents", "a.pdf", "application/pdf", concat(Arrays.copyOf(pdf, pdf.length - 6),
                ascii("%%EOX\n")))).isEqualTo(MALFORMED_CONTENT);
    }

    /** A ZIP whose end record declares a comment of {@code declared} bytes, followed by {@code actual} bytes of comment. */
    static byte[] zipWithComment(int declared, int actual) {
        byte[] zip = zipOf("readme.txt", text("hello archive"));
        byte[] comment = new byte[actual];
        Arrays.fill(comment, (byte) 'c');
        return concat(Arrays.copyOf(zip, zip.length - 2), le16(declared), comment);
    }

    @Test
    void archiveMayEndWithACommentOfExactlyTheDeclaredLength() {
        assertThat(rejection("archives", "a.zip", "application/zip", zipWithComment(300, 300))).isNull();
        assertThat(rejection("archives", "a.zip", "application/zip", zipWithComment(300, 301))).isEqualTo(MALFORMED_CONTENT);
        assertThat(rejection("archives", "a.zip", "application/zip", zipWithComment(300, 299))).isEqualTo(MALFORMED_CONTENT);
        assertThat(rejection("archives", "a.zip", "application/zip", zipWithComment(44, 300))).isEqualTo(MALFORMED_CONTENT);
    }

    @Test
    void imageWithAnArchiveAppendedIsAPolyglotEvenWhenTheArchiveHasAComment() {
        assertThat(rejection("images", "a.jpg", "image/jpeg", concat(jpeg(), zipWithComment(300, 300)))).isEqualTo(POLYGLOT);
        assertThat(rejection("images", "a.png", "image/png", concat(png(), zipWithComment(2, 2)))).isEqualTo(POLYGLOT);
    }
}
