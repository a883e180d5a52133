/**
 * The redline comparison of two versions of a document (DESIGN.md, "Revisions"): blocks aligned by
 * id, words diffed inside blocks, every block of both sides in the result exactly once. A deleted
 * block stays where it stood, because revisions must never delete silently (DOMAIN.md).
 */
import type { Block } from './blocks.ts'

export type DiffOp = { op: 'equal' | 'insert' | 'delete'; text: string }

export type BlockChange = 'added' | 'removed' | 'changed' | 'moved' | 'unchanged'

export type BlockDiff = {
  /** The block's id: the `to` side's when the block exists on both sides. */
  blockId: string | null
  change: BlockChange
  fromNumber: string | null
  toNumber: string | null
  /** Null on the side where the block does not exist. */
  fromText: string | null
  toText: string | null
  /** Word operations turning `fromText ?? ''` into `toText ?? ''`. */
  ops: DiffOp[]
  /** The `to` side's block type, else the `from` side's. */
  type: string
}

export type DiffStats = Record<BlockChange, number>

/** Blocks without a common id are paired when the Dice coefficient of their word bigrams reaches this. */
export const SIMILARITY_THRESHOLD = 0.5

// ---------------------------------------------------------------- words

// Runs of letters (with their combining marks) and digits, runs of whitespace, and any other single
// code point (punctuation, symbols; the `u` flag keeps a surrogate pair whole).
const TOKEN = /[\p{L}\p{M}\p{N}]+|\s+|[\s\S]/gu
const WORD = /[\p{L}\p{M}\p{N}]+/gu
const WHITESPACE = /^\s+$/u

const EQUAL = 0
const DELETE = 1
const INSERT = 2
type Kind = typeof EQUAL | typeof DELETE | typeof INSERT
/** Receives token ranges: `a`'s for equal and delete, `b`'s for insert. */
type Sink = (kind: Kind, start: number, end: number) => void
/** Steps of the edit-graph search left to one `diffWords` call. */
type Budget = { steps: number }

/**
 * Bounds the search on pathological input (a block of tens of thousands of words rewritten
 * throughout) to some tens of milliseconds. Past it, what is still unresolved is shown as one
 * deletion and one insertion: less detail, nothing lost. Ordinary paragraphs use a tiny fraction.
 */
export const DIFF_STEP_BUDGET = 5_000_000

/**
 * The word-level operations turning `a` into `b`: a minimal diff over tokens (Myers' O(ND)
 * algorithm with the linear-space middle snake), merged so that each change reads as one deletion
 * followed by one insertion. A run of whitespace between two replacements joins them
 * ("~~the quick~~ a slow", not "~~the~~ a ~~quick~~ slow"). Minimal unless the search exceeds
 * `DIFF_STEP_BUDGET`.
 */
export function diffWords(a: string, b: string): DiffOp[] {
  if (a === b) return a ? [{ op: 'equal', text: a }] : []
  if (!a) return [{ op: 'insert', text: b }]
  if (!b) return [{ op: 'delete', text: a }]
  const aTokens = a.match(TOKEN) ?? []
  const bTokens = b.match(TOKEN) ?? []
  const codes = new Map<string, number>()
  const encode = (tokens: string[]) => {
    const out = new Int32Array(tokens.length)
    for (let i = 0; i < tokens.length; i++) {
      let code = codes.get(tokens[i])
      if (code === undefined) {
        code = codes.size
        codes.set(tokens[i], code)
      }
      out[i] = code
    }
    return out
  }
  const aCodes = encode(aTokens)
  const bCodes = encode(bTokens)

  // Consecutive changes collect into one deletion and one insertion, flushed at the next equality.
  const ops: DiffOp[] = []
  let deleted = ''
  let inserted = ''
  const flush = () => {
    if (deleted) ops.push({ op: 'delete', text: deleted })
    if (inserted) ops.push({ op: 'insert', text: inserted })
    deleted = ''
    inserted = ''
  }
  const join = (tokens: string[], start: number, end: number) => {
    let text = ''
    for (let i = start; i < end; i++) text += tokens[i]
    return text
  }
  const sink: Sink = (kind, start, end) => {
    if (kind === DELETE) deleted += join(aTokens, start, end)
    else if (kind === INSERT) inserted += join(bTokens, start, end)
    else {
      flush()
      const text = join(aTokens, start, end)
      const last = ops[ops.length - 1]
      if (last?.op === 'equal') last.text += text
      else ops.push({ op: 'equal', text })
    }
  }
  diffRange(aCodes, bCodes, 0, aCodes.length, 0, bCodes.length, sink, { steps: DIFF_STEP_BUDGET })
  flush()
  return joinReplacements(ops)
}

