package dev.bulwark.app.backup;

/** Progress of a long job: the CLI shows it as a progress bar, the scheduler ignores it. */
public interface Progress {
    /** A new phase with {@code total} steps (-1 if unknown). */
    void phase(String name, long total);

    void step(long n);

    Progress NONE = new Progress() {
        @Override
        public void phase(String name, long total) { }

        @Override
        public void step(long n) { }
    };
}
