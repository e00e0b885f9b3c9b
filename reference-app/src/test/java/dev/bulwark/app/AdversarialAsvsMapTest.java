package dev.bulwark.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the repository's ASVS.md from rotting: every Level 1 + 2 requirement of V2, V3, V4, V6, V7, V8, V9, V12 and V13
 * (OWASP ASVS 4.0.3) appears exactly once with a status; every applicable one names at least one test; every named
 * {@code Class#method} is a test method declared in the repository's test sources; and where a Surefire or Failsafe
 * report of that test exists (a build that already ran it), the test passed there.
 */
class AdversarialAsvsMapTest {
    /** The requirement ids of ASVS 4.0.3 at Level 1 or 2 in the mapped chapters (deleted ids included, marked n/a in the map). */
    static final String IDS = """
            2.1.1 2.1.2 2.1.3 2.1.4 2.1.5 2.1.6 2.1.7 2.1.8 2.1.9 2.1.10 2.1.11 2.1.12 2.2.1 2.2.2 2.2.3 2.3.1 2.3.2 2.3.3
            2.4.1 2.4.2 2.4.3 2.4.4 2.4.5 2.5.1 2.5.2 2.5.3 2.5.4 2.5.5 2.5.6 2.5.7 2.6.1 2.6.2 2.6.3 2.7.1 2.7.2 2.7.3 2.7.4
            2.7.5 2.7.6 2.8.1 2.8.2 2.8.3 2.8.4 2.8.5 2.8.6 2.9.1 2.9.2 2.9.3 2.10.1 2.10.2 2.10.3 2.10.4
            3.1.1 3.2.1 3.2.2 3.2.3 3.3.1 3.3.2 3.3.3 3.3.4 3.4.1 3.4.2 3.4.3 3.4.4 3.4.5 3.5.1 3.5.2 3.5.3 3.7.1
            4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.2.1 4.2.2 4.3.1 4.3.2 4.3.3
            6.1.1 6.1.2 6.1.3 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5 6.2.6 6.3.1 6.3.2 6.4.1 6.4.2
            7.1.1 7.1.2 7.1.3 7.1.4 7.2.1 7.2.2 7.3.1 7.3.2 7.3.3 7.3.4 7.4.1 7.4.2 7.4.3
            8.1.1 8.1.2 8.1.3 8.1.4 8.2.1 8.2.2 8.2.3 8.3.1 8.3.2 8.3.3 8.3.4 8.3.5 8.3.6 8.3.7 8.3.8
            9.1.1 9.1.2 9.1.3 9.2.1 9.2.2 9.2.3 9.2.4
            12.1.1 12.1.2 12.1.3 12.2.1 12.3.1 12.3.2 12.3.3 12.3.4 12.3.5 12.3.6 12.4.1 12.4.2 12.5.1 12.5.2 12.6.1
            13.1.1 13.1.2 13.1.3 13.1.4 13.1.5 13.2.1 13.2.2 13.2.3 13.2.4 13.2.5 13.2.6 13.3.1 13.3.2 13.4.1 13.4.2
            """;
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+\\.\\d+\\.\\d+)\\s*\\|\\s*(L[12])\\s*\\|([^|]*)\\|\\s*([a-z/]+)\\s*\\|(.*)\\|\\s*$");
    private static final Pattern TEST_REF = Pattern.compile("`([A-Z][A-Za-z0-9_]*)#([a-z][A-Za-z0-9_]*)`");
    private static final Pattern TEST_ANNOTATION = Pattern.compile("@(Test|Property|ParameterizedTest|RepeatedTest|Example|TestFactory)\\b");

    record Row(String id, String status, String evidence) {}

    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("ASVS.md"))) p = p.getParent();
        assertThat(p).as("ASVS.md in the working directory or a parent").isNotNull();
        return p;
    }

    static Map<String, Row> rows(Path root) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("ASVS.md"), StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) continue;
            if (rows.put(m.group(1), new Row(m.group(1), m.group(4), m.group(5).strip())) != null) duplicates.add(m.group(1));
        }
        assertThat(duplicates).as("requirements listed twice").isEmpty();
        return rows;
    }

    /** Every test source file of the repository by simple class name (outside build output). */
    static Map<String, List<Path>> testSources(Path root) throws IOException {
        Map<String, List<Path>> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/test/java/") && !f.toString().contains("/target/"))
                    .forEach(f -> out.computeIfAbsent(f.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(f));
        }
        return out;
    }

    static boolean declaresTestMethod(String source, String method) {
        Matcher m = Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(").matcher(source);
        while (m.find()) {
            String before = source.substring(Math.max(0, m.start() - 400), m.start());
            int lastBrace = Math.max(before.lastIndexOf('}'), before.lastIndexOf(';'));
            if (TEST_ANNOTATION.matcher(before.substring(lastBrace + 1)).find()) return true;
        }
        return false;
    }

    @Test
    void everyMappedChapterRequirementIsListedOnceWithAStatusAndApplicableOnesNameATest() throws IOException {
        Map<String, Row> rows = rows(repositoryRoot());
        Set<String> expected = new TreeSet<>(List.of(IDS.trim().split("\\s+")));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(rows.keySet());
        Set<String> extra = new TreeSet<>(rows.keySet());
        extra.removeAll(expected);
        assertThat(missing).as("requirements missing from ASVS.md").isEmpty();
        assertThat(extra).as("rows that are not Level 1/2 requirements of the mapped chapters").isEmpty();
        List<String> problems = new ArrayList<>();
        int applicable = 0;
        int gaps = 0;
        for (Row r : rows.values()) {
            switch (r.status()) {
                case "applicable" -> {
                    applicable++;
                    if (!TEST_REF.matcher(r.evidence()).find()) problems.add(r.id() + " is applicable but names no test");
                }
                case "gap" -> {
                    gaps++;
                    if (r.evidence().replaceAll("`[^`]*`", "").replace("—", "").isBlank()) problems.add(r.id() + " is a gap without a reason");
                }
                case "n/a" -> {
                    if (r.evidence().isBlank()) problems.add(r.id() + " is n/a without a reason");
                }
                default -> problems.add(r.id() + " has an unknown status '" + r.status() + "'");
            }
        }
        System.out.printf("[adversarial] ASVS 4.0.3 L2 map: %d requirements, %d applicable with tests, %d gaps, covered/applicable %d/%d%n",
                rows.size(), applicable, gaps, applicable, applicable + gaps);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyTestNamedInTheAsvsMapExistsAndPassedWhereAReportExists() throws IOException {
        Path root = repositoryRoot();
        Map<String, Row> rows = rows(root);
        Map<String, List<Path>> sources = testSources(root);
        Set<String> refs = new LinkedHashSet<>();
        for (Row r : rows.values()) {
            Matcher m = TEST_REF.matcher(r.evidence());
            while (m.find()) refs.add(m.group(1) + "#" + m.group(2));
        }
        List<String> problems = new ArrayList<>();
        for (String ref : refs) {
            String cls = ref.substring(0, ref.indexOf('#'));
            String method = ref.substring(ref.indexOf('#') + 1);
            List<Path> files = sources.getOrDefault(cls, List.of());
            boolean found = false;
            for (Path f : files) found |= declaresTestMethod(Files.readString(f, StandardCharsets.UTF_8), method);
            if (files.isEmpty()) problems.add(ref + ": no test class " + cls + " in the repository");
            else if (!found) problems.add(ref + ": " + cls + " declares no test method " + method);
        }
        // Reports of tests that already ran in this checkout (other modules, or an earlier verify of this one).
        int green = 0;
        int reported = 0;
        for (String ref : refs) {
            String cls = ref.substring(0, ref.indexOf('#'));
            String method = ref.substring(ref.indexOf('#') + 1);
            Set<String> runners = runnersOf(cls, sources);
            Boolean passed = reportedOutcome(root, runners, method);
            if (passed == null) continue;
            reported++;
            if (passed) green++;
            else problems.add(ref + ": its last report shows a failure or error");
        }
        System.out.printf("[adversarial] ASVS map names %d tests: all exist; %d have a report in this checkout, %d of them green%n",
                refs.size(), reported, green);
        assertThat(refs).hasSizeGreaterThan(50);
        assertThat(problems).isEmpty();
    }

    /** The class itself and every test class that extends it (abstract suites run through their subclasses). */
    static Set<String> runnersOf(String cls, Map<String, List<Path>> sources) throws IOException {
        Set<String> out = new LinkedHashSet<>(List.of(cls));
        Pattern ext = Pattern.compile("\\bextends\\s+" + Pattern.quote(cls) + "\\b");
        for (Map.Entry<String, List<Path>> e : sources.entrySet()) {
            for (Path f : e.getValue()) if (ext.matcher(Files.readString(f, StandardCharsets.UTF_8)).find()) out.add(e.getKey());
        }
        return out;
    }

    /** True if every reported run of the method passed, false if any failed, null if no report names it. */
    static Boolean reportedOutcome(Path root, Set<String> runners, String method) throws IOException {
        Boolean result = null;
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path module : dirs.filter(Files::isDirectory).toList()) {
                for (String kind : List.of("surefire-reports", "failsafe-reports")) {
                    Path d = module.resolve("target").resolve(kind);
                    if (!Files.isDirectory(d)) continue;
                    try (Stream<Path> r = Files.list(d)) {
                        r.filter(p -> p.getFileName().toString().startsWith("TEST-") && p.toString().endsWith(".xml")).forEach(reports::add);
                    }
                }
            }
        }
        for (Path report : reports) {
            String name = report.getFileName().toString();
            String simple = name.substring(name.lastIndexOf('.', name.length() - 5) + 1, name.length() - 4);
            if (!runners.contains(simple)) continue;
            String xml = Files.readString(report, StandardCharsets.UTF_8);
            for (String tc : xml.split("<testcase ")) {
                Matcher n = Pattern.compile("^name=\"([^\"]*)\"").matcher(tc);
                if (!n.find()) continue;
                String tn = n.group(1);
                if (!(tn.equals(method) || tn.startsWith(method + "(") || tn.startsWith(method + " ") || tn.startsWith(method + "["))) continue;
                int end = tc.indexOf("</testcase>");
                String caseBody = end < 0 ? tc : tc.substring(0, end);
                boolean bad = caseBody.contains("<failure") || caseBody.contains("<error") || caseBody.contains("<skipped");
                result = (result == null ? true : result) && !bad;
            }
        }
        return result;
    }
}
