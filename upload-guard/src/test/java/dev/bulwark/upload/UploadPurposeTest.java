package dev.bulwark.upload;

import org.apache.tika.mime.MediaType;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a purpose may be configured with, and the defaults every guard starts with. */
class UploadPurposeTest {

    @Test
    void defaultPurposesHaveTheDocumentedTypesAndLimits() {
        UploadPurpose images = UploadPurpose.images();
        assertThat(images.name()).isEqualTo("images");
        assertThat(images.allowedTypes().keySet()).extracting(MediaType::toString)
                .containsExactly("image/png", "image/jpeg", "image/webp", "image/gif");
        assertThat(images.maxBytes()).isEqualTo(20L << 20);
        assertThat(images.allowedTypes().get(ContentTypes.JPEG).extensions()).containsExactlyInAnyOrder("jpg", "jpeg", "jfif", "jpe");

        UploadPurpose documents = UploadPurpose.documents();
        assertThat(documents.allowedTypes().keySet()).containsExactly(ContentTypes.PDF);
        assertThat(documents.maxBytes()).isEqualTo(50L << 20);
        assertThat(documents.pdfJavaScriptAllowed()).isFalse();
        assertThat(documents.pdfEmbeddedFilesAllowed()).isFalse();

        assertThat(UploadPurpose.attachments().allowedTypes().keySet()).extracting(MediaType::toString)
                .containsExactly("image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf", "text/plain", "text/csv");
        assertThat(UploadPurpose.attachments().maxBytes()).isEqualTo(50L << 20);

        UploadPurpose csv = UploadPurpose.csvImport();
        assertThat(csv.maxBytes()).isEqualTo(10L << 20);
        assertThat(csv.allowedTypes().get(ContentTypes.CSV).declaredTypes()).extracting(MediaType::toString)
                .containsExactlyInAnyOrder("text/csv", "application/vnd.ms-excel", "application/csv", "text/plain");
        assertThat(UploadPurpose.defaults()).extracting(UploadPurpose::name)
                .containsExactly("images", "documents", "attachments", "csv-import");
        assertThat(images.archiveLimits()).isEqualTo(ArchiveLimits.defaults());
    }

    @Test
    void purposeNamesAreShortLowerCaseIdentifiers() {
        UploadPurpose.builder("a").allow("image/png").build();
        UploadPurpose.builder("0" + "a".repeat(63)).allow("image/png").build();
        for (String bad : new String[] {null, "", "Images", "-images", "_x", "a b", "a".repeat(65), "x/y"}) {
            assertThatThrownBy(() -> UploadPurpose.builder(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void extensionsAreNormalisedAndMustNotBeEmpty() {
        UploadPurpose p = UploadPurpose.builder("scans").allow(ContentTypes.PNG, Set.of(".PNG", "Png2"), Set.of("image/x-png")).build();
        UploadPurpose.AllowedType png = p.allowedTypes().get(ContentTypes.PNG);
        assertThat(png.extensions()).containsExactlyInAnyOrder("png", "png2");
        assertThat(png.declaredTypes()).extracting(MediaType::toString).contains("image/png");
        assertThatThrownBy(() -> UploadPurpose.builder("x").allow(ContentTypes.PNG, Set.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadPurpose.builder("x").allow(ContentTypes.PNG, Set.of("."), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadPurpose.builder("x").allow(ContentTypes.PNG, Set.of("png"), Set.of("not a type")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherTypesGetTikasKnownExtensions() {
        UploadPurpose bmp = UploadPurpose.builder("bitmaps").allow("image/bmp").build();
        assertThat(bmp.allowedTypes().get(MediaType.image("bmp")).extensions()).contains("bmp");
        assertThatThrownBy(() -> UploadPurpose.builder("x").allow("application/x-bulwark-unknown"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadPurpose.builder("x").allow("not a type")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizeLimitMustBePositiveAndAPurposeMustAllowSomething() {
        assertThat(UploadPurpose.builder("x").allow("image/png").maxBytes(1).build().maxBytes()).isEqualTo(1);
        assertThatThrownBy(() -> UploadPurpose.builder("x").maxBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadPurpose.builder("x").build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void machOAndOtherExecutableFamiliesCannotBeAllowlisted() {
        for (String t : new String[] {"application/x-mach-o-executable", "application/x-sharedlib", "application/x-bat",
                "text/x-php", "application/x-msdownload", "application/x-bzip2", "application/zstd", "message/rfc822"}) {
            assertThatThrownBy(() -> UploadPurpose.builder("x").allow(t)).as(t).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
