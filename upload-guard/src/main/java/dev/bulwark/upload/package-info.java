/**
 * Content-checked, size-limited uploads in an encrypted store served through access control. Entry point:
 * {@link dev.bulwark.upload.UploadGuard}.
 */
package dev.bulwark.upload;
