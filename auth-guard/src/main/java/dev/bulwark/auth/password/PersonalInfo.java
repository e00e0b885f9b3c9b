package dev.bulwark.auth.password;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a password must not be built from: the user's e-mail, name and business name. Any value may be null.
 */
public record PersonalInfo(String email, String name, String businessName) {

    public static PersonalInfo none() {
        return new PersonalInfo(null, null, null);
    }

    /** Lower-case fragments of at least 3 characters: the e-mail, its local part and domain label, each word of the names. */
    List<String> tokens() {
        List<String> out = new ArrayList<>();
        if (email != null && !email.isBlank()) {
            String e = email.trim().toLowerCase(Locale.ROOT);
            add(out, e);
            int at = e.indexOf('@');
            if (at > 0) {
                String local = e.substring(0, at);
                add(out, local);
                for (String part : local.split("[^\\p{L}\\p{N}]+")) add(out, part);
                String domain = e.substring(at + 1);
                int dot = domain.indexOf('.');
                add(out, dot > 0 ? domain.substring(0, dot) : domain);
            }
        }
        for (String s : new String[] {name, businessName}) {
            if (s == null || s.isBlank()) continue;
            String v = s.trim().toLowerCase(Locale.ROOT);
            add(out, v.replaceAll("[^\\p{L}\\p{N}]+", ""));
            for (String part : v.split("[^\\p{L}\\p{N}]+")) add(out, part);
        }
        return out;
    }

    private static void add(List<String> out, String s) {
        if (s.length() >= 3 && !out.contains(s)) out.add(s);
    }
}
