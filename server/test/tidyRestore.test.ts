/**
 * A read-only participant's client tidies formatting marks it finds redundant and sends that like
 * an edit. On the server's copy the same tidying can change how the text reads; it is then stored
 * with an update that puts the formatting back, so every copy converges and nothing visible changes.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { classifyUpdate, tidyRestore } from '../src/collab/updates.ts'

const FIELD = 'default'

/** A paragraph "abcdef", written by a writer's client. */
function plainDocument(): Y.Doc {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  doc.getXmlFragment(FIELD).insert(0, [paragraph])
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  text.insert(0, 'abcdef')
  return doc
}

const textOf = (doc: Y.Doc) => (doc.getXmlFragment(FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText

/** The same with "cd" bold. */
function boldDocument(): Y.Doc {
  const doc = plainDocument()
  textOf(doc).format(2, 2, { bold: {} })
  return doc
}

const copyOf = (doc: Y.Doc) => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** An update from `reader` that deletes formatting marks (those `which` picks) and nothing else. */
function deleteMarks(reader: Y.Doc, which: (item: Y.Item) => boolean): Uint8Array {
  const before = Y.encodeStateVector(reader)
  const updates: Uint8Array[] = []
  reader.on('update', (update: Uint8Array) => updates.push(update))
  reader.transact((transaction) => {
    for (const structs of reader.store.clients.values()) {
      for (const struct of structs) {
        if (
          struct instanceof Y.Item &&
          struct.content instanceof Y.ContentFormat &&
          !struct.deleted &&
          which(struct)
        ) {
          struct.delete(transaction)
        }
      }
    }
  })
  // Deleting adds no struct: the state vector is the same.
  expect(Y.encodeStateVector(reader)).toEqual(before)
  return Y.mergeUpdates(updates)
}

const read = (doc: Y.Doc) => doc.getXmlFragment(FIELD).toString()

describe('a reader’s tidying of formatting marks', () => {
  it('that would unbold words is stored with the bold put back: both copies converge, still bold', () => {
    const server = boldDocument()
    const reader = copyOf(server)
    const shown = read(server)
    expect(shown).toContain('<bold>cd</bold>')
    const tidy = deleteMarks(reader, (item) => (item.content as Y.ContentFormat).value !== null)
    expect(classifyUpdate(server, tidy)).toBe('tidy')

    const outcome = tidyRestore(server, FIELD, tidy)
    expect(outcome.kind).toBe('restore')
    if (outcome.kind !== 'restore') return
    // As the room stores and relays them: the tidying, then the restoring, to everyone.
    Y.applyUpdate(server, tidy)
    Y.applyUpdate(server, outcome.update)
    Y.applyUpdate(reader, outcome.update)
    expect(read(server)).toBe(shown)
    expect(read(reader)).toBe(shown)
    expect(Y.encodeStateAsUpdate(reader)).toEqual(Y.encodeStateAsUpdate(server))
  })

  it('that changes nothing anyone reads is harmless and needs nothing put back', () => {
    // Two writers bold the same words at once: the merged text has two pairs of bold marks.
    const base = plainDocument()
    const one = copyOf(base)
    const two = copyOf(base)
    textOf(one).format(2, 2, { bold: {} })
    textOf(two).format(2, 2, { bold: {} })
    const server = copyOf(one)
    Y.applyUpdate(server, Y.encodeStateAsUpdate(two))
    const shown = read(server)
    expect(shown).toContain('<bold>cd</bold>')
    // The reader drops the second writer's pair: the first still makes the words bold.
    const reader = copyOf(server)
    const tidy = deleteMarks(reader, (item) => item.id.client === two.clientID)
    expect(classifyUpdate(server, tidy)).toBe('tidy')
    expect(tidyRestore(server, FIELD, tidy).kind).toBe('harmless')
    Y.applyUpdate(server, tidy)
    expect(read(server)).toBe(shown)
  })

  it('that cannot be decoded is refused', () => {
    expect(tidyRestore(boldDocument(), FIELD, new Uint8Array([0, 1, 2, 255, 255])).kind).toBe('refuse')
  })
})
