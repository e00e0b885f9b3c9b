package dev.bulwark.upload;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static dev.bulwark.upload.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage in, typed answer out: random and mutated byte streams, random names and random declared types only ever
 * produce a {@link CheckedUpload} or an {@link UploadRejected}, never an unchecked exception.
 */
class FuzzProperties {
    private static final String WS = "ws-fuzz";
    private static final Path DIR;
    private static final UploadGuard GUARD;
    private static final List<String> PURPOSES = List.of("images", "documents", "attachments", "csv-import", "archives", "logos");
    private static final List<String> DECLARED = List.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "application/pdf", "text/plain", "text/csv", "application/zip", "image/svg+xml", "", "text/html",
            "application/octet-stream", "image/png; charset=\"x", ";;;", "a/b/c");
    private static final List<String> NAMES = List.of("a.png", "a.jpg", "a.gif", "a.webp", "a.pdf", "a.txt", "a.csv",
            "a.zip", "a.svg", "a", "CON.png", "../a.png", "a\u202Egnp.exe");

    static {
        try {
            DIR = Files.createTempDirectory("upload-fuzz");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        GUARD = guard(keyring(WS), DIR, new InMemoryUploadMetadataStore());
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Valid files of every structured type, to be mutated so the fuzzing reaches the ZIP, XML and PDF readers. */
    private static final List<byte[]> SEEDS = List.of(png(), jpeg(), gif(), webp(), validPdf(), pdfWithCompressedContent(),
            pdfWithJavaScriptInObjectStream(), passiveSvg(), zipOf("a.txt", text("hello hello hello")),
            zipOf("in.zip", zipOf("b.txt", text("nested"))), text("a,b\n1,2\n"));

    private static final List<byte[]> PREFIXES = List.of(new byte[0], ascii("\u0089PNG\r\n\u001a\n"), ascii("%PDF-1.7\n"),
            ascii("PK\u0003\u0004"), ascii("GIF89a"), ascii("RIFF\u0000\u0000\u0000\u0000WEBPVP8L"),
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0},
            ascii("<svg xmlns=\"http://www.w3.org/2000/svg\">"), ascii("<?xml version=\"1.0\"?>"));

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Combinators.combine(Arbitraries.of(PREFIXES),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(4096)).as(Fixtures::concat);
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.integers().between(1, 16),
                Arbitraries.longs()).as(FuzzProperties::mutate);
        Arbitrary<byte[]> truncated = Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.doubles().between(0, 1))
                .as((s, f) -> java.util.Arrays.copyOf(s, (int) (s.length * f)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, random), net.jqwik.api.Tuple.of(4, mutated),
                net.jqwik.api.Tuple.of(2, truncated));
    }

    static byte[] mutate(byte[] seed, int flips, long seedValue) {
        byte[] out = seed.clone();
        java.util.Random r = new java.util.Random(seedValue);
        for (int i = 0; i < flips && out.length > 0; i++) {
            int at = r.nextInt(out.length);
            switch (r.nextInt(3)) {
                case 0: out[at] ^= (byte) (1 << r.nextInt(8)); break;
                case 1: out[at] = (byte) r.nextInt(256); break;
                default: out[at] = (byte) (r.nextBoolean() ? 0 : 0xFF); break;
            }
        }
        return out;
    }

    @Property(tries = 10000)
    void garbageContentOnlyEverYieldsACheckedUploadOrARejection(@ForAll("garbage") byte[] content,
                                                                 @ForAll("purposes") String purpose,
                                                                 @ForAll("declared") String declared,
                                                                 @ForAll("names") String name) throws IOException {
        try {
            CheckedUpload checked = GUARD.check(UploadRequest.of(WS, purpose, name, declared), new ByteArrayInputStream(content));
            assertThat(checked.size()).isEqualTo(content.length);
        } catch (UploadRejected rejected) {
            assertThat(rejected.reason()).isNotNull();
            assertThat(rejected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 10000)
    void randomNamesOnlyEverYieldASafeNameOrARejection(@ForAll("anyName") String name) {
        try {
            FileNames.SafeName safe = FileNames.check(name);
            String n = safe.displayName();
            assertThat(n).doesNotContain("/", "\\", "\u202E", "\u0000", "\n", "\r");
            assertThat(n.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_LENGTH);
            assertThat(n).isNotIn(".", "..");
            String header = DownloadHeaders.contentDisposition(n);
            assertThat(header).doesNotContain("\r", "\n");
            assertThat(header.chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
        } catch (UploadRejected rejected) {
            assertThat(rejected.reason().name()).startsWith("NAME_");
        }
    }

    @Property(tries = 1000)
    void garbageThroughTheEncryptedStoreIsStoredWholeOrLeavesNothing(@ForAll("garbage") byte[] content,
                                                                     @ForAll("purposes") String purpose,
                                                                     @ForAll("declared") String declared,
                                                                     @ForAll("names") String name) throws Exception {
        try {
            StoredUpload s = GUARD.store(UploadRequest.of(WS, purpose, name, declared), new ByteArrayInputStream(content));
            try (Download d = GUARD.open(s.id(), AccessCheck.of(WS, u -> true))) {
                assertThat(d.content().readAllBytes()).isEqualTo(content);
            }
            GUARD.delete(s.id(), AccessCheck.of(WS, u -> true));
        } catch (UploadRejected rejected) {
            assertThat(rejected.reason()).isNotNull();
        }
        try (Stream<Path> files = Files.walk(DIR)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Property(tries = 2000)
    void sizeLimitRejectsExactlyTheStreamsOverItAndReadsAtMostOneByteMore(@ForAll @IntRange(min = 1, max = 3000) int limit,
                                                                          @ForAll @IntRange(min = 1, max = 6000) int length) throws IOException {
        UploadPurpose p = UploadPurpose.builder("notes").allow("text/plain").maxBytes(limit).build();
        byte[] content = "a".repeat(length).getBytes(StandardCharsets.US_ASCII);
        long[] served = {0};
        InputStream source = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) served[0] += n;
                return n;
            }
        };
        try {
            CheckedUpload c = Inspection.run(p, FileNames.check("n.txt"), "text/plain", source, java.io.OutputStream.nullOutputStream());
            assertThat(length).isLessThanOrEqualTo(limit);
            assertThat(c.size()).isEqualTo(length);
        } catch (UploadRejected r) {
            assertThat(r.reason()).isEqualTo(UploadRejected.Reason.TOO_LARGE);
            assertThat(length).isGreaterThan(limit);
        }
        assertThat(served[0]).isLessThanOrEqualTo(limit + 1L);
    }

    @Property(tries = 1000)
    void tailWindowHoldsExactlyTheLastBytes(@ForAll("chunks") List<byte[]> chunks) {
        TeeInput.Tail tail = new TeeInput.Tail();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] c : chunks) {
            tail.add(c, 0, c.length);
            all.writeBytes(c);
        }
        byte[] everything = all.toByteArray();
        int n = Math.min(everything.length, TeeInput.Tail.CAPACITY);
        assertThat(tail.bytes()).isEqualTo(java.util.Arrays.copyOfRange(everything, everything.length - n, everything.length));
    }

    @Provide
    Arbitrary<List<byte[]>> chunks() {
        Arbitrary<byte[]> chunk = Arbitraries.integers().between(0, 3 * TeeInput.Tail.CAPACITY / 2).flatMap(size ->
                Arbitraries.randomValue(r -> {
                    byte[] b = new byte[size];
                    r.nextBytes(b);
                    return b;
                }));
        return chunk.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> purposes() {
        return Arbitraries.of(PURPOSES);
    }

    @Provide
    Arbitrary<String> declared() {
        return Arbitraries.of(DECLARED);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of(NAMES), Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> anyName() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("./\\\u202E\u2066:CONPRNAUX \u0000\uFF0Fabc").ofMaxLength(20),
                Arbitraries.strings().alpha().numeric().withChars(".-_ ").ofMinLength(1).ofMaxLength(260));
    }
}
