import type { Editor } from '@tiptap/core'
import type { Transaction } from '@tiptap/pm/state'
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { type CardBox, stackCards } from './cardLayout.ts'
import { type ChangeWithin, changedWithin } from './changedBlocks.ts'
import { EditorGeometry } from './editorGeometry.ts'
import {
  currentPending,
  currentRanges,
  type HighlightRange,
  type PendingRange,
  threadHighlightsKey,
} from './threadHighlights.ts'

/** The key of the composer among the cards. */
export const COMPOSER_KEY = 'composer'
const GAP = 10

type Registry = Map<string, HTMLElement>

/**
 * Elements by key, with one ref callback per key (so React does not detach and reattach them on
 * every render); each is watched for changes of size.
 */
function useRegistry(
  observer: ResizeObserver,
  /** Called when an element comes or goes: the others may have to move. */
  onChange: () => void,
): [Registry, (key: string) => (element: HTMLElement | null) => void] {
  const registry = useRef<Registry>(new Map()).current
  const callbacks = useRef(new Map<string, (element: HTMLElement | null) => void>()).current
  const register = useCallback(
    (key: string) => {
      let callback = callbacks.get(key)
      if (!callback) {
        callback = (element) => {
          const previous = registry.get(key)
          // Detached elements are let go, so nothing outlives the margin.
          if (previous && previous !== element) observer.unobserve(previous)
          if (element) {
            registry.set(key, element)
            observer.observe(element)
          } else registry.delete(key)
          onChange()
        }
        callbacks.set(key, callback)
      }
      return callback
    },
    [registry, callbacks, observer, onChange],
  )
  return [registry, register]
}

/** What a card's place is found from, for one layout. */
type Measure = {
  geometry: EditorGeometry
  ranges: Map<string, HighlightRange>
  pending: PendingRange | null
  minTop: number
  layerTop: number
}

/** The block a card is on: its words' paragraph, or the paragraph its thread names. */
function cardBlock(key: string, element: HTMLElement, { ranges, pending }: Measure): string | undefined {
  if (key === COMPOSER_KEY) return pending?.blockId
  return ranges.get(key)?.blockId ?? element.dataset.blockId
}

/** Where a card would sit in the margin if nothing were in its way (before stacking). */
function desiredTop(key: string, element: HTMLElement, measure: Measure): number {
  const { geometry, ranges, pending, minTop, layerTop } = measure
  let top: number | null = null
  if (key === COMPOSER_KEY) top = pending ? geometry.rangeTop(key, pending) : null
  else {
    const range = ranges.get(key)
    if (range) top = geometry.rangeTop(key, range)
    // Filtered out of the highlights, or not found yet: level with its paragraph.
    const blockId = element.dataset.blockId
    if (top === null && blockId) {
      const block = geometry.textblock(blockId)
      if (block) top = geometry.blockTop(block.pos)
    }
  }
  return top === null ? minTop : top - layerTop
}

type LayoutOptions = {
  editor: Editor | null
  /** The margin: cards are positioned inside it (it is `position: relative`). */
  layer: RefObject<HTMLElement | null>
  /** What sits at the top of the margin in normal flow; cards stay below it. */
  header: RefObject<HTMLElement | null>
  /** The page of text: paragraph counts are positioned inside it. */
  paper: RefObject<HTMLElement | null>
  activeKey: string | null
}

/**
 * Places the thread cards level with their words, stacking those that would overlap, and the
 * paragraph counts level with their paragraphs. Runs when a card or count comes or goes, when
 * the active card changes, after every change of the document or of the highlighted words (a
 * change inside one block checks only what it can move), on scrolling, and when anything changes
 * size; writes styles directly, and only those that changed, so scrolling and typing cost no React
 * render.
 */
