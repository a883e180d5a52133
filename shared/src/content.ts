/**
 * TipTap JSON ↔ Y.Doc, validation of content that arrives from outside, and the block-id rules:
 * every block node has an id that is unique in the document; the first holder of a duplicated id
 * keeps it (a split's first half is the original block) and later holders get fresh ones.
 */
import {
  prosemirrorJSONToYXmlFragment,
  updateYFragment,
  yXmlFragmentToProsemirrorJSON,
} from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { BLOCK_ID_PATTERN, newBlockId } from './blockIds.ts'
import type { JSONNode } from './blocks.ts'
import { isBlockNodeType, isSafeHref, plenarySchema, YDOC_FIELD } from './schema.ts'

export class InvalidContentError extends Error {
  override name = 'InvalidContentError'
}

const MAX_DEPTH = 40

/**
 * Checks a TipTap JSON document against the schema, drops unsafe links and gives every block a
 * unique id. Returns a new document; throws InvalidContentError with a readable reason.
 */
export function normalizeContent(input: unknown): JSONNode {
  if (!input || typeof input !== 'object' || (input as JSONNode).type !== 'doc') {
    throw new InvalidContentError('content must be a TipTap JSON document with type "doc"')
  }
  const seen = new Set<string>()
  const clean = (node: JSONNode, depth: number): JSONNode => {
    if (depth > MAX_DEPTH) throw new InvalidContentError('content is nested too deeply')
    if (!node || typeof node !== 'object' || typeof node.type !== 'string') {
      throw new InvalidContentError('every node needs a string type')
    }
    const out: JSONNode = { type: node.type }
    if (node.attrs !== undefined) {
      if (typeof node.attrs !== 'object' || node.attrs === null)
        throw new InvalidContentError('attrs must be an object')
      out.attrs = { ...node.attrs }
    }
    if (isBlockNodeType(node.type)) {
      const id = out.attrs?.id
      const keep = typeof id === 'string' && BLOCK_ID_PATTERN.test(id) && !seen.has(id)
      const finalId = keep ? (id as string) : newBlockId()
      seen.add(finalId)
      out.attrs = { ...out.attrs, id: finalId }
    }
    if (node.type === 'heading' && ![1, 2, 3].includes(out.attrs?.level as number)) {
      throw new InvalidContentError('heading levels are 1, 2 or 3')
    }
    if (node.type === 'text') {
      if (typeof node.text !== 'string' || node.text.length === 0)
        throw new InvalidContentError('text nodes need text')
      out.text = node.text
    }
    if (node.marks !== undefined) {
      if (!Array.isArray(node.marks)) throw new InvalidContentError('marks must be an array')
      out.marks = node.marks
        .filter((mark) => mark && (mark.type !== 'link' || isSafeHref(mark.attrs?.href)))
        .map((mark) =>
          mark.type === 'link' ? { type: 'link', attrs: { href: String(mark.attrs?.href) } } : mark,
        )
    }
    if (node.content !== undefined) {
      if (!Array.isArray(node.content)) throw new InvalidContentError('content must be an array')
      out.content = node.content.map((child) => clean(child, depth + 1))
    }
    return out
  }
  const doc = clean(input as JSONNode, 0)
  try {
    plenarySchema().nodeFromJSON(doc).check()
  } catch (error) {
    throw new InvalidContentError(`content does not fit the document schema: ${(error as Error).message}`)
  }
  return doc
}

/** A document with one empty paragraph, for a new document without content. */
export function emptyContent(): JSONNode {
  return { type: 'doc', content: [{ type: 'paragraph', attrs: { id: newBlockId() } }] }
}

/** Writes normalized content into a new Y.Doc. */
export function contentToYDoc(content: JSONNode): Y.Doc {
  const doc = new Y.Doc()
  prosemirrorJSONToYXmlFragment(plenarySchema(), content, doc.getXmlFragment(YDOC_FIELD))
  return doc
}

/**
 * Changes a shared document's text to `content` with the fewest changes: blocks that are the same
 * keep their Yjs items (and the anchors on them); others are rewritten, block ids included. Call
 * inside a transaction.
 */
export function replaceContent(doc: Y.Doc, content: JSONNode): void {
  const node = plenarySchema().nodeFromJSON(content)
  updateYFragment(doc, doc.getXmlFragment(YDOC_FIELD), node, { mapping: new Map(), isOMark: new Map() })
}

/** The TipTap JSON of a shared document, block ids included. */
export function yDocToContent(doc: Y.Doc): JSONNode {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(YDOC_FIELD)) as JSONNode
}

/**
 * Block elements whose id is missing, malformed or already taken earlier in the document, in
 * document order (so the first holder of a duplicated id keeps it). `holders`, if given, is filled
 * with each id kept and the block that keeps it.
 */
export function elementsNeedingIds(
  fragment: Y.XmlFragment,
  holders: Map<string, Y.XmlElement> = new Map(),
): Y.XmlElement[] {
  const bad: Y.XmlElement[] = []
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (isBlockNodeType(child.nodeName)) {
        const id = child.getAttribute('id') as unknown
        if (typeof id === 'string' && BLOCK_ID_PATTERN.test(id) && !holders.has(id)) holders.set(id, child)
        else bad.push(child)
      }
      walk(child)
    }
  }
  walk(fragment)
  return bad
}

/** Gives each of `elements` a fresh block id. Call inside a transaction; returns the count. */
export function giveFreshBlockIds(elements: Y.XmlElement[]): number {
  for (const element of elements) element.setAttribute('id', newBlockId())
  return elements.length
}

/** Gives a fresh id to each block that needs one. Call inside a transaction; returns the count. */
export function repairBlockIds(fragment: Y.XmlFragment): number {
  return giveFreshBlockIds(elementsNeedingIds(fragment))
}
