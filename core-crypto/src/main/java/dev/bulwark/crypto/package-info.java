/** Field and file encryption, blind indexes and a keyring with rotation and crypto-shredding, built on Tink. */
package dev.bulwark.crypto;
