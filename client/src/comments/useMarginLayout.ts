import { textblockPositions } from '@plenary/shared/blockOffsets'
import type { Editor } from '@tiptap/core'
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { type CardBox, stackCards } from './cardLayout.ts'
import { currentPending, currentRanges, type PendingRange } from './threadHighlights.ts'

/** The key of the composer among the cards. */
export const COMPOSER_KEY = 'composer'
const GAP = 10

type Registry = Map<string, HTMLElement>

/** Viewport top of a range or paragraph of the editor, or null when it is not laid out. */
function rangeTop(editor: Editor, range: PendingRange): number | null {
  try {
    if (range.kind === 'paragraph') {
      const dom = editor.view.nodeDOM(range.from - 1)
      return dom instanceof HTMLElement ? dom.getBoundingClientRect().top : null
    }
    return editor.view.coordsAtPos(range.from, 1).top
  } catch {
    return null
  }
}

function blockTop(editor: Editor, pos: number): number | null {
  const dom = editor.view.nodeDOM(pos)
  return dom instanceof HTMLElement ? dom.getBoundingClientRect().top : null
}

/**
 * Elements by key, with one ref callback per key (so React does not detach and reattach them on
 * every render); each is watched for changes of size.
 */
function useRegistry(
  observer: ResizeObserver,
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
        }
        callbacks.set(key, callback)
      }
      return callback
    },
    [registry, callbacks, observer],
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
 * paragraph counts level with their paragraphs. Runs after every render of the margin, after
 * every transaction of the editor, and when anything changes size; writes styles directly, so
 * scrolling and typing cost no React render.
 */
export function useMarginLayout({ editor, layer, header, paper, activeKey }: LayoutOptions) {
  const scheduled = useRef<() => void>(() => {})
  const [observer] = useState(() => new ResizeObserver(() => scheduled.current()))
  const [cards, registerCard] = useRegistry(observer)
  const [bubbles, registerBubble] = useRegistry(observer)
  const active = useRef(activeKey)
  active.current = activeKey

  const layout = useCallback(() => {
    const layerElement = layer.current
    if (!editor || editor.isDestroyed || !layerElement) return
    const layerTop = layerElement.getBoundingClientRect().top
    const headerElement = header.current
    const minTop = headerElement ? headerElement.offsetTop + headerElement.offsetHeight + GAP : 0
    const ranges = new Map(currentRanges(editor.state).map((range) => [range.threadId, range]))
    const pending = currentPending(editor.state)
    let blocks: ReturnType<typeof textblockPositions> | null = null
    const blockPositions = () => {
      blocks ??= textblockPositions(editor.state.doc)
      return blocks
    }

    const boxes: CardBox[] = []
    for (const [key, element] of cards) {
      let top: number | null = null
      if (key === COMPOSER_KEY) top = pending ? rangeTop(editor, pending) : null
      else {
        const range = ranges.get(key)
        if (range) top = rangeTop(editor, range)
        // Filtered out of the highlights, or not found yet: level with its paragraph.
        const blockId = element.dataset.blockId
        if (top === null && blockId) {
          const block = blockPositions().get(blockId)
          if (block) top = blockTop(editor, block.pos)
        }
      }
      boxes.push({ key, desired: top === null ? minTop : top - layerTop, height: element.offsetHeight })
    }
    const tops = stackCards(boxes, { activeKey: active.current, minTop, gap: GAP })
    let bottom = minTop
    for (const box of boxes) {
      const element = cards.get(box.key)
      const top = tops.get(box.key) ?? minTop
      if (!element) continue
      element.style.top = `${top}px`
      element.style.visibility = 'visible'
      bottom = Math.max(bottom, top + box.height)
    }
    layerElement.style.minHeight = `${bottom + GAP}px`

    const paperElement = paper.current
    if (paperElement && bubbles.size > 0) {
      const paperTop = paperElement.getBoundingClientRect().top
      for (const [blockId, element] of bubbles) {
        const block = blockPositions().get(blockId)
        const top = block ? blockTop(editor, block.pos) : null
        element.style.visibility = top === null ? 'hidden' : 'visible'
        if (top !== null) element.style.top = `${Math.round(top - paperTop)}px`
      }
    }
  }, [editor, layer, header, paper, cards, bubbles])

  // After every render of the margin (cards added, expanded, answered).
  useLayoutEffect(() => {
    layout()
  })

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
    const observer = new ResizeObserver(schedule)
    observer.observe(editor.view.dom)
    if (layer.current) observer.observe(layer.current)
    void document.fonts?.ready.then(schedule)
    return () => {
      editor.off('transaction', schedule)
      window.removeEventListener('resize', schedule)
      observer.disconnect()
      if (frame.current !== null) cancelAnimationFrame(frame.current)
      frame.current = null
    }
  }, [editor, layer, schedule])

  return { registerCard, registerBubble, layout: schedule }
}
