import { Extension } from '@tiptap/core'

/** Where the formatting toolbar lives; Alt+F10 jumps there from the text (as in Word and Docs). */
export const TOOLBAR_SELECTOR = '[data-editor-toolbar]'

export function focusToolbar(): boolean {
  const first = document.querySelector<HTMLElement>(
    `${TOOLBAR_SELECTOR} button:not(:disabled), ${TOOLBAR_SELECTOR} select:not(:disabled)`,
  )
  if (!first) return false
  first.focus()
  return true
}

/** Dispatched on the document by Mod+K in the text; the toolbar opens its link form. */
export const OPEN_LINK_FORM_EVENT = 'plenary:open-link-form'

export const ToolbarShortcut = Extension.create({
  name: 'plenaryToolbarShortcut',
  addKeyboardShortcuts() {
    return {
      'Alt-F10': () => focusToolbar(),
      'Mod-k': () => {
        document.dispatchEvent(new Event(OPEN_LINK_FORM_EVENT))
        return true
      },
    }
  },
})
