package dev.bulwark.auth.password;

import dev.bulwark.auth.password.InvalidPasswordHashException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredHashTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "plaintext|UNKNOWN_FORMAT",
            "$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|UNSUPPORTED_VARIANT",
            "$argon2id$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|UNSUPPORTED_VARIANT",
            "$argon2id$v=16$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|UNSUPPORTED_VARIANT",
            "$argon2id$v=19$m=9999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|PARAMETERS_OUT_OF_RANGE",
            "$argon2id$v=19$m=256,t=1000,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|PARAMETERS_OUT_OF_RANGE",
            "$argon2id$v=19$m=0256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|MALFORMED",
            "$argon2id$v=19$t=1,m=256,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|MALFORMED",
            "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|MALFORMED",
            "$argon2id$v=19$m=256,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g|PARAMETERS_OUT_OF_RANGE",
            "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe|MALFORMED",
            "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW|UNSUPPORTED_VARIANT",
            "$2a$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW|PARAMETERS_OUT_OF_RANGE",
            "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe!|MALFORMED",
            "$pbkdf2-sha256$i=0$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA|PARAMETERS_OUT_OF_RANGE",
            "$pbkdf2-sha256$i=99999999$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA|PARAMETERS_OUT_OF_RANGE",
            "$pbkdf2-sha256$i=1,l=99$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA|MALFORMED",
            "pbkdf2_sha256$1000$salt$not base64!|MALFORMED",
    })
    void unreadableStoredHashGivesTypedReason(String stored, Reason reason) {
        assertThatThrownBy(() -> StoredHash.parse(stored))
                .isInstanceOfSatisfying(InvalidPasswordHashException.class, e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(reason));
    }
}
