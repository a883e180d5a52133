import * as prng from 'lib0/prng'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DeletionRanges, docFromStored, serverDoesNotTidy } from './loadDoc.ts'
import type { LoadedState } from './Store.ts'

const FIELD = 'default'

/**
 * A stored history as a server keeps it: two people edit paragraphs (typing, backspacing, cutting
 * ranges, bolding, adding and removing paragraphs), each sending what they do and hearing the
 * other's edits through the server a little later; the log is every update in the order the server
 * received it.
 */
function history(seed: number, steps: number): Uint8Array[] {
  const rng = prng.create(seed)
  const log: Uint8Array[] = []
  const server = new Y.Doc()
  const start = new Y.Doc()
  const first = new Y.XmlElement('paragraph')
  first.insert(0, [new Y.XmlText('The draft workplan of the Working Group')])
  start.getXmlFragment(FIELD).insert(0, [first])
  log.push(Y.encodeStateAsUpdate(start))
  Y.applyUpdate(server, log[0])
  const people = [0, 1].map(() => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, log[0])
    const outbox: Uint8Array[] = []
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'server') outbox.push(update)
    })
    return { doc, outbox, heard: log.length }
  })
  for (let step = 0; step < steps; step++) {
    const person = people[prng.uint32(rng, 0, 1)]
    const fragment = person.doc.getXmlFragment(FIELD)
    const paragraphs = fragment.toArray() as Y.XmlElement[]
    const paragraph = paragraphs[prng.uint32(rng, 0, paragraphs.length - 1)]
    const text = paragraph.get(0) as Y.XmlText
    const at = prng.uint32(rng, 0, text.length)
    const op = prng.uint32(rng, 0, 99)
    if (op < 45) text.insert(at, prng.word(rng, 1, 3))
    else if (op < 75 && at > 0) text.delete(at - 1, 1)
    else if (op < 85 && at < text.length) text.delete(at, prng.uint32(rng, 1, Math.min(6, text.length - at)))
    else if (op < 92 && at < text.length)
      text.format(at, prng.uint32(rng, 1, text.length - at), { bold: true })
    else if (op < 97 || paragraphs.length === 1) {
      const added = new Y.XmlElement('paragraph')
      added.insert(0, [new Y.XmlText(prng.word(rng, 2, 8))])
      fragment.insert(prng.uint32(rng, 0, paragraphs.length), [added])
    } else fragment.delete(prng.uint32(rng, 0, paragraphs.length - 1), 1)
    // Now and then one of them is heard by the server, and hears what the server has.
    if (prng.bool(rng)) {
      const sender = people[prng.uint32(rng, 0, 1)]
      for (const update of sender.outbox.splice(0)) {
        Y.applyUpdate(server, update)
        log.push(update)
      }
      for (const other of people) {
        other.doc.transact(() => {
          for (const update of log.slice(other.heard)) Y.applyUpdate(other.doc, update)
        }, 'server')
        other.heard = log.length
      }
    }
  }
  for (const person of people) log.push(...person.outbox.splice(0))
  return log
}

/**
 * The same log applied update by update, in order, each in a transaction of its own that does not
 * tidy formatting (as the server never does): what the load must equal.
 */
function inOrder(snapshot: Uint8Array | null, updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const update of snapshot ? [snapshot, ...updates] : updates) {
    doc.transact((transaction) => {
      Y.applyUpdate(doc, update)
      serverDoesNotTidy(transaction)
    })
  }
  return doc
}

function stored(snapshot: Uint8Array | null, updates: Uint8Array[]): LoadedState {
  return { snapshot, snapshotSeq: 0, updates: updates.map((data, i) => ({ seq: i + 1, data })) }
}

function expectSameDocument(loaded: Y.Doc, expected: Y.Doc) {
  expect(loaded.getXmlFragment(FIELD).toString()).toBe(expected.getXmlFragment(FIELD).toString())
  // Same items and same deletions: the next update or state vector exchange sees one document.
  expect(Y.equalSnapshots(Y.snapshot(loaded), Y.snapshot(expected))).toBe(true)
  expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(expected))
}

