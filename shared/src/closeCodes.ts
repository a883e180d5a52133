/**
 * Websocket close codes, the one list the server closes with and the client compares against.
 *
 * 4400–4499 are final refusals: the stock y-websocket client does not reconnect after them.
 * 1001 means the server is going away (restart, deploy): clients reconnect by themselves.
 */
export const CloseCode = {
  /** The server is shutting down; reconnect. */
  goingAway: 1001,
  /** A frame over the size limit (RFC 6455). */
  messageTooBig: 1009,
  /** The store could not commit: reconnect later and resend (nothing was acknowledged). */
  tryAgainLater: 1013,
  /** A frame that could not be decoded. */
  malformed: 4400,
  /** No valid session cookie or token. */
  unauthorized: 4401,
  /** Signed in but not allowed: a write without the pen, a revoked participant. */
  forbidden: 4403,
  /** No such document. */
  unknownDocument: 4404,
  /** The document would grow past its size limit. */
  tooLarge: 4413,
  /** Too many messages per second, or too many connections. */
  tooFast: 4429,
  /**
   * The socket fell too far behind: more was waiting to be sent to it than the server keeps. Not
   * final (outside 4400–4499): a slow network is not a fault, the client reconnects and catches up.
   */
  fellBehind: 4503,
} as const

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Human-readable reasons sent with each close code (they must stay under 123 bytes). */
export const closeReasons: Record<CloseCode, string> = {
  [CloseCode.goingAway]: 'server going away',
  [CloseCode.messageTooBig]: 'message too big',
  [CloseCode.tryAgainLater]: 'storage unavailable, try again',
  [CloseCode.malformed]: 'malformed message',
  [CloseCode.unauthorized]: 'not signed in',
  [CloseCode.forbidden]: 'not allowed',
  [CloseCode.unknownDocument]: 'unknown document',
  [CloseCode.tooLarge]: 'document too large',
  [CloseCode.tooFast]: 'too many messages',
  [CloseCode.fellBehind]: 'fell too far behind, reconnect',
}

/** A close the client must not retry: the server refused for good. */
export function isFinalClose(code: number): boolean {
  return code >= 4400 && code <= 4499
}
