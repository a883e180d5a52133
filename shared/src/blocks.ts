/**
 * A block's plain text, one function for the whole product. The unit is a textblock (paragraph
 * or heading) wherever it sits; its `type` names the container that gives it meaning
 * (`listItem`, `tableCell`, `tableHeader`, `blockquote`) when it is nested. Hard breaks count as
 * one `\n`; offsets are UTF-16 units, as JavaScript strings count them.
 */
import * as Y from 'yjs'
import { paragraphNumbers } from './numbering.ts'
import { YDOC_FIELD } from './schema.ts'

export type BlockType = 'paragraph' | 'heading' | 'listItem' | 'tableCell' | 'tableHeader' | 'blockquote'

export type Block = {
  id: string | null
  type: BlockType
  number: string | null
  text: string
}

/** A textblock with what numbering needs, before numbers are given. */
export type TextUnit = {
  id: string | null
  type: BlockType
  nodeName: 'paragraph' | 'heading'
  topLevel: boolean
  numbered: boolean
  numberPrefix: string | null
  text: string
}

const CONTAINERS = new Set(['listItem', 'tableCell', 'tableHeader', 'blockquote'])

function unitType(nodeName: 'paragraph' | 'heading', container: string | null): BlockType {
  if (nodeName === 'heading' || !container) return nodeName
  return container as BlockType
}

// ---------------------------------------------------------------- Yjs

/** The plain text of a paragraph or heading element in the shared document. */
export function yBlockText(element: Y.XmlElement): string {
  let text = ''
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert: unknown }[]) {
        if (typeof op.insert === 'string') text += op.insert
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
      text += '\n'
    }
  }
  return text
}

/** Every textblock of the shared document, in document order. */
export function yTextUnits(fragment: Y.XmlFragment): TextUnit[] {
  const units: TextUnit[] = []
  const walk = (parent: Y.XmlFragment | Y.XmlElement, container: string | null, depth: number) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      const name = child.nodeName
      if (name === 'paragraph' || name === 'heading') {
        const id = child.getAttribute('id')
        const prefix = child.getAttribute('numberPrefix') as unknown
        units.push({
          id: typeof id === 'string' ? id : null,
          type: unitType(name, container),
          nodeName: name,
          topLevel: depth === 0,
          numbered: (child.getAttribute('numbered') as unknown) !== false,
          numberPrefix: typeof prefix === 'string' ? prefix : null,
          text: yBlockText(child),
        })
      } else {
        walk(child, CONTAINERS.has(name) ? name : container, depth + 1)
      }
    }
  }
  walk(fragment, null, 0)
  return units
}

export function withNumbers(units: TextUnit[]): Block[] {
  const numbers = paragraphNumbers(units)
  return units.map((unit, i) => ({ id: unit.id, type: unit.type, number: numbers[i], text: unit.text }))
}

/** The blocks of a shared document with their derived numbers (the `/blocks` route). */
export function yDocBlocks(doc: Y.Doc): Block[] {
  return withNumbers(yTextUnits(doc.getXmlFragment(YDOC_FIELD)))
}

/** Finds the element of a block by its id. */
export function findYBlock(fragment: Y.XmlFragment, id: string): Y.XmlElement | null {
  let found: Y.XmlElement | null = null
  const walk = (parent: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of parent.toArray()) {
      if (found) return
      if (!(child instanceof Y.XmlElement)) continue
      if (child.getAttribute('id') === id) {
        found = child
        return
      }
      walk(child)
    }
  }
  walk(fragment)
  return found
}

// ---------------------------------------------------------------- TipTap JSON

export type JSONNode = {
  type: string
  attrs?: Record<string, unknown>
  content?: JSONNode[]
  text?: string
  marks?: { type: string; attrs?: Record<string, unknown> }[]
}

export function jsonBlockText(node: JSONNode): string {
  let text = ''
  for (const child of node.content ?? []) {
    if (child.type === 'text') text += child.text ?? ''
    else if (child.type === 'hardBreak') text += '\n'
  }
  return text
}

/** Every textblock of a TipTap JSON document, in document order. */
export function jsonTextUnits(doc: JSONNode): TextUnit[] {
  const units: TextUnit[] = []
  const walk = (parent: JSONNode, container: string | null, depth: number) => {
    for (const child of parent.content ?? []) {
      const name = child.type
      if (name === 'paragraph' || name === 'heading') {
        const attrs = child.attrs ?? {}
        units.push({
          id: typeof attrs.id === 'string' ? attrs.id : null,
          type: unitType(name, container),
          nodeName: name,
          topLevel: depth === 0,
          numbered: attrs.numbered !== false,
          numberPrefix: typeof attrs.numberPrefix === 'string' ? attrs.numberPrefix : null,
          text: jsonBlockText(child),
        })
      } else if (name !== 'text' && name !== 'hardBreak') {
        walk(child, CONTAINERS.has(name) ? name : container, depth + 1)
      }
    }
  }
  walk(doc, null, 0)
  return units
}

export function jsonDocBlocks(doc: JSONNode): Block[] {
  return withNumbers(jsonTextUnits(doc))
}
