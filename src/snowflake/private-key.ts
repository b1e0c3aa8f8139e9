/**
 * Checks a key-pair private key file before the driver sees it, so a missing file or a wrong
 * passphrase is one clear KEY_FILE error naming the file and the setting, not a login failure.
 */

import { createPrivateKey } from 'node:crypto';
import { BoundedFileError, readBoundedFile } from '../config/bounded-file.js';
import { displayPath } from '../config/settings-source.js';
import type { Sourced } from '../config/settings-source.js';
import { SmcpError } from '../errors.js';

/** True when a PEM text holds an encrypted private key (PKCS#8 or legacy OpenSSL headers). */
export function isEncryptedPem(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,\s*ENCRYPTED/.test(pem);
}

/**
 * Loads the private key at `path` with node:crypto, decrypting it with `passphrase` when given.
 * Throws KEY_FILE when the file is missing or unreadable, is not a PEM private key, is encrypted
 * and no passphrase was set, or the passphrase does not decrypt it.
 */
export function checkPrivateKey(path: Sourced<string>, passphrase?: Sourced<string>, home?: string): void {
  const shown = displayPath(path.value, home);
  const details = { file: path.value, field: path.origin };
  let pem: string;
  try {
    pem = readBoundedFile(path.value);
  } catch (err) {
    const what = err instanceof BoundedFileError ? err.reason : `cannot be read (${String(err)})`;
    throw new SmcpError('KEY_FILE', `private key file ${shown} (from ${path.origin}) ${what}`, details);
  }
  const encrypted = isEncryptedPem(pem);
  if (encrypted && passphrase === undefined) {
    throw new SmcpError(
      'KEY_FILE',
      `private key file ${shown} (from ${path.origin}) is encrypted: set private_key_file_pwd or PRIVATE_KEY_PASSPHRASE`,
      details,
    );
  }
  try {
    createPrivateKey({ key: pem, format: 'pem', passphrase: passphrase?.value });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (encrypted && passphrase && (code === 'ERR_OSSL_BAD_DECRYPT' || /decrypt/i.test(String(err)))) {
      throw new SmcpError(
        'KEY_FILE',
        `private key file ${shown} cannot be decrypted with the passphrase from ${passphrase.origin} (wrong passphrase?)`,
        { ...details, field: passphrase.origin },
      );
    }
    throw new SmcpError(
      'KEY_FILE',
      `private key file ${shown} (from ${path.origin}) is not a PEM private key`,
      details,
    );
  }
}
