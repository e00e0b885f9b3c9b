package dev.bulwark.tenancy;

/** How far a role's permission reaches inside its workspace. */
public enum Scope {
    /** Not granted. */
    NONE("—"),
    /** Only rows assigned to the member (their own schedule, the customers they serve). */
    OWN("own"),
    /** Every row of the workspace. */
    ALL("all");

    private final String symbol;

    Scope(String symbol) {
        this.symbol = symbol;
    }

    /** How the cell is printed in the README table. */
    public String symbol() {
        return symbol;
    }

    public boolean granted() {
        return this != NONE;
    }
}
