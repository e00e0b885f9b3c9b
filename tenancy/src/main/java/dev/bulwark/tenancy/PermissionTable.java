package dev.bulwark.tenancy;

/** Renders the role × permission table declared in {@link Permission}, e.g. for documentation or an admin page. */
public final class PermissionTable {
    private PermissionTable() {}

    /** The table as GitHub-flavoured Markdown; the module README contains exactly this text (a test checks it). */
    public static String markdown() {
        StringBuilder sb = new StringBuilder("| Permission | Kind |");
        for (Role r : Role.values()) sb.append(' ').append(r.name().toLowerCase(java.util.Locale.ROOT)).append(" |");
        sb.append("\n|---|---|");
        for (int i = 0; i < Role.values().length; i++) sb.append(":-:|");
        sb.append('\n');
        for (Permission p : Permission.values()) {
            sb.append("| `").append(p.name()).append("` | ").append(p.kind().name().toLowerCase(java.util.Locale.ROOT)).append(" |");
            for (Role r : Role.values()) sb.append(' ').append(r.scope(p).symbol()).append(" |");
            sb.append('\n');
        }
        return sb.toString();
    }
}
