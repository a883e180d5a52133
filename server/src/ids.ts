import { randomBytes } from 'node:crypto'

/** Ids for documents and participants: 16 lowercase base-36 characters, URL-safe. */
export function newId(): string {
  const bytes = randomBytes(16)
  let id = ''
  for (const byte of bytes) id += (byte % 36).toString(36)
  return id
}
