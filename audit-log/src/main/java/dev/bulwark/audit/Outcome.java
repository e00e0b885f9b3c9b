package dev.bulwark.audit;

/** How the audited action ended. */
public enum Outcome {
    SUCCESS,
    /** The action failed (validation, error). */
    FAILURE,
    /** The action was refused by an authorisation or security check. */
    DENIED
}
