package dev.bulwark.crypto;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FieldCipherProperties {
    static final Keyring KEYRING = TestKeyrings.fresh();
    static final Keyring OTHER_KEYRING = TestKeyrings.fresh();

    @Provide
    Arbitrary<FieldContext> contexts() {
        Arbitrary<String> part = Arbitraries.strings().ofMinLength(1).ofMaxLength(20);
        return Combinators.combine(part, part, part, part).as(FieldContext::new);
    }

    @Property
    void roundTripForAnyBytesAndAnyContext(@ForAll @Size(max = 2048) byte[] plaintext, @ForAll("contexts") FieldContext ctx) throws Exception {
        String stored = KEYRING.fields().encrypt(plaintext, ctx);
        assertThat(stored).startsWith(FieldCipher.PREFIX);
        assertThat(KEYRING.fields().decryptBytes(stored, ctx)).isEqualTo(plaintext);
    }

    @Property
    void roundTripForAnyText(@ForAll String text, @ForAll("contexts") FieldContext ctx) throws Exception {
        assertThat(KEYRING.fields().decrypt(KEYRING.fields().encrypt(text, ctx), ctx)).isEqualTo(text);
    }

    @Property
    void flippingAnyBitOfTheCiphertextIsRejected(@ForAll @Size(max = 256) byte[] plaintext, @ForAll("contexts") FieldContext ctx,
                                                 @ForAll @IntRange(min = 0, max = 100_000) int position) {
        String stored = KEYRING.fields().encrypt(plaintext, ctx);
        byte[] raw = Base64.getUrlDecoder().decode(stored.substring(FieldCipher.PREFIX.length()));
        int bit = position % (raw.length * 8);
        raw[bit / 8] ^= (byte) (1 << (bit % 8));
        String tampered = FieldCipher.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> KEYRING.fields().decryptBytes(tampered, ctx));
        assertThat(e).isNotNull();
        // a flip in the version byte or key id names another key; anywhere else authentication fails
        assertThat(e.reason()).isIn(DecryptionException.Reason.MALFORMED, DecryptionException.Reason.UNKNOWN_KEY,
                DecryptionException.Reason.AUTHENTICATION_FAILED);
        if (bit >= 5 * 8) assertThat(e.reason()).isEqualTo(DecryptionException.Reason.AUTHENTICATION_FAILED);
    }

    @Property
    void changingAnyCharacterOfTheStoredTextIsRejected(@ForAll("contexts") FieldContext ctx, @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                       @ForAll char replacement) {
        String stored = KEYRING.fields().encrypt("secret note", ctx);
        int i = position % stored.length();
        if (stored.charAt(i) == replacement) return;
        String changed = stored.substring(0, i) + replacement + stored.substring(i + 1);
        assertThatThrownBy(() -> KEYRING.fields().decrypt(changed, ctx)).isInstanceOf(DecryptionException.class);
    }

    @Property
    void anyChangeOfWorkspaceTableColumnOrRowIsRejected(@ForAll("contexts") FieldContext ctx, @ForAll @IntRange(min = 0, max = 3) int which,
                                                        @ForAll @StringLength(min = 1, max = 20) String other) {
        String stored = KEYRING.fields().encrypt("value", ctx);
        FieldContext moved = switch (which) {
            case 0 -> new FieldContext(other, ctx.table(), ctx.column(), ctx.rowId());
            case 1 -> new FieldContext(ctx.workspaceId(), other, ctx.column(), ctx.rowId());
            case 2 -> new FieldContext(ctx.workspaceId(), ctx.table(), other, ctx.rowId());
            default -> new FieldContext(ctx.workspaceId(), ctx.table(), ctx.column(), other);
        };
        if (moved.equals(ctx)) return;
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> KEYRING.fields().decrypt(stored, moved));
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.AUTHENTICATION_FAILED);
    }

    @Property(tries = 200)
    void valueFromAnotherKeysetIsRejectedAsUnknownKey(@ForAll("contexts") FieldContext ctx) {
        String stored = OTHER_KEYRING.fields().encrypt("value", ctx);
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> KEYRING.fields().decrypt(stored, ctx));
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.UNKNOWN_KEY);
        // the credentials keyset is separate from the fields keyset
        DecryptionException e2 = catchThrowableOfType(DecryptionException.class,
                () -> KEYRING.connectionCredentials().decrypt(KEYRING.fields().encrypt("x", ctx), ctx));
        assertThat(e2.reason()).isEqualTo(DecryptionException.Reason.UNKNOWN_KEY);
    }

    /** Parser fuzz: any text at all gives a typed DecryptionException or a value, never an unchecked exception. */
    @Property(tries = 10_000)
    void garbageNeverEscapesAsUncheckedException(@ForAll("garbage") String input) {
        FieldContext ctx = FieldContext.of("w", "t", "c", "r");
        try {
            KEYRING.fields().decrypt(input, ctx);
        } catch (DecryptionException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            KEYRING.searchableFields().decrypt(input, ctx.columnContext());
        } catch (DecryptionException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> b64ish = Arbitraries.strings().withChars("ABCDEFabcdef0123456789-_=+/. ").ofMaxLength(120);
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                b64ish.map(s -> FieldCipher.PREFIX + s),
                b64ish.map(s -> SearchableFieldCipher.PREFIX + s),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80)
                        .map(b -> FieldCipher.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80)
                        .map(b -> FieldCipher.PREFIX + "ASIiIi" + Base64.getUrlEncoder().withoutPadding().encodeToString(b)));
    }
}