/** Diffs `a[aLo, aHi)` against `b[bLo, bHi)`, reporting ranges to `sink` in order. */
function diffRange(
  a: Int32Array,
  b: Int32Array,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  sink: Sink,
  budget: Budget,
): void {
  let prefix = 0
  while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++
  if (prefix) sink(EQUAL, aLo, aLo + prefix)
  aLo += prefix
  bLo += prefix
  let suffix = 0
  while (aLo < aHi - suffix && bLo < bHi - suffix && a[aHi - 1 - suffix] === b[bHi - 1 - suffix]) suffix++
  aHi -= suffix
  bHi -= suffix
  if (aLo === aHi) {
    if (bLo < bHi) sink(INSERT, bLo, bHi)
  } else if (bLo === bHi) {
    sink(DELETE, aLo, aHi)
  } else {
    bisect(a, b, aLo, aHi, bLo, bHi, sink, budget)
  }
  if (suffix) sink(EQUAL, aHi, aHi + suffix)
}

/**
 * Finds the middle snake of the shortest edit script (Myers 1986, section 4b), searching forward
 * from the start and backward from the end at once, then diffs the two halves on either side of
 * it. Both ranges are non-empty and differ in their first and last tokens.
 */
function bisect(
  a: Int32Array,
  b: Int32Array,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  sink: Sink,
  budget: Budget,
): void {
  const n = aHi - aLo
  const m = bHi - bLo
  const maxD = Math.ceil((n + m) / 2)
  const offset = maxD
  const size = 2 * maxD + 2
  // forward[k] is the furthest x reached on diagonal k = x - y; backward[k] likewise from the end.
  const forward = new Int32Array(size).fill(-1)
  const backward = new Int32Array(size).fill(-1)
  forward[offset + 1] = 0
  backward[offset + 1] = 0
  const delta = n - m
  const odd = delta % 2 !== 0
  // Diagonals that ran off the edge of the grid are skipped from then on.
  let kStartF = 0
  let kEndF = 0
  let kStartB = 0
  let kEndB = 0
  for (let d = 0; d < maxD && budget.steps > 0; d++) {
    // A round costs its diagonals (both directions) plus the snakes followed along them.
    budget.steps -= 2 * d + 2
    for (let k = -d + kStartF; k <= d - kEndF; k += 2) {
      const i = offset + k
      let x = k === -d || (k !== d && forward[i - 1] < forward[i + 1]) ? forward[i + 1] : forward[i - 1] + 1
      let y = x - k
      const x0 = x
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++
        y++
      }
      budget.steps -= x - x0
      forward[i] = x
      if (x > n) kEndF += 2
      else if (y > m) kStartF += 2
      else if (odd) {
        const j = offset + delta - k
        if (j >= 0 && j < size && backward[j] !== -1 && x >= n - backward[j]) {
          diffRange(a, b, aLo, aLo + x, bLo, bLo + y, sink, budget)
          diffRange(a, b, aLo + x, aHi, bLo + y, bHi, sink, budget)
          return
        }
      }
    }
    for (let k = -d + kStartB; k <= d - kEndB; k += 2) {
      const i = offset + k
      let x =
        k === -d || (k !== d && backward[i - 1] < backward[i + 1]) ? backward[i + 1] : backward[i - 1] + 1
      let y = x - k
      const x0 = x
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) {
        x++
        y++
      }
      budget.steps -= x - x0
      backward[i] = x
      if (x > n) kEndB += 2
      else if (y > m) kStartB += 2
      else if (!odd) {
        const j = offset + delta - k
        if (j >= 0 && j < size && forward[j] !== -1) {
          const fx = forward[j]
          const fy = offset + fx - j
          if (fx >= n - x) {
            diffRange(a, b, aLo, aLo + fx, bLo, bLo + fy, sink, budget)
            diffRange(a, b, aLo + fx, aHi, bLo + fy, bHi, sink, budget)
            return
          }
        }
      }
    }
  }
  // Nothing in common, or out of budget.
  sink(DELETE, aLo, aHi)
  sink(INSERT, bLo, bHi)
}

