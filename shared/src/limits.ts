/** Limits enforced by the server and respected by the client. Sizes in bytes. */
export const Limits = {
  /** Largest websocket frame the server accepts. */
  maxMessageBytes: 2 * 1024 * 1024,
  /** A document's encoded Yjs state beyond which a warning is logged and sent. */
  documentWarnBytes: 4 * 1024 * 1024,
  /** A document's encoded Yjs state beyond which writes are refused (close 4413). */
  documentMaxBytes: 8 * 1024 * 1024,
  /** Largest awareness state (JSON) one client may publish. */
  maxAwarenessBytes: 8 * 1024,
  /** Messages per second per connection before the socket is closed (4429). */
  maxMessagesPerSecond: 200,
  /** Open websocket connections per participant. */
  maxConnectionsPerParticipant: 20,
  /** Open websocket connections per document. */
  maxConnectionsPerDocument: 500,
  /** Largest JSON request body. */
  maxJsonBodyBytes: 4 * 1024 * 1024,
  /** Largest DOCX upload for import (checked by the browser before sending, and by the server). */
  maxUploadBytes: 10 * 1024 * 1024,
  /** Longest document title. */
  maxTitleLength: 300,
  /** Longest participant or organisation name. */
  maxNameLength: 200,
  /** Every socket hears from the server at least this often (the stock client drops at 30 s). */
  keepAliveMs: 15_000,
} as const
