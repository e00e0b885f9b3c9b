package dev.bulwark.upload;

import dev.bulwark.crypto.Keyring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

import static dev.bulwark.upload.Fixtures.*;
import static dev.bulwark.upload.UploadRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generated corpus: every hostile file is refused with its reason; valid files of each accepted type pass. */
class CorpusTest {
    private static final String WS = "ws-corpus";
    @TempDir
    static Path dir;
    static UploadGuard guard;

    @BeforeAll
    static void setUp() {
        Keyring k = keyring(WS);
        guard = guard(k, dir, new InMemoryUploadMetadataStore());
    }

    static UploadRejected.Reason rejection(String purpose, String name, String declared, byte[] content) {
        try {
            guard.check(UploadRequest.of(WS, purpose, name, declared), new ByteArrayInputStream(content));
            return null;
        } catch (UploadRejected r) {
            return r.reason();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> validFiles() {
        return Stream.of(
                Arguments.of("images", "photo.png", "image/png", png()),
                Arguments.of("images", "photo.jpg", "image/jpeg", jpeg()),
                Arguments.of("images", "photo.JPEG", "image/jpeg", jpeg()),
                Arguments.of("images", "anim.gif", "image/gif", gif()),
                Arguments.of("images", "tiny.webp", "image/webp", webp()),
                Arguments.of("documents", "invoice.pdf", "application/pdf", validPdf()),
                Arguments.of("documents", "drawn.pdf", "application/pdf", pdfWithCompressedContent()),
                Arguments.of("attachments", "notes.txt", "text/plain", text("meeting at 10, bring the <b>report</b>\n")),
                Arguments.of("attachments", "Grüße 2024.pdf", "application/pdf", validPdf()),
                Arguments.of("csv-import", "customers.csv", "text/csv", text("name,email\nAda,ada@example.com\n")),
                Arguments.of("csv-import", "customers.csv", "application/vnd.ms-excel", text("name,email\nAda,ada@example.com\n")),
                Arguments.of("logos", "logo.svg", "image/svg+xml", passiveSvg()),
                Arguments.of("archives", "docs.zip", "application/zip", zipOf("readme.txt", text("hello archive"))));
    }

    @ParameterizedTest(name = "{1} ({2}) is accepted for {0}")
    @MethodSource("validFiles")
    void validFilesOfEveryAcceptedTypeAreAccepted(String purpose, String name, String declared, byte[] content) throws Exception {
        CheckedUpload checked = guard.check(UploadRequest.of(WS, purpose, name, declared), new ByteArrayInputStream(content));
        assertThat(checked.size()).isEqualTo(content.length);
        assertThat(checked.purpose()).isEqualTo(purpose);
    }

    @Test
    void detectedTypeComesFromContentNotFromTheDeclaration() throws Exception {
        CheckedUpload csv = guard.check(UploadRequest.of(WS, "csv-import", "c.csv", "application/vnd.ms-excel"),
                new ByteArrayInputStream(text("a,b\n1,2\n")));
        assertThat(csv.contentType().toString()).isEqualTo("text/csv");
        CheckedUpload png = guard.check(UploadRequest.of(WS, "images", "p.png", "image/png"), new ByteArrayInputStream(png()));
        assertThat(png.contentType().toString()).isEqualTo("image/png");
    }

    static Stream<Arguments> hostileFiles() {
        byte[] jpegPlusZip = concat(jpeg(), zipOf("payload.txt", text("hidden")));
        byte[] pngPlusHtml = concat(png(), html());
        return Stream.of(
                Arguments.of("ELF executable named .jpg", "images", "cat.jpg", "image/jpeg", elfHeader(), EXECUTABLE_CONTENT),
                Arguments.of("PE executable named .jpg", "images", "cat.jpg", "image/jpeg", peHeader(), EXECUTABLE_CONTENT),
                Arguments.of("shell script named .txt", "attachments", "notes.txt", "text/plain", text("#!/bin/sh\nrm -rf ~\n"), EXECUTABLE_CONTENT),
                Arguments.of("Java class named .pdf", "documents", "a.pdf", "application/pdf", concat(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 52}, new byte[64]), EXECUTABLE_CONTENT),
                Arguments.of("HTML named .png", "images", "cat.png", "image/png", html(), HTML_CONTENT),
                Arguments.of("XHTML named .txt", "attachments", "a.txt", "text/plain", text("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>"), HTML_CONTENT),
                Arguments.of("script tag in a text file", "attachments", "a.txt", "text/plain", text("hello\n<script>alert(1)</script>\n"), HTML_CONTENT),
                Arguments.of("SVG with onload where SVG is not allowed", "images", "a.svg", "image/svg+xml", svgWithOnload(), TYPE_NOT_ALLOWED),
                Arguments.of("SVG with onload", "logos", "a.svg", "image/svg+xml", svgWithOnload(), SVG_ACTIVE_CONTENT),
                Arguments.of("SVG with a script element", "logos", "a.svg", "image/svg+xml", svg("><script>alert(1)</script>"), SVG_ACTIVE_CONTENT),
                Arguments.of("SVG with a javascript: link", "logos", "a.svg", "image/svg+xml", svg("><a xlink:href=\"java&#9;script:alert(1)\"><rect width=\"1\" height=\"1\"/></a>"), SVG_ACTIVE_CONTENT),
                Arguments.of("SVG with an external image", "logos", "a.svg", "image/svg+xml", svg("><image href=\"https://evil.example/x.png\"/>"), SVG_ACTIVE_CONTENT),
                Arguments.of("SVG with external CSS", "logos", "a.svg", "image/svg+xml", svg("><style>@import url(https://evil.example/a.css);</style>"), SVG_ACTIVE_CONTENT),
                Arguments.of("SVG with foreignObject", "logos", "a.svg", "image/svg+xml", svg("><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject>"), SVG_ACTIVE_CONTENT),
                Arguments.of("SVG with a DTD (billion laughs)", "logos", "a.svg", "image/svg+xml", text("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;</text></svg>"), SVG_ACTIVE_CONTENT),
                Arguments.of("JPEG with a ZIP appended", "images", "cat.jpg", "image/jpeg", jpegPlusZip, POLYGLOT),
                Arguments.of("PNG with HTML appended", "images", "cat.png", "image/png", pngPlusHtml, POLYGLOT),
                Arguments.of("PNG with junk appended", "images", "cat.png", "image/png", concat(png(), text("junk")), MALFORMED_CONTENT),
                Arguments.of("truncated JPEG", "images", "cat.jpg", "image/jpeg", java.util.Arrays.copyOf(jpeg(), 100), MALFORMED_CONTENT),
                Arguments.of("PDF with a ZIP appended", "documents", "a.pdf", "application/pdf", concat(validPdf(), zipOf("x.txt", text("x"))), POLYGLOT),
                Arguments.of("PDF with /JavaScript", "documents", "a.pdf", "application/pdf", pdfWithOpenActionJavaScript(), PDF_JAVASCRIPT),
                Arguments.of("PDF with a hex-escaped /JavaScript name", "documents", "a.pdf", "application/pdf", pdfWithEscapedJavaScriptName(), PDF_JAVASCRIPT),
                Arguments.of("PDF with JavaScript inside a compressed object stream", "documents", "a.pdf", "application/pdf", pdfWithJavaScriptInObjectStream(), PDF_JAVASCRIPT),
                Arguments.of("PDF with an embedded file", "documents", "a.pdf", "application/pdf", pdfWithEmbeddedFile(), PDF_EMBEDDED_FILE),
                Arguments.of("PDF with a Launch action", "documents", "a.pdf", "application/pdf", pdfWithLaunchAction(), PDF_ACTIVE_CONTENT),
                Arguments.of("nested ZIP too deep", "archives", "a.zip", "application/zip", zipOf("b.zip", zipOf("c.zip", zipOf("d.txt", text("deep")))), ARCHIVE_NESTED_TOO_DEEP),
                Arguments.of("ZIP slip entry", "archives", "a.zip", "application/zip", zipOf("../../etc/cron.d/x", text("* * * * * root id")), ARCHIVE_UNSAFE_ENTRY_NAME),
                Arguments.of("ZIP named .png", "images", "a.png", "image/png", zipOf("a.txt", text("a")), TYPE_NOT_ALLOWED),
                Arguments.of("unknown binary", "attachments", "a.txt", "text/plain", new byte[] {0, 1, 2, 3, (byte) 0xFE, 0, 7, 8, 9, 0, 0, 1}, TYPE_NOT_ALLOWED),
                Arguments.of("PNG declared as JPEG", "images", "a.png", "image/jpeg", png(), DECLARED_TYPE_MISMATCH),
                Arguments.of("PNG without declared type", "images", "a.png", null, png(), DECLARED_TYPE_MISMATCH),
                Arguments.of("PNG named .jpg", "images", "a.jpg", "image/png", png(), EXTENSION_MISMATCH),
                Arguments.of("PNG without extension", "images", "photo", "image/png", png(), EXTENSION_MISMATCH),
                Arguments.of("empty file", "images", "a.png", "image/png", new byte[0], EMPTY_FILE),
                Arguments.of("traversal name", "images", "../../etc/passwd", "image/png", png(), NAME_PATH_TRAVERSAL),
                Arguments.of("Windows traversal name", "images", "..\\..\\boot.ini", "image/png", png(), NAME_PATH_TRAVERSAL),
                Arguments.of("fullwidth solidus name", "images", "a\uFF0F..\uFF0Fb.png", "image/png", png(), NAME_PATH_TRAVERSAL),
                Arguments.of("bidi override name", "images", "a\u202Egnp.exe", "image/png", png(), NAME_BIDI_OVERRIDE),
                Arguments.of("control character name", "images", "a\u0000.png", "image/png", png(), NAME_CONTROL_CHARACTER),
                Arguments.of("newline name", "images", "a\r\nSet-Cookie: x.png", "image/png", png(), NAME_CONTROL_CHARACTER),
                Arguments.of("device name CON", "images", "CON", "image/png", png(), NAME_RESERVED_DEVICE),
                Arguments.of("device name with extension", "images", "lpt1.png", "image/png", png(), NAME_RESERVED_DEVICE),
                Arguments.of("300-character name", "images", "a".repeat(296) + ".png", "image/png", png(), NAME_TOO_LONG),
                Arguments.of("trailing dot name", "images", "evil.png.", "image/png", png(), NAME_INVALID),
                Arguments.of("unknown purpose", "avatars", "a.png", "image/png", png(), UNKNOWN_PURPOSE));
    }

    @ParameterizedTest(name = "{0} is rejected: {5}")
    @MethodSource("hostileFiles")
    void hostileFileIsRejectedWithItsReason(String what, String purpose, String name, String declared, byte[] content,
                                            UploadRejected.Reason expected) {
        assertThat(rejection(purpose, name, declared, content)).as(what).isEqualTo(expected);
    }

    @Test
    void tenGibibyteZipBombIsRejectedAfterLittleWork() {
        byte[] bomb = tenGibibyteZipBomb();
        assertThat(bomb.length).isLessThan(16 << 20);
        assertThat(rejection("archives", "bomb.zip", "application/zip", bomb)).isEqualTo(ARCHIVE_RATIO_EXCEEDED);
    }

    @Test
    void nestedZipBombIsRejectedThoughTheOuterLevelLooksHarmless() {
        byte[] bomb = nestedZipBomb();
        assertThat(rejection("archives", "nested.zip", "application/zip", bomb)).isEqualTo(ARCHIVE_RATIO_EXCEEDED);
    }

    @Test
    void zipBombFixtureReallyExpandsToTenGibibytes() {
        // Honesty check of the fixture: one entry's deflate data really inflates to 1 GiB of zeros with the CRC in
        // its header (the bomb has ten such entries).
        byte[] data = zerosDeflated(1024);
        Inflater inf = new Inflater(true);
        inf.setInput(data);
        byte[] out = new byte[1 << 20];
        long total = 0;
        CRC32 crc = new CRC32();
        try {
            while (!inf.finished()) {
                int n = inf.inflate(out);
                if (n == 0 && inf.needsInput()) break;
                crc.update(out, 0, n);
                total += n;
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inf.end();
        }
        assertThat(total).isEqualTo(1L << 30);
        assertThat(crc.getValue()).isEqualTo(crcOfZeros(1L << 30));
    }

    @Test
    void archiveBeyondTheTotalSizeLimitIsRejected() {
        UploadPurpose small = UploadPurpose.builder("small-archives").allow("application/zip")
                .archiveLimits(new ArchiveLimits(100, 512 * 1024, 1000, 1)).build();
        byte[] random = new byte[600 * 1024];
        new java.util.Random(1).nextBytes(random);
        byte[] zip = zip(List.of(Entry.stored("random.bin", random)));
        UploadGuard g = UploadGuard.builder().keyring(keyring(WS)).dataDirectory(dir.resolve("small"))
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(small).build();
        assertThatThrownBy(() -> g.check(UploadRequest.of(WS, "small-archives", "r.zip", "application/zip"),
                new ByteArrayInputStream(zip))).isInstanceOfSatisfying(UploadRejected.class,
                r -> assertThat(r.reason()).isEqualTo(ARCHIVE_TOO_LARGE));
    }

    @Test
    void archiveWithTooManyEntriesIsRejected() {
        UploadPurpose few = UploadPurpose.builder("few").allow("application/zip")
                .archiveLimits(new ArchiveLimits(3, 1 << 20, 100, 1)).build();
        List<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) entries.add(Entry.deflated("f" + i + ".txt", text("file " + i)));
        UploadGuard g = UploadGuard.builder().keyring(keyring(WS)).dataDirectory(dir.resolve("few"))
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(few).build();
        assertThatThrownBy(() -> g.check(UploadRequest.of(WS, "few", "f.zip", "application/zip"),
                new ByteArrayInputStream(zip(entries)))).isInstanceOfSatisfying(UploadRejected.class,
                r -> assertThat(r.reason()).isEqualTo(ARCHIVE_TOO_MANY_ENTRIES));
    }

    @Test
    void pdfFeaturesAreAcceptedWhenThePurposeAllowsThem() throws Exception {
        UploadPurpose forms = UploadPurpose.builder("forms").allow("application/pdf").allowPdfJavaScript()
                .allowPdfEmbeddedFiles().build();
        UploadGuard g = UploadGuard.builder().keyring(keyring(WS)).dataDirectory(dir.resolve("forms"))
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(forms).build();
        g.check(UploadRequest.of(WS, "forms", "f.pdf", "application/pdf"), new ByteArrayInputStream(pdfWithOpenActionJavaScript()));
        g.check(UploadRequest.of(WS, "forms", "f.pdf", "application/pdf"), new ByteArrayInputStream(pdfWithEmbeddedFile()));
        // Launch actions stay refused whatever the purpose says.
        assertThatThrownBy(() -> g.check(UploadRequest.of(WS, "forms", "f.pdf", "application/pdf"),
                new ByteArrayInputStream(pdfWithLaunchAction()))).isInstanceOfSatisfying(UploadRejected.class,
                r -> assertThat(r.reason()).isEqualTo(PDF_ACTIVE_CONTENT));
    }

    @Test
    void dangerousTypesCannotBeAllowlisted() {
        for (String t : List.of("text/html", "application/xhtml+xml", "application/x-executable", "application/x-msdownload",
                "application/java-archive", "application/x-sh", "application/javascript", "application/gzip",
                "application/x-7z-compressed", "application/octet-stream")) {
            assertThatThrownBy(() -> UploadPurpose.builder("x").allow(t)).as(t).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectedStoreLeavesNothingOnDisk() throws Exception {
        Path d = dir.resolve("nothing-left");
        UploadGuard g = guard(keyring(WS), d, new InMemoryUploadMetadataStore());
        for (byte[] hostile : List.of(html(), concat(jpeg(), zipOf("p", text("x"))), elfHeader())) {
            assertThatThrownBy(() -> g.store(UploadRequest.of(WS, "images", "a.jpg", "image/jpeg"), new ByteArrayInputStream(hostile)))
                    .isInstanceOf(UploadRejected.class);
        }
        try (Stream<Path> files = Files.walk(d)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
