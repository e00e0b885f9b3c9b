package dev.bulwark.auth.password;

import dev.bulwark.auth.password.PolicyViolation.Rule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyTest {
    private static final PersonalInfo ANN = new PersonalInfo("ann.smith@sunrise-bakery.com", "Ann Smith", "Sunrise Bakery");

    private static List<Rule> rules(PasswordPolicy p, String pw, PersonalInfo info) {
        return p.check(pw, info).stream().map(PolicyViolation::rule).toList();
    }

    @Test
    void defaultPresetAcceptsAStrongPasswordWithAllClasses() {
        assertThat(PasswordPolicy.defaults().check("Vq7-glimmer-Otter", ANN)).isEmpty();
    }

    @Test
    void defaultPresetListsEveryUnmetCompositionRule() {
        List<PolicyViolation> v = PasswordPolicy.defaults().check("abc", ANN);
        assertThat(v).extracting(PolicyViolation::rule).contains(Rule.TOO_SHORT, Rule.MISSING_UPPERCASE, Rule.MISSING_DIGIT);
        assertThat(v).extracting(PolicyViolation::message).allSatisfy(m -> assertThat(m).endsWith("."));
        assertThat(v).extracting(PolicyViolation::message).contains("Use at least 8 characters.", "Include at least one digit.");
    }

    @Test
    void veryCommonPasswordsAreRejectedEvenWhenTheyMeetCompositionRules() {
        assertThat(rules(PasswordPolicy.defaults(), "Password1", null)).containsExactly(Rule.TOO_COMMON);
        assertThat(rules(PasswordPolicy.defaults(), "Qwerty123", null)).containsExactly(Rule.TOO_COMMON);
        assertThat(rules(PasswordPolicy.nist(false), "passwordpassword", null)).contains(Rule.TOO_COMMON);
    }

    @Test
    void passwordsBuiltFromEmailNameOrBusinessAreRejected() {
        assertThat(rules(PasswordPolicy.defaults(), "AnnSmith2024x", ANN)).contains(Rule.CONTAINS_PERSONAL_INFO);
        assertThat(rules(PasswordPolicy.defaults(), "SunriseBakery9!", ANN)).contains(Rule.CONTAINS_PERSONAL_INFO);
        assertThat(rules(PasswordPolicy.defaults(), "Xx9-ann.smith", ANN)).contains(Rule.CONTAINS_PERSONAL_INFO);
        // The same password is fine for someone else.
        assertThat(rules(PasswordPolicy.defaults(), "SunriseBakery9!", new PersonalInfo("bob@example.org", "Bob Jones", "Jones Plumbing")))
                .doesNotContain(Rule.CONTAINS_PERSONAL_INFO);
    }

    @Test
    void tooLongPasswordIsRejected() {
        assertThat(rules(PasswordPolicy.defaults(), "Aa1" + "x".repeat(126), null)).containsExactly(Rule.TOO_LONG);
    }

    @Test
    void nistPresetNeedsFifteenWithoutMfaAndTwelveWithMfa() {
        String twelve = "glimmer otte"; // 12 characters, lower-case only
        assertThat(rules(PasswordPolicy.nist(true), "zebra quartz vl", null)).isEmpty();
        assertThat(rules(PasswordPolicy.nist(false), "zebra quartz vl", null)).isEmpty();
        assertThat(rules(PasswordPolicy.nist(false), "zebra quartz v", null)).containsExactly(Rule.TOO_SHORT);
        assertThat(PasswordPolicy.nist(true).minLength()).isEqualTo(12);
        assertThat(PasswordPolicy.nist(false).minLength()).isEqualTo(15);
        assertThat(rules(PasswordPolicy.nist(true), twelve, null)).doesNotContain(Rule.TOO_SHORT, Rule.MISSING_UPPERCASE, Rule.MISSING_DIGIT);
    }

    @Test
    void nistPresetAllowsAtLeast64CharactersWithoutCompositionRules() {
        String passphrase = "the quiet lighthouse keeper paints orange boats every tuesday ok"; // 64 chars
        assertThat(passphrase).hasSize(64);
        assertThat(PasswordPolicy.nist(false).check(passphrase, ANN)).isEmpty();
        assertThat(PasswordPolicy.nist(false).maxLength()).isGreaterThanOrEqualTo(64);
    }

    @Test
    void enforceThrowsWithEveryViolationInTheMessage() {
        assertThatThrownBy(() -> PasswordPolicy.defaults().enforce("short", ANN))
                .isInstanceOfSatisfying(PasswordPolicyException.class, e -> {
                    assertThat(e.violations()).hasSizeGreaterThanOrEqualTo(3);
                    assertThat(e.getMessage()).contains("at least 8 characters").contains("upper-case").contains("digit")
                            .doesNotContain("short");
                });
    }

    @Test
    void builderRefusesToWeakenBelowTheFloor() {
        assertThatThrownBy(() -> PasswordPolicy.builder().minLength(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordPolicy.builder().maxLength(32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordPolicy.builder().minGuessesLog10(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describeMentionsTheRules() {
        assertThat(PasswordPolicy.defaults().describe()).contains("8 to 128").contains("upper-case").contains("digit");
    }
}
