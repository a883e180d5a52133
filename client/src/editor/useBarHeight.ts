import { type RefObject, useLayoutEffect } from 'react'

/**
 * Keeps `--bar-height` on the page equal to the sticky bar's real height (the read-only notice
 * can take two lines), so the outline sticks below it instead of under it.
 */
export function useBarHeight(page: RefObject<HTMLElement | null>, bar: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const pageElement = page.current
    const barElement = bar.current
    if (!pageElement || !barElement) return
    const update = () =>
      pageElement.style.setProperty('--bar-height', `${Math.ceil(barElement.offsetHeight)}px`)
    update()
    const observer = new ResizeObserver(update)
    observer.observe(barElement)
    return () => observer.disconnect()
  }, [page, bar])
}
