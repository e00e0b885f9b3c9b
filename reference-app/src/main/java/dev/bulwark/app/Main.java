package dev.bulwark.app;

import dev.bulwark.app.platform.App;
import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The app jar: {@code java -jar bulwark-app.jar [serve]}. Operations subcommands join here (backup, restore-drill, ...). */
@Command(name = "bulwark-app", mixinStandardHelpOptions = true, version = "Bulwark reference app 0.1.0-SNAPSHOT",
        description = "Bulwark reference app. Without a subcommand it runs 'serve'. Configuration: environment variables "
                + "(see reference-app/README.md).", subcommands = {Main.Serve.class, dev.bulwark.app.cli.BackupCommand.class, dev.bulwark.app.cli.RestoreDrillCommand.class,
                dev.bulwark.app.cli.RestoreCommand.class, dev.bulwark.app.cli.RotateKeysCommand.class, dev.bulwark.app.cli.VerifyAuditCommand.class,
                dev.bulwark.app.cli.IncidentReportCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        return new Serve().call();
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Runs the web app (HTTPS on BULWARK_HTTPS_PORT, default 8443).")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() {
            Config config;
            App app;
            try {
                config = Config.fromEnvironment();
                app = App.start(config);
            } catch (ConfigException e) {
                System.err.println("Bulwark cannot start: " + e.getMessage());
                return 2;
            }
            System.out.println("Bulwark is running: open " + config.publicUrl + "/ (self-signed certificate unless you configured one)");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stop.countDown();
            }, "bulwark-shutdown"));
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }
}
