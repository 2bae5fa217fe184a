import { createHash } from 'crypto';

/** A short, stable digest of a JSON value: equal values give equal fingerprints. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value) ?? '').digest('hex').slice(0, 32);
}
