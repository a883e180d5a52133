/**
 * Real editing traces (../shared/traces, read at run time, never copied into the project) replayed
 * into TipTap's paragraph structure: a Y.XmlFragment of `paragraph` elements, each holding one
 * Y.XmlText, one paragraph per line of the traced text. Each typist owns a *lane*: the paragraphs
 * that hold the trace's text as it stood at some point of its history (an offset), then it replays
 * the trace's next transactions there, one transaction per edit, splitting and joining paragraphs
 * where the trace types or deletes a newline.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { seededRandom } from '@plenary/shared/seededRandom'
import * as Y from 'yjs'

const here = path.dirname(fileURLToPath(import.meta.url))

export type Patch = [position: number, deleteCount: number, inserted: string]
export interface Trace {
  name: string
  real: boolean
  txns: Patch[][]
}

/** The traces folder beside the project checkout (../shared/traces from the repository root). */
export function tracesDir(): string {
  const candidates = [
    process.env.PLENARY_TRACES_DIR,
    path.resolve(here, '../../../../shared/traces'),
    path.resolve(here, '../../../../../shared/traces'),
  ].filter((dir): dir is string => typeof dir === 'string')
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'automerge-paper.json.gz'))) ?? candidates[0]
}

/** automerge-paper (a LaTeX paper typed keystroke by keystroke), or a generated trace of the same shape. */
export function loadTrace(): Trace {
  const file = path.join(tracesDir(), 'automerge-paper.json.gz')
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as {
      txns: { patches: Patch[] }[]
    }
    return { name: 'automerge-paper', real: true, txns: parsed.txns.map((t) => t.patches) }
  }
  console.warn(`compare: no trace at ${file}; falling back to a generated trace of the same shape`)
  return generatedTrace()
}

/** Typing with backspaces and line breaks, one character per transaction, as the real trace mostly is. */
function generatedTrace(): Trace {
  const random = seededRandom(7)
  const txns: Patch[][] = []
  let length = 0
  let cursor = 0
  const letters = 'etaoin shrdlu cmfwyp vbgkqjxz'
  for (let i = 0; i < 20_000; i++) {
    const roll = random()
    if (roll < 0.05) cursor = Math.floor(random() * (length + 1))
    if (roll > 0.75 && cursor > 0) {
      txns.push([[cursor - 1, 1, '']])
      cursor -= 1
      length -= 1
    } else {
      const ch = roll < 0.02 ? '\n' : letters[Math.floor(random() * letters.length)]
      txns.push([[cursor, 0, ch]])
      cursor += 1
      length += 1
    }
  }
  return { name: 'generated', real: false, txns }
}

/** Index of the first transaction after which the text is longer than `chars`. */
export function offsetLimit(trace: Trace, chars: number): number {
  let length = 0
  for (let i = 0; i < trace.txns.length; i++) {
    for (const [, del, ins] of trace.txns[i]) length += ins.length - del
    if (length > chars) return i
  }
  return trace.txns.length
}

/** The trace's text after its first `offset` transactions, for each requested offset (one pass). */
export function textsAt(trace: Trace, offsets: number[]): Map<number, string> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b)
  const out = new Map<number, string>()
  let text = ''
  let i = 0
  for (const offset of wanted) {
    for (; i < offset; i++) {
      for (const [pos, del, ins] of trace.txns[i]) text = text.slice(0, pos) + ins + text.slice(pos + del)
    }
    out.set(offset, text)
  }
  return out
}

let idCounter = 0
/** Block ids as the editor mints them (the server would otherwise repair missing ones). */
export const blockId = (prefix: string) => `${prefix}${(idCounter++).toString(36)}`

export function paragraph(id: string, text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  element.setAttribute('id', id)
  if (text.length > 0) element.insert(0, [new Y.XmlText(text)])
  return element
}

/** A lane's initial paragraphs, as the seeder inserts them. */
export function laneParagraphs(lane: number, text: string): Y.XmlElement[] {
  return text.split('\n').map((line, j) => paragraph(`l${lane}p${j}`, line))
}

/** The typist's side of a lane: its own paragraphs (live Y types), and the text they must hold. */
export class Lane {
  private paragraphs: Y.XmlElement[] = []
  /** Where the caret is after the last edit (a paragraph's text and a column). */
  caret: [Y.XmlText, number] | null = null
  private lines: string[]
  private next: number

