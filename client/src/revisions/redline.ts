/**
 * Pure helpers of the redline: which blocks show and which fold into "N unchanged paragraphs",
 * which count as changes for next/previous, and how a block's numbers read on both sides.
 */
import type { DiffStats } from '@plenary/shared/diff'
import type { ComparedBlock } from './revisionsApi.ts'

export type RedlineRow =
  | {
      kind: 'block'
      /** Index in the comparison's blocks. */
      index: number
      block: ComparedBlock
      /** Position among the changes (0-based), or null for an unchanged block shown as context. */
      change: number | null
    }
  | {
      kind: 'unchanged'
      /** Index of the group's first block, a stable key. */
      index: number
      blocks: { index: number; block: ComparedBlock }[]
      /** How many of them changed number only. */
      renumbered: number
    }

export const isChange = (block: ComparedBlock) => block.change !== 'unchanged'

export const isRenumbered = (block: ComparedBlock) =>
  block.fromNumber !== null && block.toNumber !== null && block.fromNumber !== block.toNumber

/**
 * The redline in order: every change as a block; unchanged headings stay as signposts; runs of
 * other unchanged blocks fold into one group (unless everything unchanged is to be shown).
 */
export function redlineRows(blocks: readonly ComparedBlock[], showUnchanged = false): RedlineRow[] {
  const rows: RedlineRow[] = []
  let group: { index: number; block: ComparedBlock }[] = []
  let changes = 0
  const flush = () => {
    if (group.length) {
      const renumbered = group.filter((entry) => isRenumbered(entry.block)).length
      rows.push({ kind: 'unchanged', index: group[0].index, blocks: group, renumbered })
    }
    group = []
  }
  blocks.forEach((block, index) => {
    if (isChange(block)) {
      flush()
      rows.push({ kind: 'block', index, block, change: changes++ })
    } else if (showUnchanged || block.type === 'heading') {
      flush()
      rows.push({ kind: 'block', index, block, change: null })
    } else {
      group.push({ index, block })
    }
  })
  flush()
  return rows
}

/** How many blocks are changes (added, removed, changed or moved). */
export const changeTotal = (stats: DiffStats) => stats.added + stats.removed + stats.changed + stats.moved

/** The number a block is cited by on each side, and whether it changed. */
export function blockNumbers(block: ComparedBlock): {
  from: string | null
  to: string | null
  renumbered: boolean
} {
  return { from: block.fromNumber, to: block.toNumber, renumbered: isRenumbered(block) }
}

/** The number a block is cited by: the new one where it exists, else the old. */
export const citedNumber = (block: ComparedBlock) => block.toNumber ?? block.fromNumber

/** `3f2a…9c1e`: enough of a SHA-256 to compare by eye; the full hash goes in a tooltip. */
export function shortHash(hash: string): string {
  return hash.length > 10 ? `${hash.slice(0, 4)}…${hash.slice(-4)}` : hash
}
