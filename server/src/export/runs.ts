/**
 * The inline content of one exported block as runs: styled text, each with its change (inserted,
 * deleted or neither) and author, and the zero-width starts and ends of comment ranges. Offsets are
 * those of the shared block text (`jsonBlockText`), so the diff's word operations and the resolved
 * anchors of threads fall exactly where users saw them.
 */
import { type DiffOp, isSafeHref, type JSONNode } from '@plenary/shared'
import type { ChangeAuthor } from './attribution.ts'

export type Style = { bold?: true; italic?: true; underline?: true; strike?: true; href?: string }
export type Change = 'insert' | 'delete' | null

export type Run =
  /** Text; `\n` in it is a hard break. */
  | { kind: 'text'; text: string; style: Style; change: Change; author: ChangeAuthor | null }
  | { kind: 'commentStart'; comment: number }
  | { kind: 'commentEnd'; comment: number }

/** A piece of a block's text with one style. */
export type Segment = { text: string; style: Style }

function styleOf(marks: JSONNode['marks']): Style {
  const style: Style = {}
  for (const mark of marks ?? []) {
    if (mark.type === 'bold') style.bold = true
    else if (mark.type === 'italic') style.italic = true
    else if (mark.type === 'underline') style.underline = true
    else if (mark.type === 'strike') style.strike = true
    else if (mark.type === 'link' && isSafeHref(mark.attrs?.href)) style.href = String(mark.attrs?.href)
  }
  return style
}

/** A paragraph's or heading's inline content as styled segments; hard breaks are `\n`. */
export function segmentsOf(node: JSONNode | null): Segment[] {
  const out: Segment[] = []
  for (const child of node?.content ?? []) {
    if (child.type === 'text' && child.text) out.push({ text: child.text, style: styleOf(child.marks) })
    else if (child.type === 'hardBreak') out.push({ text: '\n', style: {} })
  }
  return out
}

/** The segments covering the text offsets [from, to). */
export function sliceSegments(segments: Segment[], from: number, to: number): Segment[] {
  const out: Segment[] = []
  let at = 0
  for (const segment of segments) {
    const end = at + segment.text.length
    const a = Math.max(from, at)
    const b = Math.min(to, end)
    if (a < b) out.push({ text: segment.text.slice(a - at, b - at), style: segment.style })
    at = end
    if (at >= to) break
  }
  return out
}

export type CommentEvent = { comment: number; from: number; to: number }

export type RunInput = {
  /** The block as exported. */
  to: Segment[]
  /** The block in the text compared against, when known (for the style of deleted words). */
  from: Segment[] | null
  /** Word operations from the compared text to this one; null when the export is not marked. */
  ops: DiffOp[] | null
  /** Comment ranges in this block, offsets in its exported text. */
  comments: CommentEvent[]
  inserted?: (from: number, to: number) => ChangeAuthor
  deleted?: (from: number, to: number) => ChangeAuthor
}

const sameStyle = (a: Style, b: Style) =>
  a.bold === b.bold &&
  a.italic === b.italic &&
  a.underline === b.underline &&
  a.strike === b.strike &&
  a.href === b.href

export function buildRuns(input: RunInput): Run[] {
  const text = input.to.map((s) => s.text).join('')
  // At one offset: ends of ranges that have words come first, then starts, then ends of empty ranges.
  const events = input.comments
    .flatMap((c) => [
      { at: c.from, rank: 1, run: { kind: 'commentStart', comment: c.comment } as Run },
      { at: c.to, rank: c.to > c.from ? 0 : 2, run: { kind: 'commentEnd', comment: c.comment } as Run },
    ])
    .sort((a, b) => a.at - b.at || a.rank - b.rank)
  const runs: Run[] = []
  let next = 0
  const flush = (upTo: number) => {
    while (next < events.length && events[next].at <= upTo) runs.push(events[next++].run)
  }
  const push = (segment: Segment, change: Change, author: ChangeAuthor | null) => {
    const last = runs.at(-1)
    if (
      last?.kind === 'text' &&
      last.change === change &&
      last.author === author &&
      sameStyle(last.style, segment.style)
    ) {
      last.text += segment.text
    } else {
      runs.push({ kind: 'text', text: segment.text, style: segment.style, change, author })
    }
  }

  const ops: DiffOp[] = input.ops ?? (text ? [{ op: 'equal', text }] : [])
  let toAt = 0
  let fromAt = 0
  for (const op of ops) {
    const length = op.text.length
    if (op.op === 'delete') {
      flush(toAt)
      const author = input.deleted?.(fromAt, fromAt + length) ?? null
      const pieces = input.from ? sliceSegments(input.from, fromAt, fromAt + length) : []
      const covered = pieces.reduce((n, p) => n + p.text.length, 0)
      for (const piece of covered === length ? pieces : [{ text: op.text, style: {} }]) {
        push(piece, 'delete', author)
      }
      fromAt += length
      continue
    }
    const change: Change = op.op === 'insert' ? 'insert' : null
    const author = change ? (input.inserted?.(toAt, toAt + length) ?? null) : null
    const end = toAt + length
    let at = toAt
    while (at < end) {
      flush(at)
      const boundary = events.find((e, k) => k >= next && e.at > at)?.at ?? end
      const stop = Math.min(end, boundary)
      for (const piece of sliceSegments(input.to, at, stop)) push(piece, change, author)
      at = stop
    }
    toAt = end
    if (op.op === 'equal') fromAt += length
  }
  flush(Number.POSITIVE_INFINITY)
  return runs
}
