import { createHash, randomBytes } from 'node:crypto';

export type SecretKind = 'user' | 'runner' | 'registry';

const PREFIX: Record<SecretKind, string> = { user: 'blu_', runner: 'blr_', registry: 'blg_' };

/** A new random secret; only its hash is ever stored. */
export function newSecret(kind: SecretKind): string {
  return PREFIX[kind] + randomBytes(24).toString('base64url');
}

export function secretKind(secret: string): SecretKind | null {
  for (const [kind, prefix] of Object.entries(PREFIX))
    if (secret.startsWith(prefix)) return kind as SecretKind;
  return null;
}

// The secrets are 192 random bits, so a fast hash is enough: there is nothing to brute-force.
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
