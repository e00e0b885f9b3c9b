package dev.bulwark.auth.password;

import dev.bulwark.auth.password.InvalidPasswordHashException.Reason;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored-hash parser's accepted ranges, checked one step inside and one step outside each bound. */
class StoredHashBoundaryTest {

    private static String b64(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 1);
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }

    static String argon(String params, int salt, int hash) {
        return "$argon2id$v=19$" + params + "$" + b64(salt) + "$" + b64(hash);
    }

    static void accepted(String stored) {
        try {
            StoredHash.parse(stored);
        } catch (InvalidPasswordHashException e) {
            throw new AssertionError(stored + " refused: " + e.getMessage(), e);
        }
    }

    static void refused(String stored, Reason reason) {
        assertThatThrownBy(() -> StoredHash.parse(stored)).as(stored)
                .isInstanceOfSatisfying(InvalidPasswordHashException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void argon2CostBoundsAreInclusive() {
        accepted(argon("m=8,t=1,p=1", 16, 32));
        refused(argon("m=7,t=1,p=1", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        accepted(argon("m=128,t=1,p=16", 16, 32));
        refused(argon("m=127,t=1,p=16", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(argon("m=256,t=1,p=17", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(argon("m=256,t=1,p=0", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        accepted(argon("m=262144,t=32,p=1", 16, 32));
        refused(argon("m=262145,t=1,p=1", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(argon("m=256,t=33,p=1", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(argon("m=256,t=0,p=1", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
    }

    @Test
    void argon2SaltAndTagLengthBoundsAreInclusive() {
        accepted(argon("m=256,t=1,p=1", 8, 16));
        accepted(argon("m=256,t=1,p=1", 64, 128));
        refused(argon("m=256,t=1,p=1", 7, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(argon("m=256,t=1,p=1", 65, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(argon("m=256,t=1,p=1", 16, 15), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(argon("m=256,t=1,p=1", 16, 129), Reason.PARAMETERS_OUT_OF_RANGE);
    }

    @Test
    void argon2SyntaxErrorsAreMalformed() {
        String ok = argon("m=256,t=1,p=1", 16, 32);
        refused(ok + "$extra", Reason.MALFORMED);
        refused(ok.replace("v=19", "x=19"), Reason.MALFORMED);
        refused(ok.replace("v=19", "v=019"), Reason.MALFORMED);
        refused(ok.replace("m=256,t=1,p=1", "m=256,t=1"), Reason.MALFORMED);
        refused(ok.replace("m=256", "m=2a6"), Reason.MALFORMED);
        refused(ok.replace("m=256", "m=/"), Reason.MALFORMED);
        refused(ok.replace("m=256", "m=:"), Reason.MALFORMED);
        refused(ok.replace("m=256", "m="), Reason.MALFORMED);
        refused(ok.replace("m=256", "m=1000000000"), Reason.MALFORMED);        // 10 digits
        refused(ok.replace("m=256", "m=999999999"), Reason.PARAMETERS_OUT_OF_RANGE); // 9 digits: a number, too big
        refused("$argon2id$v=19$m=256,t=1,p=1$$" + b64(32), Reason.MALFORMED);
        refused("$argon2id$v=19$m=256,t=1,p=1$" + b64(16) + "AAA$" + b64(32), Reason.MALFORMED); // 25 characters: 1 mod 4
        refused("$argon2id$v=19$m=256,t=1,p=1$" + b64(16).replace('A', '-') + "$" + b64(32), Reason.MALFORMED);
        refused("$argon2id$v=19$m=256,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAB$" + b64(32), Reason.MALFORMED); // non-canonical tail bits
    }

    @Test
    void hostileVariantNamesAreNeverEchoed() {
        assertThatThrownBy(() -> StoredHash.parse("$argon2<script>$v=19$m=1,t=1,p=1$a$b"))
                .isInstanceOfSatisfying(InvalidPasswordHashException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VARIANT);
                    assertThat(e.getMessage()).contains("(unrecognised)").doesNotContain("<script>");
                });
        assertThatThrownBy(() -> StoredHash.parse("$argon2d$v=19$m=256,t=1,p=1$a$b")).hasMessageEndingWith("not argon2d");
        assertThatThrownBy(() -> StoredHash.parse("$argon2abcdefghijklmnopq$x")).hasMessageContaining("(unrecognised)");
    }

    @Test
    void overlongOrEmptyStoredHashesAreRefused() {
        refused(null, Reason.UNKNOWN_FORMAT);
        refused("", Reason.UNKNOWN_FORMAT);
        refused(argon("m=256,t=1,p=1", 16, 32) + "A".repeat(1024), Reason.MALFORMED);
    }

    static String bcrypt(String cost, String body) {
        return "$2b$" + cost + "$" + body;
    }

    static final String BODY = "CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    @Test
    void bcryptCostBoundsAreFourToSixteen() {
        accepted(bcrypt("04", BODY));
        accepted(bcrypt("16", BODY));
        refused(bcrypt("03", BODY), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(bcrypt("17", BODY), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(bcrypt("1a", BODY), Reason.MALFORMED);
    }

    @Test
    void bcryptAlphabetIsDotSlashLettersAndDigits() {
        accepted(bcrypt("05", "./AZaz09".repeat(6) + "./AZa"));
        for (char c : new char[] {'-', '@', '[', '`', '{', ':', '+'}) {
            refused(bcrypt("05", BODY.substring(0, 52) + c), Reason.MALFORMED);
        }
        refused("$2b$05" + "x" + BODY, Reason.MALFORMED);
        refused("$2b$5$" + BODY + "a", Reason.MALFORMED);
        refused("$2c$05$" + BODY, Reason.UNSUPPORTED_VARIANT);
        accepted("$2y$05$" + BODY);
    }

    static String phcPbkdf2(String params, int salt, int hash) {
        return "$pbkdf2-sha256$" + params + "$" + b64(salt) + "$" + b64(hash);
    }

    @Test
    void pbkdf2RangesAreInclusive() {
        accepted(phcPbkdf2("i=10000000", 1, 16));
        accepted(phcPbkdf2("i=1,l=64", 128, 64));
        refused(phcPbkdf2("i=10000001", 16, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(phcPbkdf2("i=1000", 129, 32), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(phcPbkdf2("i=1000", 16, 15), Reason.PARAMETERS_OUT_OF_RANGE);
        refused(phcPbkdf2("i=1000", 16, 65), Reason.PARAMETERS_OUT_OF_RANGE);
    }

    @Test
    void pbkdf2ParameterSyntaxIsStrict() {
        accepted(phcPbkdf2("i=1000,l=32", 16, 32));
        refused(phcPbkdf2("i=1000,x=32", 16, 32), Reason.MALFORMED);
        refused(phcPbkdf2("i=1000,l=32,z=1", 16, 32), Reason.MALFORMED);
        refused(phcPbkdf2("i=1000", 16, 32) + "$", Reason.MALFORMED);
        String passlib = "$pbkdf2-sha256$1000$" + b64(16).replace('+', '.') + "$" + b64(32).replace('+', '.');
        accepted(passlib);
        refused("$pbkdf2-sha256$1000$ab+c$" + b64(32), Reason.MALFORMED);
    }

    @Test
    void djangoSaltMustBePrintableAsciiOfAtMost128Characters() {
        String hash = Base64.getEncoder().encodeToString(new byte[32]);
        accepted("pbkdf2_sha256$1000$" + "!~".repeat(64) + "$" + hash);
        refused("pbkdf2_sha256$1000$" + "s".repeat(129) + "$" + hash, Reason.MALFORMED);
        refused("pbkdf2_sha256$1000$$" + hash, Reason.MALFORMED);
        refused("pbkdf2_sha256$1000$a b$" + hash, Reason.MALFORMED);
        refused("pbkdf2_sha256$1000$a\u007fb$" + hash, Reason.MALFORMED);
        refused("pbkdf2_sha256$1000$salt", Reason.MALFORMED);
        refused("pbkdf2_sha256$0$salt$" + hash, Reason.PARAMETERS_OUT_OF_RANGE);
    }
}
