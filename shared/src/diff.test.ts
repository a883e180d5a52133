import { describe, expect, it } from 'vitest'
import type { Block, BlockType } from './blocks.ts'
import { applyOps, type BlockDiff, type DiffOp, diffBlocks, diffStats, diffWords } from './diff.ts'
import { seededRandom } from './seededRandom.ts'

// fast-check is a devDependency of the server only and does not resolve from shared/, so the
// property tests below draw their cases from a small seeded generator instead (reproducible runs).

const block = (
  id: string | null,
  text: string,
  number: string | null = null,
  type: BlockType = 'paragraph',
) => ({
  id,
  type,
  number,
  text,
})
const numbered = (...entries: [string | null, string][]): Block[] =>
  entries.map(([id, text], i) => block(id, text, String(i + 1)))
const summary = (diff: BlockDiff[]) => diff.map((d) => `${d.blockId ?? d.fromNumber}:${d.change}`)

const first = 'The Conference of States Parties decides to establish a working group on transparency.'
const second = 'States Parties are encouraged to share information on national control systems.'
const third = 'The secretariat will circulate a compilation of the comments received by 15 March.'
const fourth = 'Delegations may submit written proposals in any of the official languages.'
const fifth = 'The sub-working group will report to the next Conference on the progress of its work.'

describe('diffWords', () => {
  it('gives one equal op for identical text and none for two empty strings', () => {
    expect(diffWords(first, first)).toEqual([{ op: 'equal', text: first }])
    expect(diffWords('', '')).toEqual([])
  })

  it('inserts and deletes whole texts against an empty side', () => {
    expect(diffWords('', 'New text.')).toEqual([{ op: 'insert', text: 'New text.' }])
    expect(diffWords('Old text.', '')).toEqual([{ op: 'delete', text: 'Old text.' }])
  })

  it('inserts a word with its space', () => {
    expect(diffWords('States Parties shall report', 'States Parties shall annually report')).toEqual([
      { op: 'equal', text: 'States Parties shall ' },
      { op: 'insert', text: 'annually ' },
      { op: 'equal', text: 'report' },
    ])
  })

  it('deletes a word with its space', () => {
    expect(diffWords('all relevant national authorities', 'all national authorities')).toEqual([
      { op: 'equal', text: 'all ' },
      { op: 'delete', text: 'relevant ' },
      { op: 'equal', text: 'national authorities' },
    ])
  })

  it('replaces a word as a deletion followed by an insertion', () => {
    expect(diffWords('States Parties shall report', 'States Parties may report')).toEqual([
      { op: 'equal', text: 'States Parties ' },
      { op: 'delete', text: 'shall' },
      { op: 'insert', text: 'may' },
      { op: 'equal', text: ' report' },
    ])
  })

  it('joins neighbouring replacements separated only by a space', () => {
    expect(diffWords('shall endeavour to report', 'may consider reporting')).toEqual([
      { op: 'delete', text: 'shall endeavour to report' },
      { op: 'insert', text: 'may consider reporting' },
    ])
  })

  it('treats a punctuation mark as a token of its own', () => {
    expect(diffWords('export, transit and import', 'export; transit and import.')).toEqual([
      { op: 'equal', text: 'export' },
      { op: 'delete', text: ',' },
      { op: 'insert', text: ';' },
      { op: 'equal', text: ' transit and import' },
      { op: 'insert', text: '.' },
    ])
  })

  it('sees a change of whitespace and of hard breaks', () => {
    expect(diffWords('one two', 'one  two')).toEqual([
      { op: 'equal', text: 'one' },
      { op: 'delete', text: ' ' },
      { op: 'insert', text: '  ' },
      { op: 'equal', text: 'two' },
    ])
    expect(diffWords('line one line two', 'line one\nline two')).toEqual([
      { op: 'equal', text: 'line one' },
      { op: 'delete', text: ' ' },
      { op: 'insert', text: '\n' },
      { op: 'equal', text: 'line two' },
    ])
  })

  it('keeps letters with accents and digits together and emoji whole', () => {
    expect(diffWords('Côte d’Ivoire 2021 👍', 'Côte d’Ivoire 2022 👍')).toEqual([
      { op: 'equal', text: 'Côte d’Ivoire ' },
      { op: 'delete', text: '2021' },
      { op: 'insert', text: '2022' },
      { op: 'equal', text: ' 👍' },
    ])
  })

  it('gives a huge block rewritten throughout back whole, past the search budget', () => {
    const words = Array.from({ length: 12_000 }, (_, i) => `w${i % 997}`)
    const a = words.join(' ')
    const b = [...words].reverse().join(', ')
    expect(applyOps(diffWords(a, b))).toEqual({ from: a, to: b })
  })

  it('deletes and inserts everything when nothing is shared', () => {
    expect(diffWords('alpha', 'beta')).toEqual([
      { op: 'delete', text: 'alpha' },
      { op: 'insert', text: 'beta' },
    ])
  })
})

