package dev.bulwark.app.cli;

import dev.bulwark.app.keys.KeyRotation;
import dev.bulwark.crypto.KeysetName;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.List;
import java.util.Map;

@Command(name = "rotate-keys", mixinStandardHelpOptions = true,
        description = {"Rotates a keyset (or all) and re-encrypts every value and file that depends on it, in batches, while the app "
                + "keeps serving. Resumable after a crash and idempotent. Ends with a verification pass: only when no value depends on "
                + "an old key may it be disabled (--disable-old).",
                "Keysets: fields, searchable-fields, blind-index, files, backups, connection-credentials, link-signing, audit, "
                        + "password-pepper, workspace/<id>/data, workspace/<id>/files.",
                "password-pepper: password hashes move to the new pepper at each user's next sign-in, so its rotation stays open "
                        + "(a later run adds no key) until no hash names an old key; only then does --disable-old retire them.",
                "Exit code: 0 every rotation is clean, 1 some value still needs an old key (run again), 2 configuration error."})
public final class RotateKeysCommand extends OpsCommand {
    static final class Which {
        @Option(names = "--keyset", paramLabel = "NAME", required = true, description = "The keyset to rotate.")
        String keyset;

        @Option(names = "--all", required = true, description = "Every live keyset.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--disable-old", description = "Disable the old keys once the verification pass proves them unused.")
    boolean disableOld;

    @Option(names = "--batch-size", defaultValue = "200", description = "Values per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    public RotateKeysCommand() {
        super();
    }

    RotateKeysCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    int run(OpsContext ctx, ConsoleProgress progress) {
        KeyRotation rotation = new KeyRotation(ctx.db.dataSource(), ctx.db.postgres(), ctx.keys.keyring(), ctx.config.dataDir.resolve("files"),
                ctx.audit, Clock.systemUTC()).batchSize(batchSize);
        List<KeysetName> names = which.all ? rotation.allKeysets()
                : ctx.keys.keyring().storedKeysets().stream().filter(n -> n.id().equals(which.keyset)).toList();
        if (names.isEmpty()) {
            err.println("no keyset named '" + which.keyset + "' (see --help for the names)");
            return CONFIG;
        }
        boolean clean = true;
        for (KeysetName n : names) {
            if (ctx.keys.keyring().isDestroyed(n)) {
                err.println(n.id() + " was destroyed (crypto-shredded); nothing to rotate");
                return CONFIG;
            }
            KeyRotation.Result r = rotation.rotate(n, disableOld, progress);
            progress.close();
            out.println(r.summary());
            clean &= r.clean();
        }
        return clean ? OK : FAILED;
    }
}
