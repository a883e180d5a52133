import { Extension } from '@tiptap/core'
import type { DecorationAttrs } from '@tiptap/pm/view'
import type { CollabSession } from '../collab/CollabSession.ts'
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

/** How long a caret's name stays after its person last moved or typed, then fades. */
export const CARET_LABEL_MS = 3_000
const FADE_MS = 400

/** The labels drawn for each participant (a person may have the text open twice). */
const labels = new Map<string, Set<HTMLElement>>()
/** When each participant's caret last moved (`performance.now()`). */
const lastActive = new Map<string, number>()

/**
 * Shows a label, then fades it once its person has been still for `CARET_LABEL_MS`: a name over
 * the caret covers the words on the line above it, and the people here are named in the bar.
 */
function showThenFade(label: HTMLElement, since = 0): void {
  for (const animation of label.getAnimations?.() ?? []) animation.cancel()
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false
  const fade = reduced ? 1 : FADE_MS
  const total = CARET_LABEL_MS + fade
  const animation = label.animate?.(
    [{ opacity: 1 }, { opacity: 1, offset: CARET_LABEL_MS / total }, { opacity: 0 }],
    { duration: total, fill: 'forwards' },
  )
  // A caret drawn again (its paragraph redrawn) keeps its person's time: the name does not come
  // back because someone else typed nearby.
  if (animation) animation.currentTime = Math.min(since, total)
}

/** Someone moved or typed: their name shows again over their caret. */
function noteActivity(userId: string): void {
  lastActive.set(userId, performance.now())
  const drawn = labels.get(userId)
  if (!drawn) return
  for (const label of drawn) {
    // Carets redrawn elsewhere leave their old labels behind: forgotten here.
    if (label.isConnected) showThenFade(label)
    else drawn.delete(label)
  }
  if (drawn.size === 0) labels.delete(userId)
}

/** Follows the session's awareness: a change of someone's caret or selection shows their name. */
export const CaretLabels = Extension.create<{ session: CollabSession | null }>({
  name: 'caretLabels',
  addOptions: () => ({ session: null }),
  onCreate() {
    const awareness = this.options.session?.provider.awareness
    if (!awareness) return
    const onChange = ({ added, updated }: { added: number[]; updated: number[] }) => {
      for (const clientId of [...added, ...updated]) {
        if (clientId === awareness.clientID) continue
        const user = (awareness.getStates().get(clientId) as { user?: CaretUser } | undefined)?.user
        if (typeof user?.id === 'string') noteActivity(user.id)
      }
    }
    awareness.on('change', onChange)
    this.storage.stop = () => awareness.off('change', onChange)
  },
  addStorage: () => ({ stop: () => {} }),
  onDestroy() {
    this.storage.stop()
  },
})

/**
 * Another person's caret, labelled "Name · Organisation" (fields the server sets). The label
 * lives in the caret's shadow root: it shows, but it is never part of the paragraph's text
 * (innerText, textContent, find in page, copy). It fades when its person is still.
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
  let since = 0
  if (typeof user.id === 'string') {
    const drawn = labels.get(user.id) ?? new Set<HTMLElement>()
    labels.set(user.id, drawn)
    for (const old of drawn) if (!old.isConnected) drawn.delete(old)
    drawn.add(label)
    const active = lastActive.get(user.id)
    if (active === undefined) lastActive.set(user.id, performance.now())
    else since = performance.now() - active
  }
  showThenFade(label, since)
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