describe('applyOps', () => {
  it('gives both sides back', () => {
    const ops: DiffOp[] = [
      { op: 'equal', text: 'a ' },
      { op: 'delete', text: 'b' },
      { op: 'insert', text: 'c' },
      { op: 'equal', text: ' d' },
    ]
    expect(applyOps(ops)).toEqual({ from: 'a b d', to: 'a c d' })
    expect(applyOps([])).toEqual({ from: '', to: '' })
  })
})

describe('diffBlocks', () => {
  const base = numbered(['p1', first], ['p2', second], ['p3', third], ['p4', fourth], ['p5', fifth])

  it('finds a text compared with itself all unchanged', () => {
    const diff = diffBlocks(base, base)
    expect(diff.map((d) => d.change)).toEqual(Array(5).fill('unchanged'))
    expect(diff[0]).toEqual({
      blockId: 'p1',
      change: 'unchanged',
      fromNumber: '1',
      toNumber: '1',
      fromText: first,
      toText: first,
      ops: [{ op: 'equal', text: first }],
      type: 'paragraph',
    })
    expect(diffStats(diff)).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, unchanged: 5 })
  })

  it('gives an unchanged empty block no ops', () => {
    expect(diffBlocks([block('e', '')], [block('e', '')])[0]).toMatchObject({ change: 'unchanged', ops: [] })
  })

  it('marks a block whose words changed', () => {
    const to = numbered(['p1', first], ['p2', second.replace('encouraged', 'invited')], ['p3', third])
    const diff = diffBlocks(base.slice(0, 3), to)
    expect(summary(diff)).toEqual(['p1:unchanged', 'p2:changed', 'p3:unchanged'])
    expect(diff[1].ops).toEqual([
      { op: 'equal', text: 'States Parties are ' },
      { op: 'delete', text: 'encouraged' },
      { op: 'insert', text: 'invited' },
      { op: 'equal', text: ' to share information on national control systems.' },
    ])
  })

  it('places an added paragraph where it is, with one insert op', () => {
    const to = numbered(['p1', first], ['p2', second], ['new', 'An added paragraph.'], ['p3', third])
    const diff = diffBlocks(base.slice(0, 3), to)
    expect(summary(diff)).toEqual(['p1:unchanged', 'p2:unchanged', 'new:added', 'p3:unchanged'])
    expect(diff[2]).toMatchObject({
      fromNumber: null,
      toNumber: '3',
      fromText: null,
      toText: 'An added paragraph.',
      ops: [{ op: 'insert', text: 'An added paragraph.' }],
    })
  })

  it('keeps a removed paragraph where it was, with one delete op', () => {
    const to = numbered(['p1', first], ['p2', second], ['p4', fourth], ['p5', fifth])
    const diff = diffBlocks(base, to)
    expect(summary(diff)).toEqual([
      'p1:unchanged',
      'p2:unchanged',
      'p3:removed',
      'p4:unchanged',
      'p5:unchanged',
    ])
    expect(diff[2]).toMatchObject({
      fromNumber: '3',
      toNumber: null,
      fromText: third,
      toText: null,
      ops: [{ op: 'delete', text: third }],
    })
    expect(diff[3]).toMatchObject({ fromNumber: '4', toNumber: '3', change: 'unchanged' })
  })

  it('keeps deletions of the first and the last block at the start and the end', () => {
    const to = numbered(['p2', second], ['p3', third], ['p4', fourth])
    expect(summary(diffBlocks(base, to))).toEqual([
      'p1:removed',
      'p2:unchanged',
      'p3:unchanged',
      'p4:unchanged',
      'p5:removed',
    ])
  })

  it('shows a deletion before an addition in the same place', () => {
    const to = numbered(['p1', first], ['new', 'Entirely different wording here.'], ['p3', third])
    expect(summary(diffBlocks(base.slice(0, 3), to))).toEqual([
      'p1:unchanged',
      'p2:removed',
      'new:added',
      'p3:unchanged',
    ])
  })

  it('splits a paragraph: the original id keeps the first half, the second half is added', () => {
    const from = numbered(['p1', `${first} ${second}`], ['p3', third])
    const to = numbered(['p1', first], ['p2', second], ['p3', third])
    const diff = diffBlocks(from, to)
    expect(summary(diff)).toEqual(['p1:changed', 'p2:added', 'p3:unchanged'])
    expect(diff[0].ops).toEqual([
      { op: 'equal', text: first },
      { op: 'delete', text: ` ${second}` },
    ])
  })

  it('merges two paragraphs: the survivor changed, the other removed after it', () => {
    const to = numbered(['p1', `${first} ${second}`], ['p3', third])
    const diff = diffBlocks(base.slice(0, 3), to)
    expect(summary(diff)).toEqual(['p1:changed', 'p2:removed', 'p3:unchanged'])
    expect(diff[0].ops).toEqual([
      { op: 'equal', text: first },
      { op: 'insert', text: ` ${second}` },
    ])
  })

  it('marks exactly the moved block as moved', () => {
    const to = numbered(['p1', first], ['p3', third], ['p4', fourth], ['p5', fifth], ['p2', second])
    const diff = diffBlocks(base, to)
    expect(summary(diff)).toEqual([
      'p1:unchanged',
      'p3:unchanged',
      'p4:unchanged',
      'p5:unchanged',
      'p2:moved',
    ])
    expect(diff[4]).toMatchObject({ fromNumber: '2', toNumber: '5', ops: [{ op: 'equal', text: second }] })
  })

  it('keeps the word ops of a block that moved and changed', () => {
    const to = numbered(['p2', `${second} Also more.`], ['p1', first], ['p3', third], ['p4', fourth])
    const diff = diffBlocks(base.slice(0, 4), to)
    expect(summary(diff)).toEqual(['p2:moved', 'p1:unchanged', 'p3:unchanged', 'p4:unchanged'])
    expect(diff[0].ops).toEqual([
      { op: 'equal', text: second },
      { op: 'insert', text: ' Also more.' },
    ])
  })

  it('calls renumbering alone unchanged, giving both numbers', () => {
    const from = [block('h', 'Part I', null, 'heading'), block('a', first, '1'), block('b', second, '2')]
    const to = [block('h', 'Part I', null, 'heading'), block('a', first, 'A1'), block('b', second, 'A2')]
    const diff = diffBlocks(from, to)
    expect(diff.map((d) => [d.change, d.fromNumber, d.toNumber])).toEqual([
      ['unchanged', null, null],
      ['unchanged', '1', 'A1'],
      ['unchanged', '2', 'A2'],
    ])
    expect(diff[0].type).toBe('heading')
  })

  it('pairs a pasted paragraph that got a new id by its words', () => {
    const pasted = second.replace('national control systems', 'their national control systems')
    const to = numbered(['p1', first], ['p3', third], ['pasted', pasted])
    const diff = diffBlocks(base.slice(0, 3), to)
    expect(summary(diff)).toEqual(['p1:unchanged', 'p3:unchanged', 'pasted:changed'])
    expect(diff[2]).toMatchObject({ fromNumber: '2', toNumber: '3', fromText: second, toText: pasted })
    expect(diff[2].ops).toContainEqual({ op: 'insert', text: 'their ' })
  })

  it('pairs retyped blocks without ids by similarity, and leaves dissimilar ones apart', () => {
    const from = [block(null, first), block(null, second)]
    const to = [block(null, second.replace('share', 'exchange')), block(null, 'Something else entirely.')]
    const diff = diffBlocks(from, to)
    expect(diff.map((d) => [d.change, d.fromText, d.toText])).toEqual([
      ['removed', first, null],
      ['changed', second, to[0].text],
      ['added', null, 'Something else entirely.'],
    ])
  })

  it('pairs the most similar blocks first, each at most once', () => {
    const from = [
      block('old1', 'alpha beta gamma delta epsilon'),
      block('old2', 'alpha beta gamma delta zeta'),
    ]
    const to = [block('new1', 'alpha beta gamma delta zeta eta')]
    const diff = diffBlocks(from, to)
    expect(diff.map((d) => [d.change, d.fromText])).toEqual([
      ['removed', 'alpha beta gamma delta epsilon'],
      ['changed', 'alpha beta gamma delta zeta'],
    ])
  })

  it('replaces the whole text: every old block removed, every new block added', () => {
    const to = numbered(['n1', 'Une toute autre rédaction.'], ['n2', 'Rien de commun avec la précédente.'])
    const diff = diffBlocks(base, to)
    expect(summary(diff)).toEqual([
      'p1:removed',
      'p2:removed',
      'p3:removed',
      'p4:removed',
      'p5:removed',
      'n1:added',
      'n2:added',
    ])
    expect(diffStats(diff)).toEqual({ added: 2, removed: 5, changed: 0, moved: 0, unchanged: 0 })
  })

  it('handles empty documents', () => {
    expect(diffBlocks([], [])).toEqual([])
    expect(summary(diffBlocks([], base.slice(0, 2)))).toEqual(['p1:added', 'p2:added'])
    expect(summary(diffBlocks(base.slice(0, 2), []))).toEqual(['p1:removed', 'p2:removed'])
  })
})

