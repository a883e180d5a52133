/**
 * Redline benchmark: `diffBlocks` between the demo draft and a revision of it with about 100
 * paragraphs edited (words inserted, deleted, replaced), 5 moved, 5 deleted and 5 added.
 * Median and p95 of 50 timed runs after warm-up. Result: bench/results/diff.md.
 *
 *   node --import tsx bench/diff.ts
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Block, diffBlocks, diffStats, jsonDocBlocks } from '@plenary/shared'
import { seededRandom } from '@plenary/shared/seededRandom'
import { demoWorkplan } from '../src/demo/workplan.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const WARMUP = 20
const RUNS = 50
const EDITED = 100
const MOVED = 5
const DELETED = 5
const ADDED = 5

const rng = seededRandom

const random = rng(2021)
const below = (n: number) => Math.floor(random() * n)
const VOCABULARY = [
  'effective',
  'national',
  'voluntary',
  'relevant',
  'further',
  'all',
  'States Parties',
  'shall',
]

function shuffled<T>(items: T[]): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = below(i + 1)
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

/** One to three word edits (an insertion, a deletion or a replacement each) that change the text. */
function edit(text: string): string {
  const words = text.split(' ')
  const edits = 1 + below(3)
  for (let e = 0; e < edits; e++) {
    const at = below(words.length)
    const kind = below(3)
    const word = VOCABULARY[below(VOCABULARY.length)]
    if (kind === 0) words.splice(at, 0, word)
    else if (kind === 1 && words.length > 1) words.splice(at, 1)
    else words.splice(at, 1, word)
  }
  const edited = words.join(' ')
  return edited === text ? edit(text) : edited
}

const from = jsonDocBlocks(demoWorkplan)
const wordy = from.flatMap((block, i) => (block.text.split(' ').length >= 6 ? [i] : []))
const picked = shuffled(wordy)
const editedAt = new Set(picked.slice(0, EDITED))
const deletedIds = new Set(picked.slice(EDITED, EDITED + DELETED).map((i) => from[i].id))
const movedIds = new Set(picked.slice(EDITED + DELETED, EDITED + DELETED + MOVED).map((i) => from[i].id))

let to: Block[] = from.map((block, i) =>
  editedAt.has(i) ? { ...block, text: edit(block.text) } : { ...block },
)
const moved = to.filter((block) => movedIds.has(block.id))
to = to.filter((block) => !deletedIds.has(block.id) && !movedIds.has(block.id))
for (const block of moved) to.splice(below(to.length + 1), 0, block)
for (let k = 0; k < ADDED; k++) {
  to.splice(below(to.length + 1), 0, {
    id: `bench-added-${k}`,
    type: 'paragraph',
    number: null,
    text: `The Chair will circulate a further background paper (${k + 1}) on the items discussed, for consideration at the next meeting of the sub-working group.`,
  })
}

for (let i = 0; i < WARMUP; i++) diffBlocks(from, to)
const times: number[] = []
let result = diffBlocks(from, to)
for (let i = 0; i < RUNS; i++) {
  const start = performance.now()
  result = diffBlocks(from, to)
  times.push(performance.now() - start)
}
times.sort((a, b) => a - b)
const percentile = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]

const characters = from.reduce((n, block) => n + block.text.length, 0)
const stats = diffStats(result)
console.log(
  `${from.length} → ${to.length} blocks, ${characters} characters; ` +
    `changed ${stats.changed}, moved ${stats.moved}, removed ${stats.removed}, added ${stats.added}, unchanged ${stats.unchanged}`,
)
const line = `| diff of the twenty-page demo, ${EDITED} paragraphs changed | median ${percentile(50).toFixed(2)} ms, p95 ${percentile(95).toFixed(2)} ms |`
console.log(line)
fs.mkdirSync(path.join(here, 'results'), { recursive: true })
fs.writeFileSync(path.join(here, 'results', 'diff.md'), `| figure | value |\n|---|---|\n${line}\n`)
