package dev.bulwark.app;

import dev.bulwark.app.keys.EncryptedColumns;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Rotation and restore drills only reach the columns EncryptedColumns lists: every column holding bw1. ciphertext must be listed. */
class OpsEncryptedColumnsIT {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void everyColumnHoldingFieldCiphertextIsRegistered(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            env.seed("Inventory", 3);
            Set<String> registered = EncryptedColumns.ALL.stream().map(EncryptedColumns::id).collect(Collectors.toSet());
            Set<String> found = new TreeSet<>();
            try (Connection c = env.owner()) {
                String schema = env.ops().owner().schema(c);
                List<String[]> columns = new ArrayList<>();
                try (ResultSet rs = c.getMetaData().getColumns(null, schema, "%", "%")) {
                    while (rs.next()) {
                        int type = rs.getInt("DATA_TYPE");
                        if (type == Types.VARCHAR || type == Types.CLOB || type == Types.LONGVARCHAR) {
                            columns.add(new String[] {rs.getString("TABLE_NAME"), rs.getString("COLUMN_NAME")});
                        }
                    }
                }
                for (String[] col : columns) {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + schema + "\".\"" + col[0] + "\" WHERE \""
                            + col[1] + "\" LIKE 'bw1.%'")) {
                        rs.next();
                        if (rs.getLong(1) > 0) found.add(col[0].toLowerCase(Locale.ROOT) + "." + col[1].toLowerCase(Locale.ROOT));
                    }
                }
            }
            assertThat(found).contains("prod_customers.email_enc", "bulwark_upload.display_name");
            assertThat(registered).containsAll(found);
        }
    }
}
