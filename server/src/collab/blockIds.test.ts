import {
  BLOCK_ID_PATTERN,
  elementsNeedingIds,
  giveFreshBlockIds,
  newBlockId,
  YDOC_FIELD,
} from '@plenary/shared'
import { seededRandom } from '@plenary/shared/seededRandom'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BlockIdIndex } from './blockIds.ts'

/** Every block element under `parent`, nested ones included, in document order. */
function blocksOf(parent: Y.XmlFragment | Y.XmlElement): Y.XmlElement[] {
  const out: Y.XmlElement[] = []
  for (const child of parent.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue
    out.push(child)
    out.push(...blocksOf(child))
  }
  return out
}

function paragraph(id: string | null, text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  if (id !== null) element.setAttribute('id', id)
  element.insert(0, [new Y.XmlText(text)])
  return element
}

/** A server's document, its index, and the repair a room makes after a commit. */
function server() {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment(YDOC_FIELD)
  const index = new BlockIdIndex(fragment)
  doc.on('afterTransaction', (transaction: Y.Transaction) => index.observe(transaction))
  const repair = () => {
    const bad = index.needingIds()
    doc.transact(() => giveFreshBlockIds(bad), 'repair')
    return bad
  }
  return { doc, fragment, index, repair }
}

const sync = (from: Y.Doc, to: Y.Doc, origin: unknown = 'remote') =>
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), origin)

describe('BlockIdIndex', () => {
  it('names exactly the blocks the whole-document walk names, over 600 random commits from three writers, and walks only when two live blocks share an id', () => {
    const random = seededRandom(42)
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]
    const room = server()
    const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
    room.doc.transact(() => {
      room.fragment.insert(0, [paragraph('p-first', 'First'), paragraph('p-second', 'Second')])
    })
    for (const writer of writers) sync(room.doc, writer)
    let walksForCollisions = 0
    let repairedCount = 0

    for (let commit = 0; commit < 600; commit++) {
      const writer = pick(writers)
      const fragment = writer.getXmlFragment(YDOC_FIELD)
      const existing = blocksOf(fragment)
      const takenId = () => {
        const ids = existing.map((b) => b.getAttribute('id')).filter((id) => typeof id === 'string')
        return ids.length > 0 ? (pick(ids) as string) : 'p-first'
      }
      const someId = (): string | null =>
        pick([newBlockId, newBlockId, newBlockId, takenId, () => 'not a valid id!', () => null])()
      writer.transact(() => {
        for (let edit = 0, n = 1 + Math.floor(random() * 3); edit < n; edit++) {
          const top = fragment.length
          const kind = random()
          if (kind < 0.35) {
            fragment.insert(Math.floor(random() * (top + 1)), [paragraph(someId(), `w${commit}`)])
          } else if (kind < 0.5) {
            const list = new Y.XmlElement('bulletList')
            const listId = someId()
            if (listId !== null) list.setAttribute('id', listId)
            const item = new Y.XmlElement('listItem')
            const itemId = someId()
            if (itemId !== null) item.setAttribute('id', itemId)
            item.insert(0, [paragraph(someId(), 'item')])
            list.insert(0, [item])
            fragment.insert(Math.floor(random() * (top + 1)), [list])
          } else if (kind < 0.65 && top > 2) {
            fragment.delete(Math.floor(random() * top), 1)
          } else if (kind < 0.8 && existing.length > 0) {
            const target = pick(existing)
            const id = someId()
            if (id === null) target.removeAttribute('id')
            else target.setAttribute('id', id)
          } else if (existing.length > 0) {
            // Typing changes no structure.
            const target = pick(existing)
            const text = target.toArray().find((child) => child instanceof Y.XmlText)
            if (text instanceof Y.XmlText) text.insert(0, 'x')
          }
        }
      })
      // Sometimes two writers' commits reach the room before it checks (a group commit).
      sync(writer, room.doc, 'writer')
      if (random() < 0.3) sync(pick(writers), room.doc, 'writer')

      const expected = new Set(elementsNeedingIds(room.fragment))
      const walksBefore = room.index.walks
      const repaired = room.repair()
      expect(new Set(repaired)).toEqual(expected)
      if (room.index.walks > walksBefore) walksForCollisions += 1
      repairedCount += repaired.length
      // Afterwards every block has a valid id of its own.
      const ids = blocksOf(room.fragment).map((b) => b.getAttribute('id'))
      for (const id of ids) expect(String(id)).toMatch(BLOCK_ID_PATTERN)
      expect(new Set(ids).size).toBe(ids.length)
      for (const other of writers) if (random() < 0.5) sync(room.doc, other)
    }
    // The sequence did exercise both paths: repairs of every kind, and checks without a walk.
    expect(repairedCount).toBeGreaterThan(100)
    expect(room.index.walks).toBeLessThan(600)
    expect(walksForCollisions).toBeGreaterThan(10)
  })

  it('does not walk the document for blocks with fresh ids, nor for typing; the first check walks once', () => {
    const room = server()
    room.doc.transact(() => {
      for (let i = 0; i < 50; i++) room.fragment.insert(i, [paragraph(`p-${i}`, `Paragraph ${i}`)])
    })
    expect(room.repair()).toEqual([])
    expect(room.index.walks).toBe(1)
    for (let i = 0; i < 20; i++) {
      room.doc.transact(() => room.fragment.insert(10 + i, [paragraph(newBlockId(), 'split off')]), 'writer')
      expect(room.repair()).toEqual([])
    }
    expect(room.index.walks).toBe(1)
  })

  it('gives a fresh id to a block added without one or with a malformed one, without a walk', () => {
    const room = server()
    room.doc.transact(() => room.fragment.insert(0, [paragraph('p-a', 'A')]))
    room.repair()
    const missing = paragraph(null, 'no id')
    const malformed = paragraph('has spaces', 'bad id')
    room.doc.transact(() => room.fragment.insert(1, [missing, malformed]), 'writer')
    expect(new Set(room.repair())).toEqual(new Set([missing, malformed]))
    expect(room.index.walks).toBe(1)
  })

  it('a copied id: the block later in the document gets a fresh one, whichever was added last', () => {
    const room = server()
    const original = paragraph('p-a', 'Original')
    room.doc.transact(() => room.fragment.insert(0, [original]))
    room.repair()
    // A copy inserted before the original: document order decides, as the full walk does.
    const before = paragraph('p-a', 'Copy before')
    room.doc.transact(() => room.fragment.insert(0, [before]), 'writer')
    expect(room.repair()).toEqual([original])
    // A copy after the (renamed) block that keeps p-a now.
    const after = paragraph('p-a', 'Copy after')
    room.doc.transact(() => room.fragment.insert(2, [after]), 'writer')
    expect(room.repair()).toEqual([after])
  })

  it('an id freed by a deletion, or by a rename, can be taken again (undo brings a block back with its id)', () => {
    const room = server()
    room.doc.transact(() => room.fragment.insert(0, [paragraph('p-a', 'A'), paragraph('p-b', 'B')]))
    room.repair()
    room.doc.transact(() => room.fragment.delete(0, 1), 'writer')
    room.repair()
    room.doc.transact(() => room.fragment.insert(0, [paragraph('p-a', 'A again')]), 'writer')
    expect(room.repair()).toEqual([])
    const b = room.fragment.get(1) as Y.XmlElement
    room.doc.transact(() => b.setAttribute('id', 'p-renamed'), 'writer')
    room.repair()
    room.doc.transact(() => room.fragment.insert(2, [paragraph('p-b', 'B again')]), 'writer')
    expect(room.repair()).toEqual([])
    expect(room.index.walks).toBe(1)
  })
})
