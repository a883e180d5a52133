/**
 * Typed paragraph numbers ("12.", "A3.", "C13" and a tab) become derived numbers: the typed text is
 * stripped, the paragraph stays numbered, and where the numbers change prefix or start again, the
 * heading before them gets the `numberPrefix` that makes the shared numbering give the same numbers.
 * Top-level paragraphs without a typed number are unnumbered (the header block, the title, notes),
 * so the document reads as it did in Word.
 */
import type { JSONNode } from '@plenary/shared'

const TYPED = /^([A-Z]{0,2})(\d{1,3})(?:\.?\t+|\.[ \u00a0]+)/
const LOOSE = /^([A-Z]{0,2})(\d{1,3})[ \u00a0]+(?=\S)/

export type NumberingReport = {
  numbered: number
  unnumbered: number
  /** Prefixes in order of appearance ('' for plain numbers). */
  prefixes: string[]
  /** Typed numbers that the derived numbering could not reproduce (a gap without a heading). */
  renumbered: number
  /** Characters stripped from the start of each top-level paragraph, by its index in `content`. */
  stripped: Map<number, number>
}

const plainText = (node: JSONNode) =>
  (node.content ?? [])
    .map((c) => (c.type === 'text' ? (c.text ?? '') : c.type === 'hardBreak' ? '\n' : ''))
    .join('')

/** Removes the first `count` characters of a paragraph's inline content. */
function stripStart(node: JSONNode, count: number): void {
  let left = count
  const kept: JSONNode[] = []
  for (const child of node.content ?? []) {
    const length = child.type === 'text' ? (child.text ?? '').length : 1
    if (left >= length) {
      left -= length
      continue
    }
    if (left > 0 && child.type === 'text') kept.push({ ...child, text: (child.text ?? '').slice(left) })
    else kept.push(child)
    left = 0
  }
  if (kept.length > 0) node.content = kept
  else delete node.content
}

export function deriveNumbers(doc: JSONNode): NumberingReport {
  const nodes = doc.content ?? []
  const report: NumberingReport = {
    numbered: 0,
    unnumbered: 0,
    prefixes: [],
    renumbered: 0,
    stripped: new Map(),
  }
  let prefix = ''
  let counter = 0
  let pendingHeading: JSONNode | null = null
  const typed = nodes.map((node) => (node.type === 'paragraph' ? TYPED.exec(plainText(node)) : null))
  const anyTyped = typed.some(Boolean)

  nodes.forEach((node, index) => {
    if (node.type === 'heading') {
      pendingHeading ??= node
      return
    }
    if (node.type !== 'paragraph') return
    let match = typed[index]
    if (!match && anyTyped) {
      // "C13 Text": a space alone separates a number only when it is the next one expected.
      const loose = LOOSE.exec(plainText(node))
      if (loose && loose[1] === prefix && Number(loose[2]) === counter + 1) match = loose
    }
    if (!match) {
      node.attrs = { ...node.attrs, numbered: false }
      report.unnumbered++
      return
    }
    const [whole, typedPrefix, digits] = match
    const n = Number(digits)
    if (typedPrefix !== prefix || n !== counter + 1) {
      if (pendingHeading && n === 1) {
        pendingHeading.attrs = { ...pendingHeading.attrs, numberPrefix: typedPrefix }
        prefix = typedPrefix
        counter = 0
      } else {
        report.renumbered++
      }
    }
    if (!report.prefixes.includes(prefix)) report.prefixes.push(prefix)
    counter += 1
    pendingHeading = null
    stripStart(node, whole.length)
    report.stripped.set(index, whole.length)
    report.numbered++
  })
  return report
}

/** Tabs left inside the text (not after a number) read as spaces in the editor. */
export function untab(node: JSONNode): void {
  for (const child of node.content ?? []) {
    if (child.type === 'text' && child.text?.includes('\t')) child.text = child.text.replace(/\t+/g, ' ')
    else if (child.content) untab(child)
  }
}