// ---------------------------------------------------------------- properties

const rng = seededRandom

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]
const WORDS = [
  'the',
  'States',
  'Parties',
  'shall',
  'may',
  'export',
  'transit',
  'Article',
  '7(1)',
  'é',
  '👍',
  'and',
]
const SEPARATORS = [' ', ' ', ' ', ' ', ', ', '. ', '\n', '  ', ' – ', '']

function randomText(random: () => number, maxWords = 12): string {
  const length = Math.floor(random() * maxWords)
  let text = ''
  for (let i = 0; i < length; i++)
    text += pick(random, WORDS) + (i < length - 1 ? pick(random, SEPARATORS) : '')
  return text
}

function editText(random: () => number, text: string): string {
  const words = text.split(' ')
  const edits = 1 + Math.floor(random() * 3)
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (words.length + 1))
    const kind = random()
    if (kind < 0.35) words.splice(at, 0, pick(random, WORDS))
    else if (kind < 0.7) words.splice(at, 1)
    else words.splice(at, 1, pick(random, WORDS))
  }
  return words.join(pick(random, [' ', ' ', ' ', ', ']))
}

let fresh = 0
function randomDocument(random: () => number): Block[] {
  const length = Math.floor(random() * 14)
  return Array.from({ length }, () => ({
    id: random() < 0.1 ? null : random() < 0.05 ? 'dup' : `b${fresh++}`,
    type: pick(random, ['paragraph', 'paragraph', 'heading', 'listItem'] as const),
    number: null,
    text: randomText(random),
  }))
}

