package dev.bulwark.app.cli;

import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.ChainReport;
import dev.bulwark.audit.JdbcAuditStore;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;

@Command(name = "verify-audit", mixinStandardHelpOptions = true,
        description = {"Verifies every audit chain (the platform's and each workspace's): MACs, links, order, the pruning checkpoint, "
                + "and that nothing was cut from the end. Stops at the first break.",
                "Exit code: 0 every chain is intact, 1 a chain is broken (which entry and how is printed), 2 configuration error."})
public final class VerifyAuditCommand extends OpsCommand {
    public VerifyAuditCommand() {
        super();
    }

    VerifyAuditCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    int run(OpsContext ctx, ConsoleProgress progress) {
        List<ChainId> chains = new JdbcAuditStore(ctx.db.dataSource()).chains();
        progress.phase("Verify audit chains", chains.size());
        long entries = 0;
        for (ChainId chain : chains) {
            ChainReport r = ctx.audit.log().verify(chain);
            progress.step(1);
            if (!r.intact()) {
                progress.close();
                out.println("BROKEN " + chain + ": " + r.problem().orElseThrow() + " (" + r.entriesVerified() + " entries verified before it)");
                return FAILED;
            }
            entries += r.entriesVerified();
        }
        progress.close();
        out.println("intact: " + chains.size() + " chain(s), " + entries + " entries verified");
        return OK;
    }
}
