package dev.bulwark.auth.password;

import java.util.List;

/** A password failed the policy. {@link #violations()} lists every unmet rule; the message joins their sentences. */
public final class PasswordPolicyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<PolicyViolation> violations;

    PasswordPolicyException(List<PolicyViolation> violations) {
        super(String.join(" ", violations.stream().map(PolicyViolation::message).toList()));
        this.violations = List.copyOf(violations);
    }

    public List<PolicyViolation> violations() {
        return violations;
    }
}
