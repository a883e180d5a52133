import type { DecorationAttrs } from '@tiptap/pm/view'
import { isHexColor, participantColor, textColorOn } from '../collab/colors.ts'

type CaretUser = Record<string, unknown>

function colorOf(user: CaretUser): string {
  if (isHexColor(user.color)) return user.color
  return participantColor(typeof user.id === 'string' ? user.id : String(user.clientId ?? ''))
}

function labelOf(user: CaretUser): string {
  const name = typeof user.name === 'string' ? user.name : ''
  const organisation = typeof user.organisation === 'string' ? user.organisation : ''
  return organisation ? `${name} · ${organisation}` : name
}

const LABEL_CSS = `
.collaboration-carets__label {
  position: absolute;
  bottom: 100%;
  left: -1px;
  max-width: 260px;
  overflow: hidden;
  padding: 1px 6px;
  border-radius: 3px 3px 3px 0;
  font: 600 11.5px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-style: normal;
  text-overflow: ellipsis;
  white-space: nowrap;
  user-select: none;
  pointer-events: none;
}`

let labelSheet: CSSStyleSheet | undefined

function sheet(): CSSStyleSheet {
  if (!labelSheet) {
    labelSheet = new CSSStyleSheet()
    labelSheet.replaceSync(LABEL_CSS)
  }
  return labelSheet
}

/**
 * Another person's caret, labelled "Name · Organisation" (fields the server sets). The label
 * lives in the caret's shadow root: it shows, but it is never part of the paragraph's text
 * (innerText, textContent, find in page, copy).
 */
export function renderCaret(user: CaretUser): HTMLElement {
  const color = colorOf(user)
  const caret = document.createElement('span')
  caret.classList.add('collaboration-carets__caret')
  caret.style.borderColor = color
  caret.setAttribute('aria-hidden', 'true')
  const root = caret.attachShadow({ mode: 'open' })
  root.adoptedStyleSheets = [sheet()]
  const label = document.createElement('span')
  label.classList.add('collaboration-carets__label')
  label.style.backgroundColor = color
  label.style.color = textColorOn(color)
  label.textContent = labelOf(user)
  label.title = labelOf(user)
  root.append(label)
  return caret
}

/** Another person's selection: their colour, faint. */
export function renderSelection(user: CaretUser): DecorationAttrs {
  return {
    nodeName: 'span',
    class: 'collaboration-carets__selection',
    style: `background-color: ${colorOf(user)}33`,
  }
}
