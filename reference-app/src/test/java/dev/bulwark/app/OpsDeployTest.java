package dev.bulwark.app;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/bulwark.service: the supervisor promises (restart, memory cap, clean exit on OOM, sandbox), and systemd's own check. */
class OpsDeployTest {
    private static final Path UNIT = Path.of("..", "deploy", "bulwark.service");

    private static Map<String, String> service() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(UNIT, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("[")) {
                section = l;
                continue;
            }
            if (section.equals("[Service]")) {
                int eq = l.indexOf('=');
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }

    @Test
    void unitRestartsOnFailureCapsMemoryAndIsSandboxed() throws Exception {
        Map<String, String> s = service();
        assertThat(s).containsEntry("Restart", "on-failure").containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
                .containsEntry("PrivateTmp", "yes").containsEntry("ReadWritePaths", "/var/lib/bulwark").containsEntry("CapabilityBoundingSet", "")
                .containsKey("MemoryMax").doesNotContainKey("MemoryDenyWriteExecute");
        assertThat(s.get("ExecStart")).contains("-XX:+ExitOnOutOfMemoryError").contains("-jar").endsWith(" serve");
        assertThat(s.get("WorkingDirectory")).startsWith("/var/lib/bulwark");
    }

    @Test
    void jvmMemoryFitsBelowTheUnitsMemoryCap() throws Exception {
        Map<String, String> s = service();
        long cap = mb(s.get("MemoryMax"));
        String exec = s.get("ExecStart");
        long total = 0;
        for (String flag : List.of("-Xmx", "-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=", "-XX:MaxDirectMemorySize=")) {
            Matcher m = Pattern.compile(Pattern.quote(flag) + "(\\d+[mMgG])").matcher(exec);
            assertThat(m.find()).as(flag + " is set, so the JVM cannot grow past the cap").isTrue();
            total += mb(m.group(1));
        }
        assertThat(total).as("heap + metaspace + code cache + direct buffers, MB").isLessThan(cap);
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAnyWarning() throws Exception {
        Path tool = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(tool), "systemd-analyze is not installed here");
        Process p = new ProcessBuilder(tool.toString(), "verify", UNIT.toAbsolutePath().normalize().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // systemd-analyze exits 0 even for unknown keys or bad values ("ignoring"), so any output is a failure too.
        assertThat(out.strip()).isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    private static long mb(String v) {
        char unit = Character.toUpperCase(v.charAt(v.length() - 1));
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return unit == 'G' ? n * 1024 : n;
    }
}
