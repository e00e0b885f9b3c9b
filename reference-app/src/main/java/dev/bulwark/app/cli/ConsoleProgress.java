package dev.bulwark.app.cli;

import dev.bulwark.app.backup.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** A progress bar per phase on stderr (stdout stays clean for the result), via the progressbar library. */
final class ConsoleProgress implements Progress, AutoCloseable {
    private final PrintStream out;
    private final boolean quiet;
    private ProgressBar bar;

    ConsoleProgress(PrintStream out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    @Override
    public void phase(String name, long total) {
        close();
        if (quiet) return;
        bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out, 100)).setUpdateIntervalMillis(200).build();
    }

    @Override
    public void step(long n) {
        if (bar != null) bar.stepBy(n);
    }

    @Override
    public void close() {
        if (bar != null) {
            if (bar.getMax() > 0) bar.stepTo(bar.getMax());
            bar.close();
            bar = null;
        }
    }
}