/** Joins two replacements separated only by whitespace into one. */
function joinReplacements(ops: DiffOp[]): DiffOp[] {
  const isReplacement = (at: number) => ops[at]?.op === 'delete' && ops[at + 1]?.op === 'insert'
  const out: DiffOp[] = []
  let i = 0
  while (i < ops.length) {
    if (isReplacement(i)) {
      const deletion = { ...ops[i] }
      const insertion = { ...ops[i + 1] }
      i += 2
      while (ops[i]?.op === 'equal' && WHITESPACE.test(ops[i].text) && isReplacement(i + 1)) {
        deletion.text += ops[i].text + ops[i + 1].text
        insertion.text += ops[i].text + ops[i + 2].text
        i += 3
      }
      out.push(deletion, insertion)
    } else {
      out.push(ops[i])
      i++
    }
  }
  return out
}

/** Both sides of a diff: equal and deleted text give `from`, equal and inserted text give `to`. */
export function applyOps(ops: DiffOp[]): { from: string; to: string } {
  let from = ''
  let to = ''
  for (const { op, text } of ops) {
    if (op !== 'insert') from += text
    if (op !== 'delete') to += text
  }
  return { from, to }
}

// ---------------------------------------------------------------- blocks

/**
 * Compares two versions' blocks (as `jsonDocBlocks` or `yDocBlocks` give them). Blocks are paired by
 * id; blocks left over on both sides (new ids after a paste or a retyping, or no id) are paired by
 * word similarity, best pairs first; such a pair is `changed` even when its words are equal, since
 * the block lost its id. A paired block whose position relative to the other
 * id-paired blocks changed is `moved` (those outside a longest increasing subsequence). The result
 * follows the `to` document, each removed block placed right after the nearest block before it
 * that kept its place, or first if there is none.
 */
export function diffBlocks(from: Block[], to: Block[]): BlockDiff[] {
  const fromMatch = new Int32Array(from.length).fill(-1)
  const toMatch = new Int32Array(to.length).fill(-1)
  const byId = new Map<string, number[]>()
  from.forEach((block, i) => {
    if (block.id === null) return
    const list = byId.get(block.id)
    if (list) list.push(i)
    else byId.set(block.id, [i])
  })
  // A duplicated id pairs its k-th occurrences; the rest fall to the similarity pass.
  const used = new Map<string, number>()
  const idPaired: number[] = []
  to.forEach((block, j) => {
    if (block.id === null) return
    const list = byId.get(block.id)
    const k = used.get(block.id) ?? 0
    if (!list || k >= list.length) return
    used.set(block.id, k + 1)
    fromMatch[list[k]] = j
    toMatch[j] = list[k]
    idPaired.push(j)
  })

  const moved = new Uint8Array(to.length)
  const stay = longestIncreasing(idPaired.map((j) => toMatch[j]))
  idPaired.forEach((j, k) => {
    if (!stay[k]) moved[j] = 1
  })

  pairBySimilarity(from, to, fromMatch, toMatch)

  // Removed blocks hang after anchors: paired blocks that are in order on both sides.
  const candidates: number[] = []
  for (let j = 0; j < to.length; j++) if (toMatch[j] >= 0 && !moved[j]) candidates.push(j)
  const inOrder = longestIncreasing(candidates.map((j) => toMatch[j]))
  const anchor = new Uint8Array(from.length)
  candidates.forEach((j, k) => {
    if (inOrder[k]) anchor[toMatch[j]] = 1
  })
  const removedAfter = new Map<number, number[]>()
  let lastAnchor = -1
  for (let i = 0; i < from.length; i++) {
    if (anchor[i]) lastAnchor = i
    else if (fromMatch[i] < 0) {
      const list = removedAfter.get(lastAnchor)
      if (list) list.push(i)
      else removedAfter.set(lastAnchor, [i])
    }
  }

  const out: BlockDiff[] = []
  const pushRemoved = (after: number) => {
    for (const i of removedAfter.get(after) ?? []) out.push(entry(from[i], null, 'removed'))
  }
  pushRemoved(-1)
  for (let j = 0; j < to.length; j++) {
    const i = toMatch[j]
    if (i < 0) {
      out.push(entry(null, to[j], 'added'))
      continue
    }
    const source = from[i]
    const target = to[j]
    const byId = source.id !== null && source.id === target.id
    const change: BlockChange = moved[j]
      ? 'moved'
      : !byId || source.text !== target.text
        ? 'changed'
        : 'unchanged'
    out.push(entry(source, target, change))
    if (anchor[i]) pushRemoved(i)
  }
  return out
}

