import { createHash, randomBytes } from 'node:crypto'

/** A new secret for an invite token or a session: 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Tokens and sessions are stored only as SHA-256 hashes. Looking up the hash (rather than comparing
 * secrets) means no secret-dependent comparison ever runs on the stored value.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** Tokens we mint are 43 base64url characters; anything far off is refused before any lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,200}$/
