package dev.bulwark.app.catalog;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Weekly working hours: intervals in minutes after local midnight per ISO weekday, e.g. "mon 09:00-12:00, 13:00-17:00". */
public record WeeklyHours(List<Interval> intervals) {
    public record Interval(int weekday, int startMin, int endMin) {}

    private static final Pattern LINE = Pattern.compile("(mon|tue|wed|thu|fri|sat|sun)\\s+(.+)");
    private static final Pattern RANGE = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)\\s*-\\s*([01]\\d|2[0-4]):([0-5]\\d)");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** Parses the text form; empty with the first problem when a line is malformed or intervals overlap. */
    public static Optional<WeeklyHours> parse(String text, StringBuilder problem) {
        List<Interval> out = new ArrayList<>();
        for (String raw : text.split("[\\n;]")) {
            String line = raw.strip().toLowerCase(Locale.ROOT);
            if (line.isEmpty()) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                problem.append("each line is a weekday (mon..sun) and ranges such as 09:00-17:00");
                return Optional.empty();
            }
            int day = DAYS.indexOf(m.group(1)) + 1;
            for (String r : m.group(2).split(",")) {
                Matcher x = RANGE.matcher(r.strip());
                if (!x.matches()) {
                    problem.append("'").append(r.strip()).append("' is not a range such as 09:00-17:00");
                    return Optional.empty();
                }
                int s = Integer.parseInt(x.group(1)) * 60 + Integer.parseInt(x.group(2));
                int e = Integer.parseInt(x.group(3)) * 60 + Integer.parseInt(x.group(4));
                if (e > 24 * 60 || e <= s || s % 5 != 0 || e % 5 != 0) {
                    problem.append("ranges must end after they start, within the day, on 5-minute marks");
                    return Optional.empty();
                }
                for (Interval i : out) {
                    if (i.weekday() == day && s < i.endMin() && i.startMin() < e) {
                        problem.append("ranges of ").append(m.group(1)).append(" overlap");
                        return Optional.empty();
                    }
                }
                out.add(new Interval(day, s, e));
            }
        }
        return Optional.of(new WeeklyHours(List.copyOf(out)));
    }

    public List<Interval> on(DayOfWeek day) {
        return intervals.stream().filter(i -> i.weekday() == day.getValue()).sorted((a, b) -> a.startMin() - b.startMin()).toList();
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        for (int d = 1; d <= 7; d++) {
            List<Interval> l = on(DayOfWeek.of(d));
            if (l.isEmpty()) continue;
            b.append(DAYS.get(d - 1)).append(' ');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) b.append(", ");
                b.append(hm(l.get(i).startMin())).append('-').append(hm(l.get(i).endMin()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String hm(int min) {
        return String.format(Locale.ROOT, "%02d:%02d", min / 60, min % 60);
    }
}