const deletesOnly = (update: Uint8Array) => new DeletionRanges().gather(update)

describe('loading a document from its stored log', () => {
  it('gives the document the log gives update by update, its deletions applied together at the end', () => {
    let deletions = 0
    for (let seed = 1; seed <= 30; seed++) {
      const log = history(seed, 400)
      deletions += log.filter(deletesOnly).length
      // The whole history as a log, and again as a snapshot of its first part plus the tail.
      const cut = Math.floor(log.length / 3)
      const snapshot = Y.encodeStateAsUpdate(inOrder(null, log.slice(0, cut)))
      for (const [snap, tail] of [
        [null, log],
        [snapshot, log.slice(cut)],
      ] as const) {
        const loaded = docFromStored(stored(snap, tail), pino({ level: 'silent' }), `seed-${seed}`)
        expectSameDocument(loaded, inOrder(snap, tail))
      }
    }
    // The histories exercise what the load does differently: updates that only delete.
    expect(deletions).toBeGreaterThan(1_000)
  })

  it('merges adjacent and overlapping ranges, per client, into one deletion', () => {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, 'abcdefghijklmnopqrstuvwxyz')
    const base = Y.encodeStateAsUpdate(doc)
    const ranges = new DeletionRanges()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    // Backspacing "e" then "d" (adjacent), cutting "j..l" then "k..n" out of another copy
    // (overlapping, as when two people cut the same words), and "x" alone.
    text.delete(4, 1)
    text.delete(3, 1)
    const other = new Y.Doc()
    Y.applyUpdate(other, base)
    other.on('update', (update: Uint8Array) => updates.push(update))
    other.getText('t').delete(9, 3)
    const again = new Y.Doc()
    Y.applyUpdate(again, base)
    again.on('update', (update: Uint8Array) => updates.push(update))
    again.getText('t').delete(10, 4)
    text.delete(text.toString().indexOf('x'), 1)
    for (const update of updates) expect(ranges.gather(update)).toBe(true)
    const merged = Y.decodeUpdate(ranges.encode())
    expect(merged.structs).toEqual([])
    const client = doc.clientID
    expect(merged.ds.clients.get(client)?.map(({ clock, len }) => [clock, len])).toEqual([
      [3, 2],
      [9, 5],
      [23, 1],
    ])
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, base)
    Y.applyUpdate(loaded, ranges.encode())
    expect(loaded.getText('t').toString()).toBe('abcfghiopqrstuvwyz')
  })

  it('takes only updates that only delete, and applies anything else as it is', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    doc.getText('t').insert(0, 'Paragraph 12')
    doc.getText('t').delete(0, 1)
    doc.transact(() => {
      doc.getText('t').delete(0, 1)
      doc.getText('t').insert(0, 'P')
    })
    expect(updates.map(deletesOnly)).toEqual([false, true, false])
    // The same deletion with bytes after its delete set is not an update of that shape.
    expect(deletesOnly(Uint8Array.from([...updates[1], 7]))).toBe(false)
    expect(deletesOnly(Uint8Array.from([0, 0]))).toBe(true)
    expect(new DeletionRanges().empty).toBe(true)
  })

  it('logs and skips a stored update that cannot be read, and keeps every other', () => {
    const log = history(7, 200)
    const broken = Uint8Array.from([0, 3, 200])
    const errors: unknown[] = []
    const logger = pino({ level: 'error' }, { write: (line: string) => errors.push(JSON.parse(line)) })
    const loaded = docFromStored(stored(null, [...log, broken]), logger, 'broken-tail')
    expectSameDocument(loaded, inOrder(null, log))
    expect(errors).toEqual([expect.objectContaining({ seq: log.length + 1, documentId: 'broken-tail' })])
  })
})