/** A later version: edited, split, merged, moved, removed, added, retyped blocks. */
function revise(random: () => number, from: Block[]): Block[] {
  const to = from.map((b) => ({ ...b }))
  const steps = Math.floor(random() * 6)
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(random() * to.length)
    const kind = Math.floor(random() * 8)
    if (kind === 0 || !to.length) {
      const type = pick(random, ['paragraph', 'heading'] as const)
      to.splice(at, 0, { id: `b${fresh++}`, type, number: null, text: randomText(random) })
    } else if (kind === 1) to.splice(at, 1)
    else if (kind === 2) to[at] = { ...to[at], text: editText(random, to[at].text) }
    else if (kind === 3) {
      const [moved] = to.splice(at, 1)
      to.splice(Math.floor(random() * (to.length + 1)), 0, moved)
    } else if (kind === 4) {
      const words = to[at].text.split(' ')
      const cut = Math.floor(random() * words.length)
      to.splice(
        at,
        1,
        { ...to[at], text: words.slice(0, cut).join(' ') },
        {
          ...to[at],
          id: `b${fresh++}`,
          text: words.slice(cut).join(' '),
        },
      )
    } else if (kind === 5 && at + 1 < to.length) {
      to.splice(at, 2, { ...to[at], text: `${to[at].text} ${to[at + 1].text}` })
    } else if (kind === 6) to[at] = { ...to[at], id: random() < 0.5 ? null : `b${fresh++}` }
    else to[at] = { ...to[at], text: editText(random, to[at].text) }
  }
  return to
}

/** Numbers every block uniquely per side, so that each output entry names its input blocks. */
const label = (blocks: Block[], side: string): Block[] =>
  blocks.map((b, i) => ({ ...b, number: `${side}${i}` }))

