import { CloseCode, isFinalClose, type Participant } from '@plenary/shared'
import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { Connection } from './Connection.ts'

/** The part of ws's socket a Connection uses, recording what is sent and how it is closed. */
function fakeSocket() {
  const socket = {
    OPEN: 1,
    CLOSED: 3,
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as Uint8Array[],
    closedWith: null as number | null,
    send(message: Uint8Array) {
      socket.sent.push(message)
    },
    close(code: number) {
      socket.closedWith = code
    },
    terminate() {
      socket.readyState = 3
    },
    ping() {},
  }
  return socket
}

const participant = { id: 'p1', name: 'Reader', role: 'delegate' } as unknown as Participant

describe('Connection', () => {
  it('drops a reader that fell too far behind with a code the client retries, not a final refusal', () => {
    const socket = fakeSocket()
    const closes: number[] = []
    const connection = new Connection(
      socket as unknown as WebSocket,
      participant,
      false,
      200,
      (code) => closes.push(code),
      1000,
    )
    socket.bufferedAmount = 1000
    connection.send(Uint8Array.of(1))
    expect(socket.sent).toHaveLength(1)
    expect(closes).toEqual([])

    // One byte past the limit: the next frame is not queued and the socket closes.
    socket.bufferedAmount = 1001
    connection.send(Uint8Array.of(2))
    expect(socket.sent).toHaveLength(1)
    expect(closes).toEqual([CloseCode.fellBehind])
    expect(socket.closedWith).toBe(CloseCode.fellBehind)
    expect(isFinalClose(CloseCode.fellBehind)).toBe(false)
  })

  it('refuses a socket past its message rate with the final 4429', () => {
    const socket = fakeSocket()
    const connection = new Connection(socket as unknown as WebSocket, participant, true, 3, () => undefined)
    expect([1, 2, 3].map(() => connection.admit())).toEqual([true, true, true])
    expect(connection.admit()).toBe(false)
    expect(socket.closedWith).toBe(CloseCode.tooFast)
    expect(isFinalClose(CloseCode.tooFast)).toBe(true)
  })
})
