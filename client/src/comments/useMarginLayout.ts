import type { Editor } from '@tiptap/core'
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { type CardBox, stackCards } from './cardLayout.ts'
import { EditorGeometry } from './editorGeometry.ts'
import { currentPending, currentRanges } from './threadHighlights.ts'

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
 * the active card changes, after every transaction of the editor, on scrolling, and when anything
 * changes size; writes styles directly, and only those that changed, so scrolling and typing cost
 * no React render.
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

  const layout = useCallback(() => {
    const layerElement = layer.current
    if (!editor || editor.isDestroyed || !layerElement) return
    // Everything is read first and written after, so the page is laid out once per layout.
    const layerTop = layerElement.getBoundingClientRect().top
    const headerElement = header.current
    const minTop = headerElement ? headerElement.offsetTop + headerElement.offsetHeight + GAP : 0
    const ranges = new Map(currentRanges(editor.state).map((range) => [range.threadId, range]))
    const pending = currentPending(editor.state)
    const geometry = new EditorGeometry(editor, offsets)

    const boxes: CardBox[] = []
    for (const [key, element] of cards) {
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
      boxes.push({ key, desired: top === null ? minTop : top - layerTop, height: element.offsetHeight })
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
  }, [editor, layer, header, paper, cards, bubbles, offsets, place])

  // Not after every render of the page (it renders as the save state changes, at each keystroke):
  // cards that come, go or change size, a new active card, and every transaction lay it out.
  useLayoutEffect(() => {
    active.current = activeKey
    layout()
  }, [layout, activeKey])

  const frame = useRef<number | null>(null)
  const schedule = useMemo(
    () => () => {
      if (frame.current !== null) return
      frame.current = requestAnimationFrame(() => {
        frame.current = null
        layout()
      })
    },
    [layout],
  )
  scheduled.current = schedule

  useEffect(() => {
    if (!editor) return
    editor.on('transaction', schedule)
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
      editor.off('transaction', schedule)
      window.removeEventListener('resize', schedule)
      window.removeEventListener('scroll', schedule, { capture: true })
      observer.disconnect()
      if (frame.current !== null) cancelAnimationFrame(frame.current)
      frame.current = null
    }
  }, [editor, layer, header, schedule])

  return { registerCard, registerBubble, layout: schedule }
}