describe('diffWords (property, 2000 seeded cases)', () => {
  it('gives both texts back, with merged ops and deletions before insertions', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const random = rng(seed)
      const a = randomText(random, 30)
      const b = random() < 0.5 ? editText(random, a) : randomText(random, 30)
      const ops = diffWords(a, b)
      expect(applyOps(ops), `seed ${seed}`).toEqual({ from: a, to: b })
      ops.forEach((op, i) => {
        expect(op.text, `seed ${seed}`).not.toBe('')
        if (i > 0) {
          expect(op.op, `seed ${seed}`).not.toBe(ops[i - 1].op)
          expect(`${ops[i - 1].op}>${op.op}`, `seed ${seed}`).not.toBe('insert>delete')
        }
      })
    }
  })
})

describe('diffBlocks (property, 1000 seeded revisions)', () => {
  const cases = Array.from({ length: 1000 }, (_, seed) => {
    const random = rng(seed + 1)
    const base = randomDocument(random)
    const from = label(base, 'f')
    const to = label(random() < 0.1 ? randomDocument(random) : revise(random, base), 't')
    return { seed, from, to, diff: diffBlocks(from, to) }
  })

  it('turns each block’s fromText into its toText with its ops', () => {
    for (const { seed, diff } of cases) {
      for (const d of diff)
        expect(applyOps(d.ops), `seed ${seed}`).toEqual({ from: d.fromText ?? '', to: d.toText ?? '' })
    }
  })

  it('gives every block of both sides exactly once, with its own id, number and text', () => {
    const sorted = (values: (string | null)[]) => values.map(String).sort()
    for (const { seed, from, to, diff } of cases) {
      const fromEntries = diff.filter((d) => d.fromNumber !== null)
      const toEntries = diff.filter((d) => d.toNumber !== null)
      const fromBlocks = fromEntries.map((d) => from[Number(d.fromNumber!.slice(1))])
      expect(sorted(fromBlocks.map((b) => b.id)), `seed ${seed}`).toEqual(sorted(from.map((b) => b.id)))
      expect(sorted(fromEntries.map((d) => d.fromNumber)), `seed ${seed}`).toEqual(
        sorted(from.map((b) => b.number)),
      )
      fromEntries.forEach((d, k) => {
        expect(d.fromText, `seed ${seed}`).toBe(fromBlocks[k].text)
      })
      expect(sorted(toEntries.map((d) => d.blockId)), `seed ${seed}`).toEqual(sorted(to.map((b) => b.id)))
      expect(diff.length, `seed ${seed}`).toBe(
        from.length + to.length - diff.filter((d) => d.fromText !== null && d.toText !== null).length,
      )
    }
  })

  it('follows the to document’s order, and keeps removed blocks in the from document’s order', () => {
    for (const { seed, to, diff } of cases) {
      const toSide = diff.filter((d) => d.toNumber !== null)
      expect(
        toSide.map((d) => [d.blockId, d.toNumber, d.toText, d.type]),
        `seed ${seed}`,
      ).toEqual(to.map((b) => [b.id, b.number, b.text, b.type]))
      const removed = diff.filter((d) => d.change === 'removed').map((d) => Number(d.fromNumber!.slice(1)))
      expect(removed, `seed ${seed}`).toEqual([...removed].sort((x, y) => x - y))
    }
  })

  it('pairs blocks by id whenever the id is on both sides once', () => {
    for (const { seed, from, to, diff } of cases) {
      for (const d of diff) {
        if (d.fromNumber === null || d.toNumber === null) continue
        const source = from[Number(d.fromNumber.slice(1))]
        const target = to[Number(d.toNumber.slice(1))]
        if (source.id !== null && source.id !== 'dup' && to.some((b) => b.id === source.id))
          expect(target.id, `seed ${seed}`).toBe(source.id)
        if (d.change === 'unchanged') expect(d.fromText, `seed ${seed}`).toBe(d.toText)
      }
      for (const d of diff.filter((x) => x.change === 'removed' || x.change === 'added')) {
        const id = d.blockId
        if (id === null || id === 'dup') continue
        expect(from.some((b) => b.id === id) && to.some((b) => b.id === id), `seed ${seed}`).toBe(false)
      }
    }
  })

  it('counts every entry once in the stats', () => {
    for (const { seed, diff } of cases) {
      const stats = diffStats(diff)
      expect(
        Object.values(stats).reduce((n, v) => n + v, 0),
        `seed ${seed}`,
      ).toBe(diff.length)
    }
  })
})
