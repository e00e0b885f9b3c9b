package dev.bulwark.upload;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import static dev.bulwark.upload.Fixtures.*;
import static dev.bulwark.upload.UploadRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The streaming scanners whatever the read sizes: executable magic, markup in text and images, active PDF names. */
class ContentScanTest {
    private static final String WS = "ws-scan";
    @TempDir
    static Path dir;
    static UploadGuard guard;

    @BeforeAll
    static void setUp() {
        guard = guard(keyring(WS), dir, new InMemoryUploadMetadataStore());
    }

    /** A client that sends its bytes a few at a time, so markers straddle reads. */
    static InputStream trickle(byte[] content, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    static UploadRejected.Reason rejection(String purpose, String name, String declared, InputStream content) {
        try {
            guard.check(UploadRequest.of(WS, purpose, name, declared), content);
            return null;
        } catch (UploadRejected r) {
            return r.reason();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static UploadRejected.Reason rejection(String purpose, String name, String declared, byte[] content) {
        return rejection(purpose, name, declared, new ByteArrayInputStream(content));
    }

    @Test
    void executableMagicIsRefusedWhateverTheNameOrTheRestOfTheFile() {
        byte[][] magics = {ascii("#!"), ascii("MZ"), {0x7F, 'E', 'L', 'F'}, {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE},
                {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCF}, {(byte) 0xCE, (byte) 0xFA, (byte) 0xED, (byte) 0xFE},
                {(byte) 0xCF, (byte) 0xFA, (byte) 0xED, (byte) 0xFE}, {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE},
                {0, 'a', 's', 'm'}};
        for (byte[] magic : magics) {
            assertThat(rejection("attachments", "notes.txt", "text/plain", magic)).as(java.util.HexFormat.of().formatHex(magic))
                    .isEqualTo(EXECUTABLE_CONTENT);
            assertThat(rejection("attachments", "notes.txt", "text/plain", concat(magic, text("just text\n"))))
                    .isEqualTo(EXECUTABLE_CONTENT);
        }
        // the same bytes later in a file are not a signature
        assertThat(rejection("attachments", "notes.txt", "text/plain", text("see #! and MZ and ELF\n"))).isNull();
        assertThat(rejection("attachments", "notes.txt", "text/plain", text("#"))).isNull();
    }

    @Test
    void markupIsFoundWhenItStraddlesReadsAndLiesBeyondTheFirst64KiB() {
        byte[] padding = text("x".repeat(70_000) + "\n");
        for (String marker : new String[] {"<ScRiPt>", "<<script>", "<meta http-equiv=\"refresh\">", "<?php echo 1; ?>",
                "<IFRAME src=x>", "<!DOCTYPE html>"}) {
            byte[] content = concat(padding, text(marker));
            assertThat(rejection("attachments", "a.txt", "text/plain", trickle(content, 3))).as(marker).isEqualTo(HTML_CONTENT);
            assertThat(rejection("attachments", "a.txt", "text/plain", trickle(text("hello\n" + marker + "\nbye\n"), 1)))
                    .as(marker).isEqualTo(HTML_CONTENT);
        }
    }

    @Test
    void lookAlikesOfMarkupAreOrdinaryTextButTagNamePrefixesAreNot() {
        for (String s : new String[] {"a < script", "<scrip t>", "1 <2 and 3> 2", "<<>>", "<b>bold</b>"}) {
            assertThat(rejection("attachments", "a.txt", "text/plain", trickle(text(s + "\n"), 2))).as(s).isNull();
        }
        // the scanner is deliberately conservative: a longer tag name that starts like a marker is refused
        for (String s : new String[] {"<scripted>", "<bodyguard>", "<html5>"}) {
            assertThat(rejection("attachments", "a.txt", "text/plain", trickle(text(s + "\n"), 2))).as(s).isEqualTo(HTML_CONTENT);
        }
    }

    @Test
    void scriptInsideAnImageIsAPolyglot() {
        byte[] png = png();
        // insert a tEXt chunk before IEND (the last 12 bytes)
        byte[] payload = text("Comment\u0000<svg onload=alert(1)>");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ascii("tEXt"));
        crc.update(payload);
        byte[] chunk = concat(new byte[] {0, 0, 0, (byte) payload.length}, ascii("tEXt"), payload,
                new byte[] {(byte) (crc.getValue() >>> 24), (byte) (crc.getValue() >>> 16), (byte) (crc.getValue() >>> 8), (byte) crc.getValue()});
        byte[] polyglot = concat(java.util.Arrays.copyOf(png, png.length - 12), chunk,
                java.util.Arrays.copyOfRange(png, png.length - 12, png.length));
        assertThat(rejection("images", "a.png", "image/png", trickle(polyglot, 5))).isEqualTo(POLYGLOT);
    }

    static byte[] pdfWithCompressedObject(String object, String eol) {
        byte[] compressed = deflate(ascii(object), true);
        String stream = new String(concat(ascii("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                + compressed.length + " >>\nstream" + eol), compressed, ascii(eol + "endstream")), java.nio.charset.StandardCharsets.ISO_8859_1);
        return pdf("", stream);
    }

    @Test
    void javaScriptInACompressedObjectStreamIsFoundWhateverTheLineEnding() {
        String js = "4 0 << /Type /Action /S /JavaScript /JS (app.alert\\(1\\);) >>";
        for (String eol : new String[] {"\n", "\r\n", "\r"}) {
            assertThat(rejection("documents", "a.pdf", "application/pdf", trickle(pdfWithCompressedObject(js, eol), 7)))
                    .as("EOL %s", eol.replace("\r", "CR").replace("\n", "LF")).isEqualTo(PDF_JAVASCRIPT);
            assertThat(rejection("documents", "a.pdf", "application/pdf", pdfWithCompressedObject("4 0 << /Type /Font >>", eol)))
                    .isNull();
        }
    }

    @Test
    void everyActiveOrEmbeddingPdfNameHasItsReason() {
        assertThat(rejection("documents", "a.pdf", "application/pdf", pdf("/OpenAction 4 0 R", "<< /S /RichMedia >>")))
                .isEqualTo(PDF_ACTIVE_CONTENT);
        assertThat(rejection("documents", "a.pdf", "application/pdf", pdf("", "<< /Type /Annot /Subtype /FileAttachment >>")))
                .isEqualTo(PDF_EMBEDDED_FILE);
        assertThat(rejection("documents", "a.pdf", "application/pdf", pdf("", "<< /Type /EmbeddedFile /Length 0 >>")))
                .isEqualTo(PDF_EMBEDDED_FILE);
        assertThat(rejection("documents", "a.pdf", "application/pdf", pdf("", "<< /S /Launc#68 >>"))).isEqualTo(PDF_ACTIVE_CONTENT);
    }

    @Test
    void namesThatOnlyStartLikeActiveNamesAreNotFlagged() {
        for (String object : new String[] {"<< /JavaScriptX 1 >>", "<< /JavaScriptIsNotAnActionButAVeryLongName 1 >>",
                "<< /Launcher 1 >>", "<< /J#6 1 >>", "<< /X (/JavaScrip) >>"}) {
            assertThat(rejection("documents", "a.pdf", "application/pdf", pdf("", object))).as(object).isNull();
        }
    }

    @Test
    void compressedStreamsThatInflateBeyondTheBudgetAreMalformed() {
        UploadPurpose tight = UploadPurpose.builder("tight").allow("application/pdf")
                .archiveLimits(new ArchiveLimits(10, 4096, 100, 1)).build();
        UploadGuard g = UploadGuard.builder().keyring(keyring(WS)).dataDirectory(dir.resolve("tight"))
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(tight).build();
        String object = "4 0 << /Type /Font >>" + " ".repeat(4096 - 21);
        assertThat(object).hasSize(4096);
        try {
            g.check(UploadRequest.of(WS, "tight", "a.pdf", "application/pdf"), new ByteArrayInputStream(pdfWithCompressedObject(object, "\n")));
        } catch (Exception e) {
            throw new AssertionError("exactly the budget must pass", e);
        }
        try {
            g.check(UploadRequest.of(WS, "tight", "a.pdf", "application/pdf"),
                    new ByteArrayInputStream(pdfWithCompressedObject(object + " ", "\n")));
            throw new AssertionError("one byte over the budget passed");
        } catch (UploadRejected r) {
            assertThat(r.reason()).isEqualTo(MALFORMED_CONTENT);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
