/**
 * Highlights of commented words as ProseMirror decorations, never marks: commenting must not write
 * to the shared document (delegates cannot write at all). The ranges come from the threads the
 * server resolved (set with a meta transaction) and are mapped through every later change until
 * the threads are fetched again.
 */
import { textblockPositions } from '@plenary/shared/blockOffsets'
import type { ThreadStatus } from '@plenary/shared/threads'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import type { Mappable } from '@tiptap/pm/transform'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'
import { changeMapping } from '../editor/changeMapping.ts'
import { readPendingSelection } from '../editor/pendingSelection.ts'
import { changedWithin } from './changedBlocks.ts'

/** A thread's words (`range`) or its whole paragraph (`paragraph`), as document positions. */
export type HighlightRange = {
  threadId: string
  status: ThreadStatus
  kind: 'range' | 'paragraph'
  blockId: string
  /** For a paragraph: the start and end of its content. */
  from: number
  to: number
}

/** The words a composer is open on, before the thread exists. */
export type PendingRange = { kind: 'range' | 'paragraph'; blockId: string; from: number; to: number }

type HighlightState = {
  ranges: HighlightRange[]
  activeId: string | null
  pending: PendingRange | null
  decorations: DecorationSet
}

type HighlightMeta = {
  ranges?: HighlightRange[]
  activeId?: string | null
  pending?: PendingRange | null
}

export const threadHighlightsKey = new PluginKey<HighlightState>('threadHighlights')

/** Keeps a paragraph range on its paragraph, or finds the paragraph again by id. */
function paragraphAgain<T extends PendingRange>(
  doc: ProseMirrorNode,
  range: T,
  index: () => ReturnType<typeof textblockPositions>,
): T | null {
  const node = range.from >= 1 && range.from <= doc.content.size ? doc.nodeAt(range.from - 1) : null
  if (node?.isTextblock && node.attrs.id === range.blockId) {
    return { ...range, to: range.from + node.content.size }
  }
  const found = index().get(range.blockId)
  return found ? { ...range, from: found.pos + 1, to: found.pos + 1 + found.node.content.size } : null
}

function mapRanges<T extends PendingRange>(tr: Transaction, mapping: Mappable, ranges: T[]): T[] {
  let cached: ReturnType<typeof textblockPositions> | null = null
  const index = () => {
    cached ??= textblockPositions(tr.doc)
    return cached
  }
  const out: T[] = []
  for (const range of ranges) {
    if (range.kind === 'paragraph') {
      const moved = paragraphAgain(tr.doc, { ...range, from: mapping.map(range.from, -1) }, index)
      if (moved) out.push(moved)
      continue
    }
    // Typing at either edge does not widen the range, as the server's anchors do not.
    const from = mapping.map(range.from, 1)
    const to = mapping.map(range.to, -1)
    if (to > from) out.push({ ...range, from, to })
  }
  return out
}

export function decorate(doc: ProseMirrorNode, state: Omit<HighlightState, 'decorations'>): DecorationSet {
  const decorations: Decoration[] = []
  for (const range of state.ranges) {
    if (range.status === 'withdrawn') continue
    const active = range.threadId === state.activeId ? ' thread-highlight--active' : ''
    if (range.kind === 'paragraph') {
      decorations.push(
        Decoration.node(range.from - 1, range.to + 1, {
          class: `thread-paragraph thread-paragraph--${range.status}${active ? ' thread-paragraph--active' : ''}`,
        }),
      )
    }
    if (range.to > range.from) {
      decorations.push(
        Decoration.inline(range.from, range.to, {
          // A wrapper of its own per thread, so overlapping threads keep their ids.
          nodeName: 'span',
          class: `thread-highlight thread-highlight--${range.kind === 'paragraph' ? 'paragraph' : range.status}${active}`,
          'data-thread-id': range.threadId,
        }),
      )
    }
  }
  const { pending } = state
  if (pending) {
    if (pending.kind === 'paragraph') {
      decorations.push(
        Decoration.node(pending.from - 1, pending.to + 1, { class: 'thread-paragraph--pending' }),
      )
    } else if (pending.to > pending.from) {
      decorations.push(Decoration.inline(pending.from, pending.to, { class: 'thread-pending' }))
    }
  }
  return DecorationSet.create(doc, decorations)
}

/**
 * Whether the decorations can follow a change by mapping rather than be drawn again: the change
 * stayed inside one top-level block, and no thread on a whole paragraph (nor the composer's) is in
 * it. Mapping moves each highlight's ends as `mapRanges` does (typing at either edge does not
 * widen it, and one whose words are all deleted goes), and leaves the other 499 untouched, where
 * drawing again built all 500 anew at each keystroke; a paragraph's highlight instead follows its
 * paragraph by id and to its new end, which only drawing again gives.
 */
function mapsAlone(tr: Transaction, state: Omit<HighlightState, 'decorations'>): boolean {
  const change = changedWithin(tr.before, tr.doc)
  if (!change) return false
  const { blockIds } = change
  if (state.pending && (state.pending.kind === 'paragraph' || blockIds.has(state.pending.blockId)))
    return false
  return !state.ranges.some((range) => range.kind === 'paragraph' && blockIds.has(range.blockId))
}

/** The plugin that keeps the highlights (exported for tests; the editor takes `ThreadHighlights`). */
export function threadHighlightsPlugin(): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: threadHighlightsKey,
    state: {
      init: (_config, state) => ({
        ranges: [],
        activeId: null,
        pending: null,
        decorations: DecorationSet.create(state.doc, []),
      }),
      apply: (tr, previous) => {
        const meta = tr.getMeta(threadHighlightsKey) as HighlightMeta | undefined
        if (!meta && !tr.docChanged) return previous
        let next = previous
        if (tr.docChanged) {
          const mapping = changeMapping(tr)
          const [pending] = previous.pending ? mapRanges(tr, mapping, [previous.pending]) : [null]
          next = { ...next, ranges: mapRanges(tr, mapping, next.ranges), pending: pending ?? null }
          if (!meta && mapsAlone(tr, previous)) {
            return { ...next, decorations: previous.decorations.map(mapping, tr.doc) }
          }
        }
        if (meta) next = { ...next, ...meta }
        return { ...next, decorations: decorate(tr.doc, next) }
      },
    },
    props: {
      decorations: (state) => threadHighlightsKey.getState(state)?.decorations,
    },
  })
}

export const ThreadHighlights = Extension.create({
  name: 'threadHighlights',
  addProseMirrorPlugins() {
    return [threadHighlightsPlugin()]
  },
})

/** The ranges as they are now (mapped through every change since they were set). */
export function currentRanges(state: EditorState): HighlightRange[] {
  return threadHighlightsKey.getState(state)?.ranges ?? []
}

export function currentPending(state: EditorState): PendingRange | null {
  return threadHighlightsKey.getState(state)?.pending ?? null
}

/** A transaction that changes only what is highlighted (never the document). */
export function highlightTransaction(state: EditorState, meta: HighlightMeta): Transaction {
  return state.tr.setMeta(threadHighlightsKey, meta).setMeta('addToHistory', false)
}

/**
 * Changes what is highlighted. ProseMirror first reads any selection the browser made that it has
 * not seen yet (a click whose `selectionchange` is still queued): redrawing decorations writes the
 * editor's selection back to the page, which would otherwise undo that click.
 */
export function setHighlights(view: EditorView, meta: HighlightMeta): void {
  readPendingSelection(view)
  view.dispatch(highlightTransaction(view.state, meta))
}
