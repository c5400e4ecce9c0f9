import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CommandKind, CommandSigner, CommandVerifier, SignedFields } from '../../ports/command-signature.port';

/** The bytes a signature covers: the kind and a version, then the fields with sorted keys, as JSON. */
function canonical(kind: CommandKind, fields: SignedFields): string {
  const sorted = Object.keys(fields).sort().map((k) => [k, fields[k]]);
  return `riskflow.${kind}.v1\n${JSON.stringify(sorted)}`;
}

/** HMAC-SHA256 with the deployment's command key; signatures are base64url. */
export function createHmacCommandSignature(key: Buffer): CommandSigner & CommandVerifier {
  if (key.length < 32) throw new Error('the command signing key must be at least 32 bytes');
  const mac = (kind: CommandKind, fields: SignedFields) => createHmac('sha256', key).update(canonical(kind, fields)).digest();
  return {
    sign: (kind, fields) => mac(kind, fields).toString('base64url'),
    verify(kind, fields, signature) {
      if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return false;
      return timingSafeEqual(mac(kind, fields), Buffer.from(signature, 'base64url'));
    },
  };
}
