package dev.bulwark.app.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs pg_dump / pg_restore as child processes. The password travels in PGPASSWORD (never on the command line, where
 * any local user could read it); dumps stream through stdout and restores through stdin, so no plaintext dump ever
 * touches the disk.
 */
final class PgTools {
    private final Optional<Path> binDir;

    PgTools(Optional<Path> binDir) {
        this.binDir = binDir;
    }

    String tool(String name) {
        if (binDir.isPresent()) return binDir.get().resolve(name).toString();
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
            if (Files.isExecutable(Path.of(dir, name))) return dir + "/" + name;
        }
        return name;
    }

    /** A running tool: its stdin/stdout and a collector of its stderr (for the error message). */
    static final class Run implements AutoCloseable {
        final Process process;
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private final Thread drain;

        Run(Process process) {
            this.process = process;
            this.drain = new Thread(() -> {
                try (InputStream err = process.getErrorStream()) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = err.read(buf)) > 0) {
                        synchronized (stderr) {
                            if (stderr.size() < 16_384) stderr.write(buf, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "pg-tool-stderr");
            drain.setDaemon(true);
            drain.start();
        }

        InputStream stdout() {
            return process.getInputStream();
        }

        OutputStream stdin() {
            return process.getOutputStream();
        }

        /** Waits for the exit; returns null on success, else the tool's error output. */
        String finish(long timeoutMinutes) throws IOException {
            try {
                if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return "timed out after " + timeoutMinutes + " minutes";
                }
                drain.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted");
            }
            if (process.exitValue() == 0) return null;
            String err;
            synchronized (stderr) {
                err = stderr.toString(StandardCharsets.UTF_8).strip();
            }
            return "exit code " + process.exitValue() + (err.isEmpty() ? "" : ": " + err.replaceAll("(?i)(password=)\\S*", "$1<redacted>"));
        }

        @Override
        public void close() {
            if (process.isAlive()) process.destroyForcibly();
        }
    }

    Run start(OwnerDatabase db, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
        String pw = db.effectivePassword();
        if (!pw.isEmpty()) pb.environment().put("PGPASSWORD", pw);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        try {
            return new Run(pb.start());
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (install the PostgreSQL client tools or set BULWARK_PG_BIN_DIR): "
                    + e.getMessage(), e);
        }
    }

    /** pg_dump in custom format of one schema, in the given exported snapshot, key material excluded. */
    List<String> dumpCommand(OwnerDatabase db, String schema, String snapshot, List<String> excludeData) {
        List<String> cmd = new ArrayList<>(List.of(tool("pg_dump"), "--format=custom", "--compress=6", "--no-password",
                "--dbname=" + db.pgAddress().uri(db.pgAddress().database()), "--schema=" + schema));
        if (!db.effectiveUser().isEmpty()) cmd.add("--username=" + db.effectiveUser());
        if (snapshot != null) cmd.add("--snapshot=" + snapshot);
        for (String t : excludeData) cmd.add("--exclude-table-data=" + schema + "." + t);
        return cmd;
    }

    /** pg_restore from stdin into {@code target}'s database; owners and grants are left to the target's own roles. */
    List<String> restoreCommand(OwnerDatabase target) {
        List<String> cmd = new ArrayList<>(List.of(tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--no-password",
                "--dbname=" + target.pgAddress().uri(target.pgAddress().database())));
        if (!target.effectiveUser().isEmpty()) cmd.add("--username=" + target.effectiveUser());
        return cmd;
    }
}
