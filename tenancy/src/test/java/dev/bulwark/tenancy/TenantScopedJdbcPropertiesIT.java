package dev.bulwark.tenancy;

import dev.bulwark.testkit.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based property: random rows in three workspaces, then random reads, counts, inserts, updates and deletes
 * through {@link TenantScopedJdbc} by owners of each workspace and by a staff member (own rows only), often aimed at
 * ids of other workspaces. Every result must equal what a simple in-memory model predicts, and at the end the whole
 * table (every workspace) must equal the model: no operation ever touched another workspace's rows.
 *
 * <p>On PostgreSQL the helper runs as the superuser table owner without row-level security, so it is the helper's own
 * predicate that is tested here (RowLevelSecurityIT tests the second wall).
 */
class TenantScopedJdbcPropertiesIT {
    private static final Map<TestDatabase.Kind, Env> ENVS = new EnumMap<>(TestDatabase.Kind.class);

    record Row(int ws, String owner, String body, int amount) {}

    record Seed(int ws, boolean staffOwned, int amount) {}

    /** kind: 0 read, 1 count, 2 insert, 3 update, 4 delete. filter: 0 all, 1 by id, 2 amount > n. */
    record Op(int actor, int kind, int filter, long id, int amount) {}

    private static final class Env {
        final TestDatabase db;
        final TenantScopedJdbc jdbc;
        final TestTenants tenants = new TestTenants();
        final Workspace[] ws = new Workspace[3];
        final TenantContext[] actors = new TenantContext[4]; // owners of ws 0,1,2 and staff of ws 0

        Env(TestDatabase.Kind kind) {
            db = kind.open();
            try {
                TestTenants.exec(db.dataSource(), TenantScopedJdbcIT.DDL);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            jdbc = TenantScopedJdbc.builder().dataSource(db.dataSource()).build();
            String[] owners = {"o0", "o1", "o2"};
            for (int i = 0; i < 3; i++) {
                ws[i] = tenants.workspace(owners[i]);
                actors[i] = tenants.as(Role.OWNER, owners[i], ws[i]);
            }
            actors[3] = tenants.as(Role.STAFF, "o0", ws[0]);
        }

        int wsIndex(String id) {
            for (int i = 0; i < 3; i++) if (ws[i].id().equals(id)) return i;
            throw new AssertionError("row in unknown workspace " + id);
        }
    }

    private static synchronized Env env(TestDatabase.Kind kind) {
        return ENVS.computeIfAbsent(kind, Env::new);
    }

    @AfterContainer
    static synchronized void closeDatabases() {
        ENVS.values().forEach(e -> e.db.close());
        ENVS.clear();
    }

    @Property(tries = 150)
    void randomOperationsNeverTouchAnotherWorkspaceOnH2(@ForAll("seeds") List<Seed> seeds, @ForAll("ops") List<Op> ops) throws Exception {
        check(env(TestDatabase.Kind.H2), seeds, ops);
    }

    @Property(tries = 150)
    void randomOperationsNeverTouchAnotherWorkspaceOnPostgres(@ForAll("seeds") List<Seed> seeds, @ForAll("ops") List<Op> ops) throws Exception {
        check(env(TestDatabase.Kind.POSTGRESQL), seeds, ops);
    }

    @Provide
    Arbitrary<List<Seed>> seeds() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 100)).as(Seed::new).list().ofMaxSize(15);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2), Arbitraries.longs().between(1, 25),
                Arbitraries.integers().between(0, 100)).as(Op::new).list().ofMinSize(1).ofMaxSize(20);
    }

    private static void check(Env env, List<Seed> seeds, List<Op> ops) throws SQLException {
        TreeMap<Long, Row> model = new TreeMap<>();
        try (Connection c = env.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM notes");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, workspace_id, owner_id, body, amount) VALUES (?, ?, ?, ?, ?)")) {
                long id = 1;
                for (Seed seed : seeds) {
                    String owner = seed.staffOwned() && seed.ws() == 0 ? env.actors[3].memberId() : env.actors[seed.ws()].memberId();
                    Row r = new Row(seed.ws(), owner, "r" + id, seed.amount());
                    ps.setLong(1, id);
                    ps.setString(2, env.ws[r.ws()].id());
                    ps.setString(3, r.owner());
                    ps.setString(4, r.body());
                    ps.setInt(5, r.amount());
                    ps.executeUpdate();
                    model.put(id++, r);
                }
            }
        }
        for (Op op : ops) {
            TenantContext ctx = env.actors[op.actor()];
            int ws = op.actor() == 3 ? 0 : op.actor();
            boolean ownOnly = op.actor() == 3;
            Where where = switch (op.filter()) {
                case 0 -> Where.all();
                case 1 -> Where.eq("id", op.id());
                default -> Where.of("amount > ?", op.amount());
            };
            List<Long> visible = new ArrayList<>();
            model.forEach((id, r) -> {
                boolean matches = switch (op.filter()) {
                    case 0 -> true;
                    case 1 -> id == op.id();
                    default -> r.amount() > op.amount();
                };
                if (r.ws() == ws && (!ownOnly || r.owner().equals(ctx.memberId())) && matches) visible.add(id);
            });
            switch (op.kind()) {
                case 0 -> {
                    List<Long> got = env.jdbc.select(ctx, TenantScopedJdbcIT.NOTES, "id, workspace_id", where, "id", 1000, r -> {
                        assertThat(env.wsIndex(r.getString(2))).isEqualTo(ws);
                        return r.getLong(1);
                    });
                    assertThat(got).isEqualTo(visible);
                }
                case 1 -> assertThat(env.jdbc.count(ctx, TenantScopedJdbcIT.NOTES, where)).isEqualTo(visible.size());
                case 2 -> {
                    long id = model.isEmpty() ? 1 : model.lastKey() + 1;
                    assertThat(env.jdbc.insert(ctx, TenantScopedJdbcIT.NOTES, ownOnly
                            ? Map.of("id", id, "body", "n" + id, "amount", op.amount())
                            : Map.of("id", id, "body", "n" + id, "amount", op.amount(), "owner_id", ctx.memberId()))).isEqualTo(1);
                    model.put(id, new Row(ws, ctx.memberId(), "n" + id, op.amount()));
                }
                case 3 -> {
                    assertThat(env.jdbc.update(ctx, TenantScopedJdbcIT.NOTES, Map.of("amount", op.amount(), "body", "u"), where))
                            .isEqualTo(visible.size());
                    for (Long id : visible) {
                        Row r = model.get(id);
                        model.put(id, new Row(r.ws(), r.owner(), "u", op.amount()));
                    }
                }
                default -> {
                    assertThat(env.jdbc.delete(ctx, TenantScopedJdbcIT.NOTES, where)).isEqualTo(visible.size());
                    visible.forEach(model::remove);
                }
            }
        }
        TreeMap<Long, Row> actual = new TreeMap<>();
        try (Connection c = env.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, workspace_id, owner_id, body, amount FROM notes")) {
            while (rs.next()) {
                actual.put(rs.getLong(1), new Row(env.wsIndex(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getInt(5)));
            }
        }
        assertThat(actual).isEqualTo(model);
    }
}