export function useMarginLayout({ editor, layer, header, paper, activeKey }: LayoutOptions) {
  const scheduled = useRef<() => void>(() => {})
  const [observer] = useState(() => new ResizeObserver(() => scheduled.current()))
  const changed = useCallback(() => scheduled.current(), [])
  const [cards, registerCard] = useRegistry(observer, changed)
  const [bubbles, registerBubble] = useRegistry(observer, changed)
  const active = useRef(activeKey)
  active.current = activeKey

  const offsets = useRef(new Map<string, number>()).current
  const written = useRef(new WeakMap<HTMLElement, string>()).current
  /** Writes a position only when it changed, so a layout that moves nothing costs no style work. */
  const place = useCallback(
    (element: HTMLElement, top: number | null) => {
      const value = top === null ? 'hidden' : `${top}px`
      if (written.get(element) === value) return
      written.set(element, value)
      element.style.visibility = top === null ? 'hidden' : 'visible'
      if (top !== null) element.style.top = value
    },
    [written],
  )

  /** Each card's place before stacking, as the last full layout found it. */
  const desired = useRef(new Map<string, number>()).current
  /** The bottom of each top-level block typed in (relative to the margin) when last measured. */
  const blockBottoms = useRef(new WeakMap<HTMLElement, number>()).current

  const measure = useCallback((): Measure | null => {
    const layerElement = layer.current
    if (!editor || editor.isDestroyed || !layerElement) return null
    const headerElement = header.current
    return {
      geometry: new EditorGeometry(editor, offsets),
      ranges: new Map(currentRanges(editor.state).map((range) => [range.threadId, range])),
      pending: currentPending(editor.state),
      minTop: headerElement ? headerElement.offsetTop + headerElement.offsetHeight + GAP : 0,
      layerTop: layerElement.getBoundingClientRect().top,
    }
  }, [editor, layer, header, offsets])

  const layout = useCallback(() => {
    const layerElement = layer.current
    // Everything is read first and written after, so the page is laid out once per layout.
    const measured = measure()
    if (!editor || !layerElement || !measured) return
    const { geometry, minTop } = measured

    desired.clear()
    const boxes: CardBox[] = []
    for (const [key, element] of cards) {
      const top = desiredTop(key, element, measured)
      desired.set(key, top)
      boxes.push({ key, desired: top, height: element.offsetHeight })
    }
    const paperElement = paper.current
    const bubbleTops: [HTMLElement, number | null][] = []
    if (paperElement && bubbles.size > 0) {
      const paperTop = paperElement.getBoundingClientRect().top
      for (const [blockId, element] of bubbles) {
        const block = geometry.textblock(blockId)
        const top = block ? geometry.blockTop(block.pos) : null
        bubbleTops.push([element, top === null ? null : Math.round(top - paperTop)])
      }
    }

    const tops = stackCards(boxes, { activeKey: active.current, minTop, gap: GAP })
    let bottom = minTop
    for (const box of boxes) {
      const element = cards.get(box.key)
      const top = tops.get(box.key) ?? minTop
      if (!element) continue
      place(element, top)
      bottom = Math.max(bottom, top + box.height)
    }
    const minHeight = `${bottom + GAP}px`
    if (layerElement.style.minHeight !== minHeight) layerElement.style.minHeight = minHeight
    for (const [element, top] of bubbleTops) place(element, top)
  }, [editor, layer, paper, cards, bubbles, place, measure, desired])

  /**
   * After a change inside one top-level block (typing, someone else's typing): the full layout
   * only if something in the margin would move. Nothing below the block moves while its bottom
   * stays where it was, and nothing above it ever does; the cards on its words are measured again,
   * since their words may have gone to another line. On a long text with hundreds of cards this
   * is one measure of the block and one of each of its cards, instead of all of them.
   */
  const layoutWithin = useCallback(
    (change: ChangeWithin) => {
      const measured = measure()
      if (!editor || !measured) return
      const blockElement = measured.geometry.topLevelElement(change.index)
      if (!blockElement) return layout()
      const bottom = blockElement.getBoundingClientRect().bottom - measured.layerTop
      const before = blockBottoms.get(blockElement)
      blockBottoms.set(blockElement, bottom)
      if (before !== bottom) return layout()
      for (const [key, element] of cards) {
        const blockId = cardBlock(key, element, measured)
        if (blockId === undefined || !change.blockIds.has(blockId)) continue
        if (desiredTop(key, element, measured) !== desired.get(key)) return layout()
      }
    },
    [editor, cards, measure, layout, desired, blockBottoms],
  )

  // Not after every render of the page (it renders as the save state changes, at each keystroke):
  // cards that come, go or change size, a new active card, and every transaction lay it out.
  useLayoutEffect(() => {
    active.current = activeKey
    layout()
  }, [layout, activeKey])

  const frame = useRef<number | null>(null)
  /** What the next frame lays out: everything, or what one change inside one block moved. */
  const due = useRef<{ full: boolean; within: ChangeWithin | null }>({ full: false, within: null })
  const request = useMemo(
    () => () => {
      if (frame.current !== null) return
      frame.current = requestAnimationFrame(() => {
        frame.current = null
        const { full, within } = due.current
        due.current = { full: false, within: null }
        if (full) layout()
        else if (within) layoutWithin(within)
      })
    },
    [layout, layoutWithin],
  )
  const schedule = useMemo(
    () => () => {
      due.current.full = true
      request()
    },
    [request],
  )
  const scheduleWithin = useMemo(
    () => (change: ChangeWithin) => {
      const next = due.current
      if (change.index < 0 || next.full) return
      if (!next.within) next.within = change
      else if (next.within.index === change.index)
        next.within = {
          index: change.index,
          blockIds: new Set([...next.within.blockIds, ...change.blockIds]),
        }
      else next.full = true
      request()
    },
    [request],
  )
  scheduled.current = schedule

  useEffect(() => {
    if (!editor) return
    let highlights = threadHighlightsKey.getState(editor.state)
    const onTransaction = ({ transaction }: { transaction: Transaction }) => {
      const now = threadHighlightsKey.getState(editor.state)
      const highlightsChanged = now !== highlights
      highlights = now
      // A caret moving, or others' carets redrawn, moves no card.
      if (!transaction.docChanged) {
        if (highlightsChanged) schedule()
        return
      }
      const change = transaction.getMeta(threadHighlightsKey)
        ? null
        : changedWithin(transaction.before, transaction.doc)
      if (change) scheduleWithin(change)
      else schedule()
    }
    editor.on('transaction', onTransaction)
    window.addEventListener('resize', schedule)
    // Cards coming into view are measured exactly (see EditorGeometry); nothing moves otherwise.
    window.addEventListener('scroll', schedule, { capture: true, passive: true })
    const observer = new ResizeObserver(schedule)
    observer.observe(editor.view.dom)
    if (layer.current) observer.observe(layer.current)
    // The filters and notices above the cards push them down.
    if (header.current) observer.observe(header.current)
    void document.fonts?.ready.then(schedule)
    return () => {
      editor.off('transaction', onTransaction)
      window.removeEventListener('resize', schedule)
      window.removeEventListener('scroll', schedule, { capture: true })
      observer.disconnect()
      if (frame.current !== null) cancelAnimationFrame(frame.current)
      frame.current = null
    }
  }, [editor, layer, header, schedule, scheduleWithin])

  return { registerCard, registerBubble, layout: schedule }
}