function entry(source: Block | null, target: Block | null, change: BlockChange): BlockDiff {
  return {
    blockId: target ? target.id : (source?.id ?? null),
    change,
    fromNumber: source?.number ?? null,
    toNumber: target?.number ?? null,
    fromText: source ? source.text : null,
    toText: target ? target.text : null,
    ops: diffWords(source?.text ?? '', target?.text ?? ''),
    type: (target ?? source)?.type ?? 'paragraph',
  }
}

/**
 * Pairs unpaired blocks of both sides whose word-bigram Dice coefficient reaches the threshold,
 * best pairs first, each block at most once. Bigrams include the start and end of the text, so a
 * one-word block has two; blocks without words are never paired this way.
 */
function pairBySimilarity(from: Block[], to: Block[], fromMatch: Int32Array, toMatch: Int32Array): void {
  const removed: number[] = []
  const added: number[] = []
  for (let i = 0; i < from.length; i++) if (fromMatch[i] < 0) removed.push(i)
  for (let j = 0; j < to.length; j++) if (toMatch[j] < 0) added.push(j)
  if (!removed.length || !added.length) return

  const words = new Map<string, number>()
  const bigrams = (text: string): Set<number> => {
    const set = new Set<number>()
    let previous = 0
    for (const word of text.toLowerCase().match(WORD) ?? []) {
      let code = words.get(word)
      if (code === undefined) {
        code = words.size + 1
        words.set(word, code)
      }
      set.add(previous * 2 ** 26 + code)
      previous = code
    }
    if (previous) set.add(previous * 2 ** 26)
    return set
  }
  const addedSets = added.map((j) => bigrams(to[j].text))
  const index = new Map<number, number[]>()
  addedSets.forEach((set, k) => {
    for (const bigram of set) {
      const list = index.get(bigram)
      if (list) list.push(k)
      else index.set(bigram, [k])
    }
  })

  const pairs: { i: number; j: number; score: number }[] = []
  const shared = new Int32Array(added.length)
  const touched: number[] = []
  for (const i of removed) {
    const set = bigrams(from[i].text)
    if (!set.size) continue
    for (const bigram of set) {
      for (const k of index.get(bigram) ?? []) if (shared[k]++ === 0) touched.push(k)
    }
    for (const k of touched) {
      const score = (2 * shared[k]) / (set.size + addedSets[k].size)
      if (score >= SIMILARITY_THRESHOLD) pairs.push({ i, j: added[k], score })
      shared[k] = 0
    }
    touched.length = 0
  }
  // Equal scores prefer the pair that stayed closest to its place, then document order.
  pairs.sort(
    (p, q) => q.score - p.score || Math.abs(p.i - p.j) - Math.abs(q.i - q.j) || p.i - q.i || p.j - q.j,
  )
  for (const { i, j } of pairs) {
    if (fromMatch[i] >= 0 || toMatch[j] >= 0) continue
    fromMatch[i] = j
    toMatch[j] = i
  }
}

/** Marks one longest strictly increasing subsequence of `values` (patience sorting, O(n log n)). */
function longestIncreasing(values: number[]): boolean[] {
  const tails: number[] = [] // tails[l]: index of the smallest end of an increasing run of length l + 1
  const previous = new Int32Array(values.length).fill(-1)
  for (let k = 0; k < values.length; k++) {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (values[tails[mid]] < values[k]) lo = mid + 1
      else hi = mid
    }
    if (lo > 0) previous[k] = tails[lo - 1]
    tails[lo] = k
  }
  const member = new Array<boolean>(values.length).fill(false)
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = previous[k]) member[k] = true
  return member
}

/** How many blocks of each kind of change a comparison holds. */
export function diffStats(diff: BlockDiff[]): DiffStats {
  const stats: DiffStats = { added: 0, removed: 0, changed: 0, moved: 0, unchanged: 0 }
  for (const block of diff) stats[block.change]++
  return stats
}