  constructor(
    readonly index: number,
    private readonly doc: Y.Doc,
    private readonly field: string,
    private readonly trace: Trace,
    offset: number,
    text: string,
  ) {
    this.next = offset
    this.lines = text.split('\n')
  }

  /** Finds the lane's paragraphs in the synced document; false while they have not arrived. */
  attach(): boolean {
    const byId = new Map<string, Y.XmlElement>()
    for (const node of this.doc.getXmlFragment(this.field).toArray()) {
      if (node instanceof Y.XmlElement) {
        const id = node.getAttribute('id')
        if (typeof id === 'string' && id.startsWith(`l${this.index}p`)) byId.set(id, node)
      }
    }
    if (byId.size < this.lines.length) return false
    this.paragraphs = this.lines.map((_, j) => byId.get(`l${this.index}p${j}`) as Y.XmlElement)
    return true
  }

  get ids(): string[] {
    return this.paragraphs.map((p) => p.getAttribute('id') as string)
  }

  get text(): string {
    return this.lines.join('\n')
  }

  /** Applies the trace's next transaction in one Yjs transaction; false when the trace is done. */
  step(): boolean {
    const txn = this.trace.txns[this.next]
    if (!txn) return false
    this.next += 1
    this.doc.transact(() => {
      for (const patch of txn) this.apply(patch)
    })
    return true
  }

  /** Pastes `text` (line breaks make paragraphs) at the end of the lane, in one transaction. */
  paste(text: string): void {
    const end = this.lines.join('\n').length
    this.doc.transact(() => this.apply([end, 0, text]))
  }

  private locate(position: number): [line: number, column: number] {
    let start = 0
    for (let line = 0; line < this.lines.length; line++) {
      const end = start + this.lines[line].length
      if (position <= end) return [line, position - start]
      start = end + 1
    }
    const last = this.lines.length - 1
    return [last, this.lines[last].length]
  }

  private apply([position, deleteCount, inserted]: Patch): void {
    const [l0, c0] = this.locate(position)
    const [l1, c1] = this.locate(position + deleteCount)
    if (l0 === l1 && !inserted.includes('\n')) {
      const line = this.lines[l0]
      const xml = this.textOf(this.paragraphs[l0])
      if (deleteCount > 0) xml.delete(c0, c1 - c0)
      if (inserted.length > 0) xml.insert(c0, inserted)
      this.lines[l0] = line.slice(0, c0) + inserted + line.slice(c1)
      this.caret = [xml, c0 + inserted.length]
      return
    }
    // A line break typed or deleted: the first paragraph keeps the head, the following ones are
    // replaced by the new lines (as a paragraph split or join does in the editor).
    const segment = (this.lines[l0].slice(0, c0) + inserted + this.lines[l1].slice(c1)).split('\n')
    const first = this.paragraphs[l0]
    const head = this.lines[l0]
    const xml = this.textOf(first)
    if (head.length > c0) xml.delete(c0, head.length - c0)
    if (segment[0].length > c0) xml.insert(c0, segment[0].slice(c0))
    const fragment = this.doc.getXmlFragment(this.field)
    const at = fragment.toArray().indexOf(first)
    if (l1 > l0) fragment.delete(at + 1, l1 - l0)
    const added = segment.slice(1).map((line) => paragraph(blockId(`l${this.index}x`), line))
    if (added.length > 0) fragment.insert(at + 1, added)
    this.paragraphs.splice(l0 + 1, l1 - l0, ...added)
    this.lines.splice(l0, l1 - l0 + 1, ...segment)
    this.caret = [xml, Math.min(c0, segment[0].length)]
  }

  private textOf(element: Y.XmlElement): Y.XmlText {
    const child = element.get(0)
    if (child instanceof Y.XmlText) return child
    const text = new Y.XmlText()
    element.insert(0, [text])
    return text
  }
}

/** The text of a paragraph list as the lane mirrors it (lines joined by newlines). */
export function paragraphsText(paragraphs: Y.XmlElement[]): string {
  return paragraphs
    .map((p) => {
      const child = p.get(0)
      return child instanceof Y.XmlText ? child.toString() : ''
    })
    .join('\n')
}
