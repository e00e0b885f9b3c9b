package dev.bulwark.auth.password;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import com.nulabinc.zxcvbn.matchers.Match;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Password requirements. Two documented presets:
 * <ul>
 *   <li>{@link #defaults()}: the promise made to our users: at least 8 characters with an upper-case letter,
 *       a lower-case letter and a digit; at most 128 characters; not very common; not built from the user's
 *       e-mail, name or business name.</li>
 *   <li>{@link #nist(boolean)}: OWASP ASVS 5 / NIST SP 800-63B-4: at least 15 characters, or 12 when the account
 *       has MFA; no composition rules; common/guessable passwords rejected; up to 128 characters allowed.</li>
 * </ul>
 * "Common" is judged by zxcvbn4j (a maintained port of Dropbox's zxcvbn with its frequency lists of leaked
 * passwords, names and words): a password whose estimated guess count is below 10^{@code minGuessesLog10} is refused.
 * {@link #check} reports every unmet rule at once, in words a user can act on.
 */
public final class PasswordPolicy {
    /** Characters beyond which zxcvbn is not run (its matching is super-linear); longer passwords are never "common". */
    private static final int STRENGTH_CHECK_LIMIT = 100;
    private static final Zxcvbn ZXCVBN = new Zxcvbn();

    private final int minLength;
    private final int maxLength;
    private final boolean requireUppercase;
    private final boolean requireLowercase;
    private final boolean requireDigit;
    private final boolean requireSymbol;
    private final int minGuessesLog10;
    private final boolean rejectPersonalInfo;

    private PasswordPolicy(Builder b) {
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        this.requireUppercase = b.requireUppercase;
        this.requireLowercase = b.requireLowercase;
        this.requireDigit = b.requireDigit;
        this.requireSymbol = b.requireSymbol;
        this.minGuessesLog10 = b.minGuessesLog10;
        this.rejectPersonalInfo = b.rejectPersonalInfo;
    }

    /** Our users' promise: min 8, upper + lower + digit, max 128, not common, not personal. */
    public static PasswordPolicy defaults() {
        return builder().build();
    }

    /**
     * NIST SP 800-63B / OWASP ASVS preset: minimum 15 characters, or 12 if {@code mfaEnabled}; no composition rules;
     * maximum 128 (at least 64 is required by NIST); common and personal passwords rejected.
     */
    public static PasswordPolicy nist(boolean mfaEnabled) {
        return builder().minLength(mfaEnabled ? 12 : 15).maxLength(128)
                .requireUppercase(false).requireLowercase(false).requireDigit(false).requireSymbol(false)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every unmet rule; an empty list means the password is acceptable. */
    public List<PolicyViolation> check(CharSequence password, PersonalInfo info) {
        List<PolicyViolation> out = new ArrayList<>();
        String pw = password == null ? "" : password.toString();
        int length = pw.codePointCount(0, pw.length());
        if (length < minLength) out.add(v(PolicyViolation.Rule.TOO_SHORT, "Use at least " + minLength + " characters."));
        if (length > maxLength) {
            out.add(v(PolicyViolation.Rule.TOO_LONG, "Use at most " + maxLength + " characters."));
        }
        if (requireUppercase && pw.codePoints().noneMatch(Character::isUpperCase))
            out.add(v(PolicyViolation.Rule.MISSING_UPPERCASE, "Include at least one upper-case letter."));
        if (requireLowercase && pw.codePoints().noneMatch(Character::isLowerCase))
            out.add(v(PolicyViolation.Rule.MISSING_LOWERCASE, "Include at least one lower-case letter."));
        if (requireDigit && pw.codePoints().noneMatch(Character::isDigit))
            out.add(v(PolicyViolation.Rule.MISSING_DIGIT, "Include at least one digit."));
        if (requireSymbol && pw.codePoints().allMatch(Character::isLetterOrDigit))
            out.add(v(PolicyViolation.Rule.MISSING_SYMBOL, "Include at least one symbol or punctuation character."));
        if (length > maxLength || pw.isEmpty()) return out;

        PersonalInfo personal = info == null ? PersonalInfo.none() : info;
        List<String> tokens = personal.tokens();
        boolean personalHit = false;
        if (rejectPersonalInfo) {
            String lower = pw.toLowerCase(Locale.ROOT);
            String reversed = new StringBuilder(lower).reverse().toString();
            for (String t : tokens) {
                if (t.length() >= 4 && (lower.contains(t) || reversed.contains(t))) {
                    personalHit = true;
                    break;
                }
            }
        }
        if (pw.length() <= STRENGTH_CHECK_LIMIT) {
            Strength s = ZXCVBN.measure(pw, tokens);
            try {
                if (rejectPersonalInfo && !personalHit) {
                    for (Match m : s.getSequence()) {
                        if ("user_inputs".equals(m.dictionaryName) && m.tokenLength() >= 4) {
                            personalHit = true;
                            break;
                        }
                    }
                }
                if (s.getGuessesLog10() < minGuessesLog10 && !personalHit)
                    out.add(v(PolicyViolation.Rule.TOO_COMMON,
                            "This password is too common or too easy to guess; avoid well-known passwords, words and patterns."));
            } finally {
                s.wipe();
            }
        }
        if (personalHit)
            out.add(v(PolicyViolation.Rule.CONTAINS_PERSONAL_INFO, "Do not use your e-mail address, name or business name in your password."));
        return out;
    }

    /** Throws a {@link PasswordPolicyException} listing every unmet rule, if any. */
    public void enforce(CharSequence password, PersonalInfo info) throws PasswordPolicyException {
        List<PolicyViolation> v = check(password, info);
        if (!v.isEmpty()) throw new PasswordPolicyException(v);
    }

    public int minLength() {
        return minLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /** A one-paragraph description of the rules, for showing next to a password field. */
    public String describe() {
        StringBuilder sb = new StringBuilder("Use " + minLength + " to " + maxLength + " characters");
        List<String> need = new ArrayList<>();
        if (requireUppercase) need.add("an upper-case letter");
        if (requireLowercase) need.add("a lower-case letter");
        if (requireDigit) need.add("a digit");
        if (requireSymbol) need.add("a symbol");
        if (!need.isEmpty()) sb.append(" including ").append(String.join(", ", need));
        sb.append(". Common passwords and ones containing your e-mail, name or business name are not accepted.");
        return sb.toString();
    }

    private static PolicyViolation v(PolicyViolation.Rule r, String m) {
        return new PolicyViolation(r, m);
    }

    /** Configures a policy; defaults are {@link #defaults()}. */
    public static final class Builder {
        private int minLength = 8;
        private int maxLength = 128;
        private boolean requireUppercase = true;
        private boolean requireLowercase = true;
        private boolean requireDigit = true;
        private boolean requireSymbol = false;
        private int minGuessesLog10 = 6;
        private boolean rejectPersonalInfo = true;

        private Builder() {}

        /** Minimum length in characters (code points); at least 8. */
        public Builder minLength(int n) {
            if (n < 8) throw new IllegalArgumentException("minLength below 8 is not allowed (NIST SP 800-63B)");
            this.minLength = n;
            return this;
        }

        /** Maximum length in characters; at least 64 (NIST SP 800-63B), at most 1024. */
        public Builder maxLength(int n) {
            if (n < 64 || n > 1024) throw new IllegalArgumentException("maxLength must be within 64..1024");
            this.maxLength = n;
            return this;
        }

        public Builder requireUppercase(boolean b) {
            this.requireUppercase = b;
            return this;
        }

        public Builder requireLowercase(boolean b) {
            this.requireLowercase = b;
            return this;
        }

        public Builder requireDigit(boolean b) {
            this.requireDigit = b;
            return this;
        }

        public Builder requireSymbol(boolean b) {
            this.requireSymbol = b;
            return this;
        }

        /**
         * Minimum zxcvbn guess estimate as a power of ten (default 6: about one million guesses, zxcvbn score 2).
         * May be raised, not lowered below 6: the common-password check cannot be switched off.
         */
        public Builder minGuessesLog10(int n) {
            if (n < 6 || n > 14) throw new IllegalArgumentException("minGuessesLog10 must be within 6..14");
            this.minGuessesLog10 = n;
            return this;
        }

        public PasswordPolicy build() {
            if (minLength > maxLength) throw new IllegalArgumentException("minLength exceeds maxLength");
            return new PasswordPolicy(this);
        }
    }
}
