package dev.bulwark.tenancy;

import static dev.bulwark.tenancy.Scope.ALL;
import static dev.bulwark.tenancy.Scope.NONE;
import static dev.bulwark.tenancy.Scope.OWN;

/**
 * What a member may do inside a workspace. <b>This enum is the single source of truth for authorisation:</b> each
 * constant declares its row of the role × permission table, in the column order
 * {@link Role#OWNER OWNER}, {@link Role#ADMIN ADMIN}, {@link Role#STAFF STAFF}, {@link Role#ACCOUNTANT ACCOUNTANT},
 * {@link Role#VIEWER VIEWER}. Nothing else in Bulwark grants a permission.
 */
public enum Permission {
    //                              kind          OWNER ADMIN STAFF ACCOUNTANT VIEWER
    WORKSPACE_VIEW(                 Kind.READ,    ALL,  ALL,  ALL,  ALL,       ALL),
    WORKSPACE_SETTINGS_MANAGE(      Kind.WRITE,   ALL,  ALL,  NONE, NONE,      NONE),
    WORKSPACE_DELETE(               Kind.WRITE,   ALL,  NONE, NONE, NONE,      NONE),
    MEMBERS_VIEW(                   Kind.READ,    ALL,  ALL,  NONE, ALL,       ALL),
    MEMBERS_MANAGE(                 Kind.WRITE,   ALL,  ALL,  NONE, NONE,      NONE),
    SCHEDULE_VIEW(                  Kind.READ,    ALL,  ALL,  OWN,  ALL,       ALL),
    SCHEDULE_MANAGE(                Kind.WRITE,   ALL,  ALL,  OWN,  NONE,      NONE),
    CUSTOMERS_VIEW(                 Kind.READ,    ALL,  ALL,  OWN,  ALL,       ALL),
    CUSTOMERS_MANAGE(               Kind.WRITE,   ALL,  ALL,  OWN,  NONE,      NONE),
    FILES_VIEW(                     Kind.READ,    ALL,  ALL,  OWN,  ALL,       ALL),
    FILES_UPLOAD(                   Kind.WRITE,   ALL,  ALL,  OWN,  NONE,      NONE),
    INVOICES_VIEW(                  Kind.READ,    ALL,  ALL,  NONE, ALL,       ALL),
    INVOICES_MANAGE(                Kind.WRITE,   ALL,  ALL,  NONE, ALL,       NONE),
    PAYMENTS_VIEW(                  Kind.READ,    ALL,  ALL,  NONE, ALL,       ALL),
    PAYMENTS_MANAGE(                Kind.WRITE,   ALL,  ALL,  NONE, ALL,       NONE),
    INTEGRATIONS_MANAGE(            Kind.WRITE,   ALL,  ALL,  NONE, NONE,      NONE),
    AUDIT_VIEW(                     Kind.READ,    ALL,  ALL,  NONE, NONE,      NONE);

    /** Whether a permission only reads or also changes data. */
    public enum Kind { READ, WRITE }

    private final Kind kind;
    private final Scope[] byRole;

    Permission(Kind kind, Scope owner, Scope admin, Scope staff, Scope accountant, Scope viewer) {
        this.kind = kind;
        this.byRole = new Scope[] {owner, admin, staff, accountant, viewer};
    }

    public Kind kind() {
        return kind;
    }

    public boolean writes() {
        return kind == Kind.WRITE;
    }

    Scope scopeFor(Role role) {
        // The column order above follows Role's declaration order; PermissionTableTest pins that.
        return byRole[role.ordinal()];
    }
}
