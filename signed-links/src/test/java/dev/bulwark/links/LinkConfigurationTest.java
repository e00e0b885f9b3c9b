package dev.bulwark.links;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Safe configuration: required settings, id and audience limits, purposes, keys and keysets. */
class LinkConfigurationTest {
    static final String AUD = "https://app.example";
    final LinkKey k1 = LinkKey.generate("k1");
    final LinkKeyset keyset = LinkKeyset.of(k1);

    @Test
    void signerAndVerifierNeedKeysAndAudience() {
        assertThatThrownBy(() -> LinkSigner.builder().audience(AUD).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LinkSigner.builder().keys(keyset).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LinkVerifier.builder().audience(AUD).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LinkVerifier.builder().keys(keyset).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idsAndAudienceAreOneTo128CharactersWithoutControlCharacters() throws Exception {
        LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).build();
        LinkVerifier verifier = LinkVerifier.builder().keys(keyset).audience(AUD).build();
        String longest = "r".repeat(Ids.MAX_ID_CHARS);
        String withSpaceAndTilde = "inv 42 ~\u00e9";
        for (String ok : new String[] {"x", longest, withSpaceAndTilde}) {
            assertThat(verifier.verify(signer.issue(LinkPurpose.BOOKING, "ws1", ok), LinkPurpose.BOOKING, "ws1", ok).resourceId())
                    .isEqualTo(ok);
        }
        for (String bad : new String[] {"", longest + "r", "a\nb", "a\u001fb", "a\u007fb", "\u0000"}) {
            assertThatThrownBy(() -> signer.issue(LinkPurpose.BOOKING, "ws1", bad)).as("resource %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> signer.issue(LinkPurpose.BOOKING, bad, "r1")).as("workspace %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LinkSigner.builder().audience(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LinkVerifier.builder().audience(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> signer.issue(LinkPurpose.BOOKING, "ws1", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void customPurposeNamesAndCapsAreChecked() {
        assertThat(LinkPurpose.of("a", Duration.ofSeconds(1), false).maxLifetime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(LinkPurpose.of("0-report-" + "x".repeat(31), LinkPurpose.LONGEST_LIFETIME, true).singleUse()).isTrue();
        for (String bad : new String[] {"", "-report", "Report", "report_1", "x".repeat(41), "r\u00e9port"}) {
            assertThatThrownBy(() -> LinkPurpose.of(bad, Duration.ofHours(1), false)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (Duration bad : new Duration[] {Duration.ofMillis(999), Duration.ZERO, LinkPurpose.LONGEST_LIFETIME.plusSeconds(1)}) {
            assertThatThrownBy(() -> LinkPurpose.of("report", bad, false)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void builtInPurposesHaveTheDocumentedCapsAndSingleUse() {
        assertThat(LinkPurpose.BOOKING.maxLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(LinkPurpose.INVOICE_VIEW.maxLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(LinkPurpose.PASSWORD_RESET.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(LinkPurpose.EMAIL_VERIFY.maxLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(LinkPurpose.TEAM_INVITE.maxLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(LinkPurpose.BOOKING.singleUse()).isFalse();
        assertThat(LinkPurpose.INVOICE_VIEW.singleUse()).isFalse();
        assertThat(LinkPurpose.PASSWORD_RESET.singleUse()).isTrue();
        assertThat(LinkPurpose.EMAIL_VERIFY.singleUse()).isTrue();
        assertThat(LinkPurpose.TEAM_INVITE.singleUse()).isTrue();
    }

    @Test
    void purposesAreEqualOnlyWithTheSameNameCapAndUse() {
        LinkPurpose a = LinkPurpose.of("report", Duration.ofHours(1), false);
        assertThat(a).isEqualTo(LinkPurpose.of("report", Duration.ofHours(1), false))
                .hasSameHashCodeAs(LinkPurpose.of("report", Duration.ofHours(1), false));
        assertThat(a).isNotEqualTo(LinkPurpose.of("reports", Duration.ofHours(1), false))
                .isNotEqualTo(LinkPurpose.of("report", Duration.ofHours(2), false))
                .isNotEqualTo(LinkPurpose.of("report", Duration.ofHours(1), true))
                .isNotEqualTo("report");
        assertThat(LinkPurpose.of("booking", Duration.ofDays(30), false)).isEqualTo(LinkPurpose.BOOKING);
    }

    @Test
    void keysAreAtLeast32BytesWithASafeKid() {
        assertThat(LinkKey.of("k", new byte[32]).kid()).isEqualTo("k");
        assertThat(LinkKey.of("2026-11_a." + "k".repeat(54), new byte[64]).kid()).hasSize(64);
        assertThatThrownBy(() -> LinkKey.of("k".repeat(65), new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKey.of("", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKey.of("k 1", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKey.of("k1", new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31");
    }

    @Test
    void keyBytesAreCopiedSoCallerChangesDoNotAffectTheKey() throws Exception {
        byte[] bytes = new byte[32];
        LinkKey key = LinkKey.of("k1", bytes);
        LinkKeyset ks = LinkKeyset.of(key);
        LinkSigner signer = LinkSigner.builder().keys(ks).audience(AUD).build();
        String token = signer.issue(LinkPurpose.BOOKING, "ws1", "b1");
        java.util.Arrays.fill(bytes, (byte) 0x55); // the caller wipes or reuses its buffer
        LinkVerifier verifier = LinkVerifier.builder().keys(ks).audience(AUD).build();
        assertThat(verifier.verify(token, LinkPurpose.BOOKING, "ws1").keyId()).isEqualTo("k1");
        LinkVerifier withChangedBytes = LinkVerifier.builder().keys(LinkKeyset.of(LinkKey.of("k1", bytes))).audience(AUD).build();
        assertThat(withChangedBytes.preview(token, LinkPurpose.BOOKING, "ws1"))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.BAD_SIGNATURE));
    }

    @Test
    void generatedKeysAreDistinct() throws Exception {
        LinkKey a = LinkKey.generate("k1");
        LinkKey b = LinkKey.generate("k1");
        String token = LinkSigner.builder().keys(LinkKeyset.of(a)).audience(AUD).build().issue(LinkPurpose.BOOKING, "ws1", "b1");
        assertThat(LinkVerifier.builder().keys(LinkKeyset.of(a)).audience(AUD).build().verify(token, LinkPurpose.BOOKING, "ws1"))
                .isNotNull();
        assertThat(LinkVerifier.builder().keys(LinkKeyset.of(b)).audience(AUD).build().preview(token, LinkPurpose.BOOKING, "ws1"))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.BAD_SIGNATURE));
    }

    @Test
    void jwkImportUsesItsKidAndRefusesOtherKeyTypes() throws Exception {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++) bytes[i] = (byte) i;
        LinkKey imported = LinkKey.fromJwk("{\"kty\":\"oct\",\"kid\":\"2026-11\",\"k\":\"" + Tokens.b64(bytes) + "\"}");
        assertThat(imported.kid()).isEqualTo("2026-11");
        String token = LinkSigner.builder().keys(LinkKeyset.of(imported)).audience(AUD).build().issue(LinkPurpose.BOOKING, "ws1", "b1");
        LinkVerifier same = LinkVerifier.builder().keys(LinkKeyset.of(LinkKey.of("2026-11", bytes))).audience(AUD).build();
        assertThat(same.verify(token, LinkPurpose.BOOKING, "ws1").keyId()).isEqualTo("2026-11");

        String ecPublic = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate()
                .toPublicJWK().toJSONString();
        assertThatThrownBy(() -> LinkKey.fromJwk(ecPublic)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKey.fromJwk("{\"kty\":\"oct\",\"kid\":\"bad kid\",\"k\":\"" + Tokens.b64(bytes) + "\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysetHasOnePrimaryAndRefusesTwoKeysWithOneKid() {
        LinkKey k2 = LinkKey.generate("k2");
        LinkKeyset ks = LinkKeyset.builder().add(k1).primary(k2).add(k1).build();
        assertThat(ks.primary()).isSameAs(k2);
        assertThat(ks.keys()).containsExactly(k1, k2);
        assertThat(ks.current()).isSameAs(ks);
        assertThat(ks.byKid("k1")).isSameAs(k1);
        assertThat(ks.byKid(null)).isNull();
        assertThat(ks.byKid("k3")).isNull();
        assertThatThrownBy(() -> LinkKeyset.builder().primary(k1).add(LinkKey.generate("k1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKeyset.builder().add(k1).build()).isInstanceOf(IllegalStateException.class);
        assertThat(ks.toString()).contains("k1", "k2");
    }

    @Test
    void olderKeysVerifyTheirLinksAndThePrimarySignsNewOnes() throws Exception {
        LinkKey k2 = LinkKey.generate("k2");
        LinkKey k3 = LinkKey.generate("k3");
        String byK1 = LinkSigner.builder().keys(keyset).audience(AUD).build().issue(LinkPurpose.BOOKING, "ws1", "b1");
        String byK3 = LinkSigner.builder().keys(LinkKeyset.of(k3)).audience(AUD).build().issue(LinkPurpose.BOOKING, "ws1", "b1");
        LinkKeyset rotated = LinkKeyset.builder().primary(k2).add(k3).add(k1).build();
        LinkVerifier v = LinkVerifier.builder().keys(rotated).audience(AUD).build();
        assertThat(v.verify(byK1, LinkPurpose.BOOKING, "ws1").keyId()).isEqualTo("k1");
        assertThat(v.verify(byK3, LinkPurpose.BOOKING, "ws1").keyId()).isEqualTo("k3");
        String byK2 = LinkSigner.builder().keys(rotated).audience(AUD).build().issue(LinkPurpose.BOOKING, "ws1", "b1");
        assertThat(v.verify(byK2, LinkPurpose.BOOKING, "ws1").keyId()).isEqualTo("k2");
    }
}
