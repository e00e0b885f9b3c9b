package dev.bulwark.auth.password;

import dev.bulwark.auth.password.PolicyViolation.Rule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyBoundaryTest {

    private static List<Rule> rules(PasswordPolicy p, String pw, PersonalInfo info) {
        return p.check(pw, info).stream().map(PolicyViolation::rule).toList();
    }

    @Test
    void lengthIsCountedInCharactersNotUtf16Units() {
        String eight = "Aa1\uD83E\uDD8A\uD83E\uDD8A\uD83E\uDD8A\uD83E\uDD8A\uD83E\uDD8A"; // 3 + 5 emoji = 8 code points
        String seven = "Aa1\uD83E\uDD8A\uD83E\uDD8A\uD83E\uDD8A\uD83E\uDD8A";
        assertThat(rules(PasswordPolicy.defaults(), eight, null)).doesNotContain(Rule.TOO_SHORT);
        assertThat(rules(PasswordPolicy.defaults(), seven, null)).contains(Rule.TOO_SHORT);
    }

    @Test
    void maximumLengthIsInclusive() {
        String max = "Aa1" + "Zq9x".repeat(31) + "a"; // 128
        assertThat(max).hasSize(128);
        assertThat(rules(PasswordPolicy.defaults(), max, null)).isEmpty();
        assertThat(rules(PasswordPolicy.defaults(), max + "c", null)).containsExactly(Rule.TOO_LONG);
        assertThat(PasswordPolicy.defaults().check(max + "c", null)).extracting(PolicyViolation::message)
                .containsExactly("Use at most 128 characters.");
    }

    @Test
    void minimumLengthIsInclusive() {
        PasswordPolicy p = PasswordPolicy.builder().minLength(10).build();
        assertThat(rules(p, "Vq7-Otter!", null)).doesNotContain(Rule.TOO_SHORT);
        assertThat(rules(p, "Vq7-Otter", null)).contains(Rule.TOO_SHORT);
    }

    @Test
    void repetitivePasswordsUpToOneHundredCharactersAreStillJudgedCommon() {
        String repeated = "Password1".repeat(11) + "P";
        assertThat(repeated).hasSize(100);
        assertThat(rules(PasswordPolicy.defaults(), repeated, null)).containsExactly(Rule.TOO_COMMON);
    }

    @Test
    void symbolRuleIsEnforcedWhenConfigured() {
        PasswordPolicy p = PasswordPolicy.builder().requireSymbol(true).build();
        assertThat(p.check("Vq7glimmerOtter", null)).extracting(PolicyViolation::message)
                .containsExactly("Include at least one symbol or punctuation character.");
        assertThat(rules(p, "Vq7-glimmer-Otter", null)).isEmpty();
        assertThat(p.describe()).contains("a symbol");
    }

    @Test
    void eachCompositionRuleCanBeSwitchedOffIndependently() {
        assertThat(rules(PasswordPolicy.builder().requireUppercase(false).build(), "vq7-glimmer-otter", null)).isEmpty();
        assertThat(rules(PasswordPolicy.builder().requireLowercase(false).build(), "VQ7-GLIMMER-OTTER", null)).isEmpty();
        assertThat(rules(PasswordPolicy.builder().requireDigit(false).build(), "Vqx-glimmer-Otter", null)).isEmpty();
        assertThat(rules(PasswordPolicy.defaults(), "VQ7-GLIMMER-OTTER", null)).containsExactly(Rule.MISSING_LOWERCASE);
        assertThat(rules(PasswordPolicy.defaults(), "Vqx-glimmer-Otter", null)).containsExactly(Rule.MISSING_DIGIT);
        assertThat(rules(PasswordPolicy.defaults(), "vq7-glimmer-otter", null)).containsExactly(Rule.MISSING_UPPERCASE);
    }

    @Test
    void raisedGuessFloorRejectsModeratelyStrongPasswords() {
        // zxcvbn estimates about 10^9.2 guesses for this one.
        assertThat(rules(PasswordPolicy.defaults(), "Vq7-Otter!", null)).isEmpty();
        assertThat(rules(PasswordPolicy.builder().minGuessesLog10(9).build(), "Vq7-Otter!", null)).isEmpty();
        assertThat(rules(PasswordPolicy.builder().minGuessesLog10(10).build(), "Vq7-Otter!", null)).containsExactly(Rule.TOO_COMMON);
        assertThatThrownBy(() -> PasswordPolicy.builder().minGuessesLog10(15)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordPolicy.builder().minGuessesLog10(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void personalTokensShorterThanFourCharactersDoNotCount() {
        assertThat(rules(PasswordPolicy.defaults(), "Xq7-ann-Vortex", new PersonalInfo(null, "Ann", null))).isEmpty();
        assertThat(rules(PasswordPolicy.defaults(), "Xq7-anna-Vortex", new PersonalInfo(null, "Anna", null)))
                .containsExactly(Rule.CONTAINS_PERSONAL_INFO);
        assertThat(rules(PasswordPolicy.defaults(), "Xq7-htims-Vortex", new PersonalInfo(null, "Smith", null)))
                .containsExactly(Rule.CONTAINS_PERSONAL_INFO);
        assertThat(rules(PasswordPolicy.defaults(), "Xq7-nordwind-Vortex", new PersonalInfo("k@nordwind.example", null, null)))
                .containsExactly(Rule.CONTAINS_PERSONAL_INFO);
        assertThat(rules(PasswordPolicy.defaults(), "Xq7-nordwind-Vortex", new PersonalInfo("k@nordwind", " ", "")))
                .containsExactly(Rule.CONTAINS_PERSONAL_INFO);
    }

    @Test
    void missingOrEmptyPasswordReportsOnlyTheComposableRules() {
        assertThat(rules(PasswordPolicy.defaults(), null, null))
                .containsExactly(Rule.TOO_SHORT, Rule.MISSING_UPPERCASE, Rule.MISSING_LOWERCASE, Rule.MISSING_DIGIT);
        assertThat(rules(PasswordPolicy.nist(false), "", null)).containsExactly(Rule.TOO_SHORT);
    }

    @Test
    void enforceAcceptsAGoodPasswordSilently() throws Exception {
        PasswordPolicy.defaults().enforce("Vq7-glimmer-Otter", PersonalInfo.none());
        assertThat(PasswordPolicy.nist(true).describe()).isEqualTo("Use 12 to 128 characters. Common passwords and ones containing "
                + "your e-mail, name or business name are not accepted.");
    }

    @Test
    void builderRefusesImpossibleRanges() {
        assertThatThrownBy(() -> PasswordPolicy.builder().minLength(200).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordPolicy.builder().maxLength(1025)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PasswordPolicy.builder().minLength(8).maxLength(64).build().maxLength()).isEqualTo(64);
        assertThat(PasswordPolicy.builder().minLength(1024).maxLength(1024).build().minLength()).isEqualTo(1024);
    }
}
