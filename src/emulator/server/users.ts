/**
 * The emulator's user directory: user specs indexed by upper-case name, with their RSA public keys
 * parsed once and fingerprinted the way Snowflake shows RSA_PUBLIC_KEY_FP (SHA256:<base64>).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { SmcpError } from '../../errors.js';
import type { EmulatorUserSpec } from './types.js';

/** A registered user, ready for credential checks. */
export interface DirectoryUser {
  /** Upper-case login name. */
  readonly name: string;
  readonly spec: EmulatorUserSpec;
  /** Public keys by fingerprint `SHA256:<base64 of sha256(DER SPKI)>`. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Every role the user may use: roles ∪ defaultRole ∪ PUBLIC, upper-case. */
  readonly grantedRoles: readonly string[];
  /** Role at login when none is requested. */
  readonly defaultRole: string;
}

/** `SHA256:<base64>` of a public key's DER SPKI encoding, as the driver puts it in the JWT issuer. */
export function publicKeyFingerprint(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return 'SHA256:' + createHash('sha256').update(der).digest('base64');
}

/** Folds a Snowflake identifier the way the server does: "quoted" keeps its case, unquoted goes upper. */
export function foldIdentifier(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/""/g, '"');
  }
  return trimmed.toUpperCase();
}

/**
 * A public key as PEM: PEM text as it is, or the bare base64 of the DER SubjectPublicKeyInfo (what
 * ALTER USER … SET RSA_PUBLIC_KEY takes, without the BEGIN/END lines) wrapped into PEM.
 */
export function publicKeyPem(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return trimmed;
  const body = trimmed.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** The bare base64 body of a PEM public key (how DESC USER shows RSA_PUBLIC_KEY). */
export function publicKeyBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/** Users by name; `add` validates keys and replaces a user of the same name. */
export class UserDirectory {
  readonly #users = new Map<string, DirectoryUser>();

  /** Registers a user; throws SmcpError CONFIG_INVALID for an empty name or an unreadable key. */
  add(spec: EmulatorUserSpec): DirectoryUser {
    const name = typeof spec.name === 'string' ? spec.name.trim().toUpperCase() : '';
    if (!name)
      throw new SmcpError('CONFIG_INVALID', 'an emulator user needs a name', { field: 'users.name' });
    const keys = new Map<string, KeyObject>();
    for (const [field, pem] of [
      ['rsaPublicKey', spec.rsaPublicKey],
      ['rsaPublicKey2', spec.rsaPublicKey2],
    ] as const) {
      if (!pem) continue;
      let key: KeyObject;
      try {
        // createPublicKey would derive one from a private key: that is a mistake, not a key.
        if (pem.includes('PRIVATE KEY')) throw new Error('a private key');
        key = createPublicKey({ key: publicKeyPem(pem), format: 'pem' });
      } catch {
        throw new SmcpError('CONFIG_INVALID', `user ${name}: ${field} is not a PEM public key`, {
          field: `users.${field}`,
        });
      }
      if (key.asymmetricKeyType !== 'rsa') {
        throw new SmcpError('CONFIG_INVALID', `user ${name}: ${field} is not an RSA key`, {
          field: `users.${field}`,
        });
      }
      keys.set(publicKeyFingerprint(key), key);
    }
    const defaultRole = spec.defaultRole ? foldIdentifier(spec.defaultRole) : 'PUBLIC';
    const roles = new Set<string>((spec.roles ?? []).map(foldIdentifier));
    roles.add(defaultRole);
    roles.add('PUBLIC');
    const user: DirectoryUser = { name, spec, keys, grantedRoles: [...roles], defaultRole };
    this.#users.set(name, user);
    return user;
  }

  /**
   * Replaces key 1 (`rsaPublicKey`) or 2 of a user, or removes it (null), keeping the rest of the
   * user; with `checkOnly` only validates. Throws SmcpError CONFIG_INVALID for a key that is not an
   * RSA public key, and for an unknown user.
   */
  setKey(loginName: string, slot: 1 | 2, key: string | null, checkOnly = false): DirectoryUser {
    const user = this.get(loginName);
    if (!user) throw new SmcpError('CONFIG_INVALID', `no user ${loginName}`, { field: 'users.name' });
    const field = slot === 1 ? 'rsaPublicKey' : 'rsaPublicKey2';
    const spec: EmulatorUserSpec = { ...user.spec };
    if (key === null) delete spec[field];
    else spec[field] = publicKeyPem(key);
    if (checkOnly) {
      new UserDirectory().add(spec);
      return user;
    }
    return this.add(spec);
  }

  /** The user with this login name (case-insensitive), or undefined. */
  get(loginName: string | undefined): DirectoryUser | undefined {
    return loginName ? this.#users.get(loginName.trim().toUpperCase()) : undefined;
  }

  /** Every user, in registration order. */
  all(): IterableIterator<DirectoryUser> {
    return this.#users.values();
  }
}
