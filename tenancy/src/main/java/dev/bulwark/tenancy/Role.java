package dev.bulwark.tenancy;

/**
 * A member's role inside one workspace. What each role may do is declared in one place only: the table in
 * {@link Permission} (printed by {@link PermissionTable#markdown()} and in the module README).
 */
public enum Role {
    /** Runs the business: everything, including deleting the workspace and appointing other owners. */
    OWNER,
    /** Manages the team, settings and integrations, but cannot delete the workspace or touch owners. */
    ADMIN,
    /** A team member: sees and edits their own schedule and the customers they serve. */
    STAFF,
    /** Invoices and payments; read-only elsewhere. */
    ACCOUNTANT,
    /** Read-only. */
    VIEWER;

    /** The scope this role has for {@code permission}, from the single declared table. */
    public Scope scope(Permission permission) {
        return permission.scopeFor(this);
    }

    public boolean can(Permission permission) {
        return scope(permission).granted();
    }

    /** Parses a stored role name; {@code null} for anything unknown (stores treat that as no membership). */
    static Role parse(String name) {
        if (name == null) return null;
        for (Role r : values()) if (r.name().equals(name)) return r;
        return null;
    }
}
