/**
 * When a client tries the server again after losing it. The wait doubles with each failed
 * attempt in a row, from 200 ms to at most 2 s (y-websocket's own schedule, with a lower cap),
 * and a random part of up to half of it is taken off: the clients a server restart dropped
 * together then come back spread out, not in one wave at each doubling. The web client and the
 * reconnect-storm benchmark both follow it.
 */
export const RECONNECT_FIRST_MS = 200
export const RECONNECT_MAX_MS = 2_000

/** The wait before the next attempt after `attempt` failed attempts in a row (1, 2, …). */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.max(0, attempt - 1))
  return ceiling - (random() * ceiling) / 2
}
