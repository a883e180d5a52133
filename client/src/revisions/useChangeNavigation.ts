import { type RefObject, useCallback, useEffect, useRef, useState } from 'react'

const reducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false

/**
 * Scrolls `box` alone (never the dialog or the page around it, as `scrollIntoView` would) so that
 * `element` is centred, or just in view for `nearest`.
 */
function scrollWithin(box: HTMLElement, element: HTMLElement, how: ScrollLogicalPosition): void {
  const outer = box.getBoundingClientRect()
  const inner = element.getBoundingClientRect()
  const margin = 24
  let top: number
  if (how === 'nearest') {
    if (inner.top >= outer.top + margin && inner.bottom <= outer.bottom - margin) return
    top =
      inner.top < outer.top + margin || inner.height > outer.height - 2 * margin
        ? box.scrollTop + inner.top - outer.top - margin
        : box.scrollTop + inner.bottom - outer.bottom + margin
  } else {
    const offset = inner.height > outer.height - 2 * margin ? margin : (outer.height - inner.height) / 2
    top = box.scrollTop + inner.top - outer.top - offset
  }
  box.scrollTo({ top: Math.max(0, top), behavior: reducedMotion() ? 'auto' : 'smooth' })
}

/** Typing in a field must not move between changes. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/**
 * Next and previous change of a redline: the current one (0-based), scrolled into view inside
 * `container` (the element marked `data-change-index`), and keyboard shortcuts (N and P, or
 * Alt+↓ and Alt+↑) while focus is inside `scope` and no other dialog is open above it.
 */
export function useChangeNavigation(
  total: number,
  container: RefObject<HTMLElement | null>,
  scope: RefObject<HTMLElement | null>,
) {
  const [current, setCurrent] = useState(0)
  /** How to scroll after the next render, when something asked to. */
  const pending = useRef<ScrollLogicalPosition | null>(null)
  const clamped = total > 0 ? Math.min(current, total - 1) : 0

  useEffect(() => {
    const how = pending.current
    if (!how) return
    pending.current = null
    const box = container.current
    const element = box?.querySelector<HTMLElement>(`[data-change-index="${clamped}"]`)
    if (box && element) scrollWithin(box, element, how)
  })

  const go = useCallback(
    (to: number) => {
      if (total === 0) return
      pending.current = 'center'
      setCurrent(Math.max(0, Math.min(total - 1, to)))
    },
    [total],
  )
  const next = useCallback(() => go(clamped + 1), [go, clamped])
  const previous = useCallback(() => go(clamped - 1), [go, clamped])

  /** A new comparison: back to its first change, brought into view if it is not. */
  const reset = useCallback(() => {
    pending.current = 'nearest'
    setCurrent(0)
  }, [])

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const root = scope.current
      if (event.defaultPrevented || !root || !(event.target instanceof Node)) return
      // Focus on the page's body while the modal reader is open still means the reader.
      const inside = root.contains(event.target) || event.target === window.document.body
      if (!inside) return
      // A dialog opened inside (the restore confirmation) has the keyboard to itself.
      if (event.target !== window.document.body && (event.target as Element).closest('dialog') !== root)
        return
      const plain = !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey
      const key = event.key.toLowerCase()
      let step = 0
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.key === 'ArrowDown') step = 1
      else if (event.altKey && !event.ctrlKey && !event.metaKey && event.key === 'ArrowUp') step = -1
      else if (plain && !isTyping(event.target) && key === 'n') step = 1
      else if (plain && !isTyping(event.target) && key === 'p') step = -1
      if (!step) return
      event.preventDefault()
      if (step > 0) next()
      else previous()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [scope, next, previous])

  return { current: clamped, next, previous, go, reset }
}
