/**
 * Where things sit in the editor, measured for one layout of the margin. On a long text this runs
 * after every keystroke with hundreds of cards, so it is kept to one pass over the page:
 *
 * - the top-level paragraphs' elements are found in one walk over the editor's children, not
 *   looked up from the root once per card;
 * - words are measured exactly (`coordsAtPos`, a text range) only near the visible part of the
 *   page; further away a card sits at its paragraph's top plus where its words were in that
 *   paragraph when last measured, which scrolling corrects before those cards come into view.
 */
import { textblockPositions } from '@plenary/shared/blockOffsets'
import type { Editor } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import type { PendingRange } from './threadHighlights.ts'

/** How far beyond the window words are still measured exactly, in window heights. */
const EXACT_MARGIN = 1

type ViewDescHolder = { pmViewDesc?: { node?: ProseMirrorNode | null } }

export class EditorGeometry {
  private topLevel: Map<number, HTMLElement> | null = null
  private readonly exactFrom: number
  private readonly exactTo: number

  private blockPositions: Map<string, { pos: number; node: ProseMirrorNode }> | null = null

  constructor(
    private readonly editor: Editor,
    /** Where each thread's words sat within their paragraph when last measured. */
    private readonly offsets: Map<string, number>,
  ) {
    const height = window.innerHeight
    this.exactFrom = -EXACT_MARGIN * height
    this.exactTo = (1 + EXACT_MARGIN) * height
  }

  /**
   * The element of each top-level node, by position, from one walk over the editor's children in
   * step with the document's (ProseMirror keeps an element for an equal node, so they are matched
   * by order and checked by type and size, not by identity).
   */
  private topLevelElements(): Map<number, HTMLElement> {
    if (this.topLevel) return this.topLevel
    const map = new Map<number, HTMLElement>()
    const { doc } = this.editor.state
    let element = this.editor.view.dom.firstElementChild
    const nodeOf = (candidate: Element) => (candidate as unknown as ViewDescHolder).pmViewDesc?.node
    doc.forEach((node, offset) => {
      // Anything drawn between paragraphs (a gap cursor, a widget) has no node of its own: skip it.
      while (element && !nodeOf(element)) element = element.nextElementSibling
      if (!element) return
      const drawn = nodeOf(element)
      if (
        drawn &&
        drawn.type === node.type &&
        drawn.nodeSize === node.nodeSize &&
        element instanceof HTMLElement
      ) {
        map.set(offset, element)
      }
      element = element.nextElementSibling
    })
    this.topLevel = map
    return map
  }

  /** The element of the node at `pos` (top-level ones from the walk, nested ones looked up). */
  private elementAt(pos: number): HTMLElement | null {
    const found = this.topLevelElements().get(pos)
    if (found) return found
    try {
      const dom = this.editor.view.nodeDOM(pos)
      return dom instanceof HTMLElement ? dom : null
    } catch {
      return null
    }
  }

  /** The element of the document's `index`-th top-level block (found without walking the page). */
  topLevelElement(index: number): HTMLElement | null {
    const { doc } = this.editor.state
    if (index < 0 || index >= doc.childCount) return null
    let pos = 0
    for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize
    try {
      const dom = this.editor.view.nodeDOM(pos)
      return dom instanceof HTMLElement ? dom : null
    } catch {
      return null
    }
  }

  /** Each textblock's position by id, from one walk over the document. */
  textblock(id: string): { pos: number; node: ProseMirrorNode } | undefined {
    this.blockPositions ??= textblockPositions(this.editor.state.doc)
    return this.blockPositions.get(id)
  }

  /** Viewport top of the node at `pos`, or null when it is not laid out. */
  blockTop(pos: number): number | null {
    return this.elementAt(pos)?.getBoundingClientRect().top ?? null
  }

  /** Viewport top of a thread's words or paragraph (`key` names it for the remembered offset). */
  rangeTop(key: string, range: PendingRange): number | null {
    const { doc } = this.editor.state
    if (range.from < 1 || range.from > doc.content.size) return null
    if (range.kind === 'paragraph') return this.blockTop(range.from - 1)
    // The paragraph from its id (resolving the position would walk the document for each card).
    const found = this.textblock(range.blockId)
    let blockPos = found?.pos
    if (found === undefined || range.from <= found.pos || range.from >= found.pos + found.node.nodeSize) {
      try {
        const $from = doc.resolve(range.from)
        blockPos = $from.depth > 0 ? $from.before($from.depth) : range.from
      } catch {
        return null
      }
    }
    if (blockPos === undefined) return null
    const block = this.blockTop(blockPos)
    if (block === null) return null
    const remembered = this.offsets.get(key)
    if (remembered !== undefined && (block < this.exactFrom || block > this.exactTo))
      return block + remembered
    try {
      const top = this.editor.view.coordsAtPos(range.from, 1).top
      this.offsets.set(key, top - block)
      return top
    } catch {
      return block
    }
  }
}
