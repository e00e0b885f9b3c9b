package dev.bulwark.app;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads "METHOD /path" operations from the app's OpenAPI YAML (block or one-line flow style under each path). */
final class OpenApiPaths {
    private static final Pattern PATH = Pattern.compile("^  (/\\S*):(.*)$");
    private static final Pattern BLOCK_METHOD = Pattern.compile("^    (get|post|put|delete|patch):.*$");

    private OpenApiPaths() {}

    static Set<String> operations(String yaml) {
        Set<String> out = new TreeSet<>();
        boolean inPaths = false;
        String current = null;
        for (String line : yaml.split("\n")) {
            if (line.startsWith("paths:")) {
                inPaths = true;
                continue;
            }
            if (!inPaths) continue;
            if (!line.startsWith(" ") && !line.isBlank()) break;
            Matcher p = PATH.matcher(line);
            if (p.matches()) {
                current = p.group(1);
                String rest = p.group(2).strip();
                if (rest.startsWith("{")) {
                    int depth = 0;
                    StringBuilder key = new StringBuilder();
                    for (char c : rest.toCharArray()) {
                        if (c == '{' || c == '[') {
                            depth++;
                            key.setLength(0);
                        } else if (c == '}' || c == ']') {
                            depth--;
                        } else if (depth == 1 && c == ':') {
                            String k = key.toString().strip();
                            if (k.matches("get|post|put|delete|patch")) out.add(k.toUpperCase() + " " + current);
                            key.setLength(0);
                        } else if (depth == 1 && c == ',') {
                            key.setLength(0);
                        } else if (depth == 1) {
                            key.append(c);
                        }
                    }
                }
                continue;
            }
            Matcher m = BLOCK_METHOD.matcher(line);
            if (m.matches() && current != null) out.add(m.group(1).toUpperCase() + " " + current);
        }
        return out;
    }
}
