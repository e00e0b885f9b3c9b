package dev.bulwark.app.cli;

import dev.bulwark.app.platform.ConfigException;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Base of the operations subcommands: configuration from the environment (as for serve), a progress bar on stderr,
 * exit code 0 on success, 1 when the operation found a problem (failed drill, broken audit chain, unclean
 * rotation, failed backup), 2 for bad configuration or usage.
 */
abstract class OpsCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int CONFIG = 2;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    private final Map<String, String> env;
    PrintStream out = System.out;
    PrintStream err = System.err;

    OpsCommand() {
        this(System.getenv());
    }

    OpsCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public final Integer call() {
        try (OpsContext ctx = OpsContext.open(env); ConsoleProgress progress = new ConsoleProgress(err, quiet)) {
            return run(ctx, progress);
        } catch (ConfigException e) {
            err.println("Bulwark cannot run this command: " + e.getMessage());
            return CONFIG;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return CONFIG;
        } catch (RuntimeException e) {
            err.println("failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return FAILED;
        }
    }

    abstract int run(OpsContext ctx, ConsoleProgress progress);
}
