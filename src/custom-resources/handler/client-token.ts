import { createHash } from 'crypto';

/**
 * A client token (UUID form, 36 characters, the service's maximum) derived from the request, so a
 * retried invocation of the same request sends the same token and the service does not repeat it.
 */
export function clientToken(...parts: string[]): string {
  const hex = sha256Hex(parts.join('\n'));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The SHA-256 hash of `text`, in hexadecimal. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
