package dev.bulwark.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login flood ({@link LoginFlood}) as a Failsafe run, outside the unit suite: only the {@code loadtest} profile
 * includes {@code *LoadCheck.java} ({@code mvn -B -pl reference-app verify -Ploadtest}); default builds never run it.
 */
class LoginFloodLoadCheck {
    @Test
    void loginFloodLocksExactlyTheTargetsAtTheThresholdAndNobodyElse() throws Exception {
        List<String> failed = LoginFlood.run(LoginFlood.Settings.defaults());
        assertThat(failed).as("failed checks of the login flood (table above)").isEmpty();
    }
}
