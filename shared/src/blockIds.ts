const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/** Block ids the server and editor mint: short, URL-safe, random. */
export const BLOCK_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

// Web Crypto is global in browsers and in Node >= 19; shared code names neither DOM nor Node types.
const webCrypto = (globalThis as unknown as { crypto: { getRandomValues(array: Uint8Array): Uint8Array } })
  .crypto

export function newBlockId(): string {
  const bytes = new Uint8Array(12)
  webCrypto.getRandomValues(bytes)
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return id
}
