package dev.bulwark.upload;

import org.junit.jupiter.api.Test;

import static dev.bulwark.upload.UploadRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Original file names at the edges of each rule: length, Unicode validity, controls, bidi, separators, devices. */
class FileNamesTest {

    static UploadRejected.Reason rejection(String name) {
        try {
            FileNames.check(name);
            return null;
        } catch (UploadRejected r) {
            return r.reason();
        }
    }

    static FileNames.SafeName safe(String name) throws UploadRejected {
        return FileNames.check(name);
    }

    @Test
    void nameOfExactly255CharactersIsAcceptedAnd256IsTooLong() throws Exception {
        String longest = "a".repeat(251) + ".png";
        assertThat(safe(longest).displayName()).hasSize(255);
        assertThat(rejection("a" + longest)).isEqualTo(NAME_TOO_LONG);
    }

    @Test
    void nameOfExactly255Utf8BytesIsAcceptedAndOneByteMoreIsTooLong() throws Exception {
        String accented = "\u00e9".repeat(125) + "a.png";                  // 250 + 5 = 255 bytes, 130 characters
        assertThat(safe(accented).displayName()).isEqualTo(accented);
        assertThat(rejection("\u00e9".repeat(126) + ".png")).isEqualTo(NAME_TOO_LONG); // 256 bytes
    }

    @Test
    void decomposedNameIsComposedToNfcBeforeItsLengthIsMeasured() throws Exception {
        // 254 characters and 381 UTF-8 bytes as sent, 127 characters (254 bytes) once composed
        String decomposed = "e\u0301".repeat(127);
        FileNames.SafeName name = safe(decomposed);
        assertThat(name.displayName()).isEqualTo("\u00e9".repeat(127));
        assertThat(name.extension()).isEmpty();
        assertThat(name.dottedExtension()).isEmpty();
    }

    @Test
    void nameThatIsNotValidUtf16IsInvalid() throws Exception {
        assertThat(safe("camera \uD83D\uDCF7.png").displayName()).isEqualTo("camera \uD83D\uDCF7.png");
        assertThat(safe("\uD83D\uDCF7").extension()).isEmpty();
        assertThat(rejection("photo.png\uD83D")).isEqualTo(NAME_INVALID);       // high surrogate at the end
        assertThat(rejection("photo\uD83D.png")).isEqualTo(NAME_INVALID);       // high surrogate without its pair
        assertThat(rejection("photo\uDCF7.png")).isEqualTo(NAME_INVALID);       // lone low surrogate
    }

    @Test
    void c0C1DeleteAndLineSeparatorsAreControlCharacters() throws Exception {
        for (char c : new char[] {'\u0000', '\u001f', '\u007f', '\u0080', '\u009f', '\u2028', '\u2029'}) {
            assertThat(rejection("a" + c + "b.png")).as("U+%04X", (int) c).isEqualTo(NAME_CONTROL_CHARACTER);
        }
        // the first characters after each range are ordinary
        assertThat(safe("a b\u00a0c.png").displayName()).isEqualTo("a b\u00a0c.png");
    }

    @Test
    void everyBidiControlIsRefusedAndItsNeighboursAreNot() throws Exception {
        for (char c : new char[] {'\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c'}) {
            assertThat(rejection("invoice" + c + "gnp.exe")).as("U+%04X", (int) c).isEqualTo(NAME_BIDI_OVERRIDE);
        }
        for (char c : new char[] {'\u2065', '\u206a', '\u200d', '\u2010', '\u061b', '\u061d'}) {
            assertThat(rejection("a" + c + "b.png")).as("U+%04X", (int) c).isNull();
        }
    }

    @Test
    void slashesAndTheirLookAlikesAreTraversal() {
        for (String name : new String[] {"a/b.png", "a\\b.png", "a\u2215b.png", "a\u2044b.png", "a\u29f8b.png",
                "a\uff3cb.png", "a\uff0fb.png", ".", ".."}) {
            assertThat(rejection(name)).as(name).isEqualTo(NAME_PATH_TRAVERSAL);
        }
    }

    @Test
    void windowsInvalidCharactersAndTheirFullwidthFormsAreInvalid() {
        for (String name : new String[] {"a<b.png", "a>b.png", "a:b.png", "a\"b.png", "a|b.png", "a?b.png", "a*b.png",
                "a\uff1cb.png", "a\uff1ab.png", "a\uff0ab.png"}) {
            assertThat(rejection(name)).as(name).isEqualTo(NAME_INVALID);
        }
    }

    @Test
    void trailingDotOrSpaceOrEmptyNameIsInvalid() {
        for (String name : new String[] {"photo.png.", "photo.png ", "", "   ", null}) {
            assertThat(rejection(name)).as("[" + name + "]").isEqualTo(NAME_INVALID);
        }
    }

    @Test
    void reservedDeviceNamesAreRefusedWhateverFollowsTheFirstDot() throws Exception {
        for (String name : new String[] {"CON", "con .txt", "NUL.tar.gz", "aux.png", "prn", "com1.png", "COM9",
                "lpt0.pdf", "conin$.txt", "CONOUT$", "COM\u00b9.png", "lpt\u00b3"}) {
            assertThat(rejection(name)).as(name).isEqualTo(NAME_RESERVED_DEVICE);
        }
        for (String name : new String[] {"console.png", "com10.png", "my con.png", "icon.png", "null.png"}) {
            assertThat(safe(name).displayName()).isEqualTo(name);
        }
    }

    @Test
    void extensionIsTheLowerCasedPartAfterTheLastDot() throws Exception {
        assertThat(safe("Holiday.Photo.JPG").extension()).isEqualTo("jpg");
        assertThat(safe("Holiday.Photo.JPG").dottedExtension()).isEqualTo(".jpg");
        assertThat(safe("backup.tar.gz").extension()).isEqualTo("gz");
        assertThat(safe("README").dottedExtension()).isEmpty();
        assertThat(safe(".profile").extension()).isEqualTo("profile");
    }

    @Test
    void archiveEntryPathsThatEscapeTheExtractionFolderAreUnsafe() {
        for (String path : new String[] {"/etc/passwd", "\\windows\\system32", "C:evil.txt", "c:\\x.txt", "../x",
                "a/../../x", "a\\..\\x", "a/..", "\uff0e\uff0e/x", "a\u0000b", "a\u202eb", "", null, "a".repeat(4097)}) {
            assertThat(FileNames.isUnsafeArchivePath(path)).as(String.valueOf(path)).isTrue();
        }
        for (String path : new String[] {"a", "dir/", "dir/file.txt", "..a/b", "a..b/c", "a/.../b", "a".repeat(4096),
                "dir/a.b:c"}) {
            assertThat(FileNames.isUnsafeArchivePath(path)).as(path).isFalse();
        }
    }
}
