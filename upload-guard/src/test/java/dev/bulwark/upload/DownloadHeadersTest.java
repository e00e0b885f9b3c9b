package dev.bulwark.upload;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Download response headers: always an attachment, never sniffed or rendered, names safely encoded both ways. */
class DownloadHeadersTest {

    @Test
    void everyDownloadIsAnUncachedSandboxedAttachmentOfTheDetectedType() {
        Map<String, String> h = DownloadHeaders.forFile("report.pdf", "application/pdf", 1234);
        assertThat(h).containsExactly(
                entry("Content-Type", "application/pdf"),
                entry("Content-Length", "1234"),
                entry("Content-Disposition", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"),
                entry("X-Content-Type-Options", "nosniff"),
                entry("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'"),
                entry("Cross-Origin-Resource-Policy", "same-origin"),
                entry("Cache-Control", "private, no-store"),
                entry("Referrer-Policy", "no-referrer"));
    }

    @Test
    void missingNameDownloadsAsDownload() {
        assertThat(DownloadHeaders.contentDisposition(null)).isEqualTo("attachment; filename=\"download\"; filename*=UTF-8''download");
        assertThat(DownloadHeaders.contentDisposition("")).isEqualTo("attachment; filename=\"download\"; filename*=UTF-8''download");
    }

    @Test
    void asciiFallbackKeepsPrintableAsciiAndReplacesEverythingThatCouldBreakTheQuotedString() {
        assertThat(DownloadHeaders.asciiFallback(" AZaz09!#$&'()*+,-.:<=>?@[]^_`{|}~"))
                .isEqualTo(" AZaz09!#$&'()*+,-.:<=>?@[]^_`{|}~");
        assertThat(DownloadHeaders.asciiFallback("a\"b\\c%d;e/f")).isEqualTo("a_b_c_d_e_f");
        assertThat(DownloadHeaders.asciiFallback("a\u001fb\u007fc\r\nd")).isEqualTo("a_b_c__d");
        assertThat(DownloadHeaders.asciiFallback("Gr\u00fc\u00dfe.pdf")).isEqualTo("Gr__e.pdf");
        // a character outside the BMP is one character to the reader: one replacement, not two
        assertThat(DownloadHeaders.asciiFallback("\uD83D\uDCF7 photo.png")).isEqualTo("_ photo.png");
    }

    @Test
    void rfc8187FormPercentEncodesUtf8BytesOutsideAttrChar() {
        assertThat(DownloadHeaders.rfc8187("azAZ09!#$&+-.^_`|~")).isEqualTo("azAZ09!#$&+-.^_`|~");
        assertThat(DownloadHeaders.rfc8187(" \"%'()*,/:;<=>?@[\\]{}")).isEqualTo(
                "%20%22%25%27%28%29%2A%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%7B%7D");
        assertThat(DownloadHeaders.rfc8187("\u00e9\u20ac\uD83D\uDCF7")).isEqualTo("%C3%A9%E2%82%AC%F0%9F%93%B7");
        assertThat(DownloadHeaders.rfc8187("\r\n\u007f")).isEqualTo("%0D%0A%7F");
    }

    @Test
    void contentDispositionOfAnyNameIsOneLineOfPrintableAscii() {
        String header = DownloadHeaders.contentDisposition("\u202Egnp.exe \"x\"\r\nSet-Cookie: a=b; \u00e9");
        assertThat(header).doesNotContain("\r").doesNotContain("\n");
        assertThat(header.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(header).isEqualTo("attachment; filename=\"_gnp.exe _x___Set-Cookie: a=b_ _\"; "
                + "filename*=UTF-8''%E2%80%AEgnp.exe%20%22x%22%0D%0ASet-Cookie%3A%20a%3Db%3B%20%C3%A9");
    }
}
