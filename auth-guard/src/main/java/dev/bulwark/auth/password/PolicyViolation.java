package dev.bulwark.auth.password;

/**
 * One unmet password rule: a machine-readable {@link Rule} and a sentence the user can read.
 */
public record PolicyViolation(Rule rule, String message) {

    /** The rules a {@link PasswordPolicy} can enforce. */
    public enum Rule {
        TOO_SHORT, TOO_LONG, MISSING_UPPERCASE, MISSING_LOWERCASE, MISSING_DIGIT, MISSING_SYMBOL,
        TOO_COMMON, CONTAINS_PERSONAL_INFO
    }
}
