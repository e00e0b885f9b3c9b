package dev.bulwark.auth.sso;

/**
 * How the connection to the directory is protected. There is deliberately no plain option: passwords are sent in
 * simple binds, so a directory that offers neither LDAPS nor StartTLS is refused.
 */
public enum LdapTransport {
    /** TLS from the first byte (usually port 636). */
    LDAPS,
    /** Plain connect, then the StartTLS extended operation before anything else (usually port 389); refused if the directory does not accept it. */
    START_TLS
}
