const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** A shortcut such as `Mod+Shift+Z`, for `aria-keyshortcuts` and for tooltips. */
export function shortcut(keys: string): { aria: string; label: string } {
  const parts = keys.split('+')
  return {
    aria: parts.map((part) => (part === 'Mod' ? (isMac ? 'Meta' : 'Control') : part)).join('+'),
    label: parts.map((part) => (part === 'Mod' ? (isMac ? '⌘' : 'Ctrl') : part)).join(isMac ? '' : '+'),
  }
}
