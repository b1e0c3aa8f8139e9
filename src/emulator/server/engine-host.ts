/**
 * What the wire server lends its engine (engine-types.ts EngineHost): the user directory for
 * ALTER USER … RSA_PUBLIC_KEY and DESC USER, and the statement registry for SYSTEM$CANCEL_QUERY.
 */
import { createPublicKey } from 'node:crypto';
import type { EmulatorSession, EngineHost, UserInfo } from '../engine-types.js';
import { EmulatorSqlError } from '../engine-types.js';
import type { QueryRegistry } from './query-registry.js';
import { publicKeyBody, publicKeyFingerprint, publicKeyPem, type UserDirectory } from './users.js';

function keyShown(pem: string | undefined): { key: string | null; fp: string | null } {
  if (!pem) return { key: null, fp: null };
  const text = publicKeyPem(pem);
  return {
    key: publicKeyBody(text),
    fp: publicKeyFingerprint(createPublicKey({ key: text, format: 'pem' })),
  };
}

/** The host for an engine served by a wire server with these users and statements. */
export function engineHost(users: UserDirectory, queries: QueryRegistry): EngineHost {
  return {
    user(name: string): UserInfo | undefined {
      const user = users.get(name);
      if (!user) return undefined;
      const { spec } = user;
      const one = keyShown(spec.rsaPublicKey);
      const two = keyShown(spec.rsaPublicKey2);
      const namespace = spec.defaultDatabase
        ? spec.defaultSchema
          ? `${spec.defaultDatabase}.${spec.defaultSchema}`
          : spec.defaultDatabase
        : null;
      return {
        name: user.name,
        disabled: spec.disabled === true,
        defaultRole: user.defaultRole,
        defaultWarehouse: spec.defaultWarehouse ?? null,
        defaultNamespace: namespace,
        rsaPublicKey: one.key,
        rsaPublicKeyFp: one.fp,
        rsaPublicKey2: two.key,
        rsaPublicKey2Fp: two.fp,
      };
    },
    setUserKey(name: string, slot: 1 | 2, key: string | null, checkOnly = false): void {
      try {
        users.setKey(name, slot, key, checkOnly);
      } catch {
        const property = slot === 1 ? 'RSA_PUBLIC_KEY' : 'RSA_PUBLIC_KEY_2';
        throw new EmulatorSqlError(
          '001008',
          '22023',
          `SQL compilation error:\ninvalid value for property '${property}': not an RSA public key ` +
            '(give the base64 of its DER SubjectPublicKeyInfo, without the BEGIN/END lines, or PEM)',
        );
      }
    },
    cancelQuery(queryId: string, session: EmulatorSession): void {
      queries.cancel(queryId, session);
    },
  };
}
