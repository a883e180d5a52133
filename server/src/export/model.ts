/**
 * The export model, built once per export and rendered by each format: the blocks of the exported
 * text in order, each with the number the editor shows, its runs (marks and comment ranges
 * included), and the blocks removed since the compared revision struck through where they stood
 * (revisions never delete silently). Numbers come from the shared numbering, marks from the shared
 * block diff, comment ranges from the shared anchor resolution.
 */
import {
  type BlockChange,
  type BlockDiff,
  diffBlocks,
  type JSONNode,
  jsonBlockText,
  jsonDocBlocks,
  type ThreadDTO,
} from '@plenary/shared'
import type { Attribution, ChangeAuthor } from './attribution.ts'
import { type CommentEntry, commentEntries, type PeopleLookup } from './comments.ts'
import type { Compilation } from './compilation.ts'
import { type BlockRole, headerRoles } from './header.ts'
import { buildRuns, type CommentEvent, type Run, segmentsOf } from './runs.ts'

export type TextBlock = {
  kind: 'text'
  node: 'paragraph' | 'heading'
  id: string | null
  level: number
  /** The paragraph number (the compared text's for a removed block). */
  number: string | null
  role: BlockRole
  /** Null when the export is not marked. */
  change: BlockChange | null
  /** Who added or removed the whole block (for the paragraph mark of tracked changes). */
  author: ChangeAuthor | null
  runs: Run[]
}

export type ListBlock = { kind: 'list'; ordered: boolean; start: number; items: ExportBlock[][] }
export type QuoteBlock = { kind: 'quote'; children: ExportBlock[] }
export type TableCell = { header: boolean; colspan: number; rowspan: number; children: ExportBlock[] }
export type TableBlock = { kind: 'table'; rows: TableCell[][] }
export type ExportBlock = TextBlock | ListBlock | QuoteBlock | TableBlock

export type ExportComment = {
  /** 1-based, in document order (footnote numbers). */
  n: number
  thread: ThreadDTO
  /** Where the comment sits: on words, a whole paragraph, or the title (document and orphaned threads). */
  placement: 'range' | 'paragraph' | 'document' | 'orphaned'
  number: string | null
  entries: CommentEntry[]
}

export type ExportModel = {
  title: string
  /** "Rev.1", or "Live text". */
  versionLabel: string
  /** The exported version's date (ISO). */
  date: string
  symbol: string | null
  marked: { against: string; mode: 'tracked' | 'bold' } | null
  blocks: ExportBlock[]
  comments: ExportComment[]
  compilation: Compilation | null
}

export type ModelInput = {
  title: string
  versionLabel: string
  date: string
  content: JSONNode
  /** The revision symbol, which takes the place of the symbol line of the text. */
  symbol: string | null
  against: { content: JSONNode; label: string; mode: 'tracked' | 'bold'; attribution: Attribution } | null
  /** Threads to show as comments, resolved against `content`. */
  threads: ThreadDTO[]
  people: PeopleLookup
  withNames: boolean
  compilation: Compilation | null
}

const TEXT_NODES = new Set(['paragraph', 'heading'])

/** Every paragraph and heading of a document by id (the compared text's, for deleted words). */
function textNodesById(doc: JSONNode): Map<string, JSONNode> {
  const out = new Map<string, JSONNode>()
  const walk = (node: JSONNode) => {
    for (const child of node.content ?? []) {
      if (TEXT_NODES.has(child.type)) {
        if (typeof child.attrs?.id === 'string') out.set(child.attrs.id, child)
      } else if (child.type !== 'text') walk(child)
    }
  }
  walk(doc)
  return out
}

type Context = {
  kind: 'top' | 'listItem' | 'tableCell' | 'blockquote'
  /** Removed blocks waiting for the end of the current top-level node. */
  topPending: ExportBlock[]
  /** Removed list items waiting for the end of the current item. */
  itemPending: ExportBlock[] | null
  /** Removed table cells waiting for the end of the current row (shown as a struck row after it). */
  rowPending?: ExportBlock[]
}

const containerOf: Record<string, Context['kind']> = {
  listItem: 'listItem',
  tableCell: 'tableCell',
  tableHeader: 'tableCell',
  blockquote: 'blockquote',
}

export function buildExportModel(input: ModelInput): ExportModel {
  const { content, against } = input
  const blocks = jsonDocBlocks(content)
  const { roles, titleIndex, headerEnd } = headerRoles(content, input.title)

  // The diff, split into the entry of each exported textblock and the removed blocks after it.
  const entries: (BlockDiff | null)[] = blocks.map(() => null)
  const removedAfter = new Map<number, BlockDiff[]>()
  const fromNodes = against ? textNodesById(against.content) : new Map<string, JSONNode>()
  if (against) {
    let j = -1
    for (const d of diffBlocks(jsonDocBlocks(against.content), blocks)) {
      if (d.change === 'removed') removedAfter.set(j, [...(removedAfter.get(j) ?? []), d])
      else entries[++j] = d
    }
  }

  // Comment ranges, by textblock index; threads on the document (or whose words are gone) go on the title.
  const indexById = new Map<string, number>()
  blocks.forEach((b, i) => {
    if (b.id && !indexById.has(b.id)) indexById.set(b.id, i)
  })
  const titleBlock = titleIndex >= 0 ? blockIndexOfNode(content, titleIndex) : -1
  const placed = input.threads.map((thread) => {
    const a = thread.anchor
    const at = a.blockId ? indexById.get(a.blockId) : undefined
    if (at !== undefined && a.from !== null && a.to !== null && a.state !== 'orphaned') {
      const placement: ExportComment['placement'] = a.state === 'paragraph' ? 'paragraph' : 'range'
      return { thread, placement, block: at, from: a.from, to: a.to }
    }
    const placement: ExportComment['placement'] = a.state === 'document' ? 'document' : 'orphaned'
    return { thread, placement, block: titleBlock, from: 0, to: -1 }
  })
  placed.sort(
    (p, q) => p.block - q.block || p.from - q.from || (p.thread.createdAt < q.thread.createdAt ? -1 : 1),
  )
  const comments: ExportComment[] = placed.map((p, k) => ({
    n: k + 1,
    thread: p.thread,
    placement: p.placement,
    number: p.block >= 0 ? blocks[p.block].number : null,
    entries: commentEntries(p.thread, input.people, input.withNames),
  }))
  const eventsByBlock = new Map<number, CommentEvent[]>()
  const titleEvents: CommentEvent[] = []
  placed.forEach((p, k) => {
    if (p.block < 0) {
      titleEvents.push({ comment: k, from: 0, to: -1 })
      return
    }
    const length = blocks[p.block].text.length
    const event = {
      comment: k,
      from: Math.min(p.from, length),
      to: p.to < 0 ? length : Math.min(p.to, length),
    }
    eventsByBlock.set(p.block, [...(eventsByBlock.get(p.block) ?? []), event])
  })

  const fallbackAuthor = (d: BlockDiff, kind: 'insert' | 'delete') => {
    const text = (kind === 'insert' ? d.toText : d.fromText) ?? ''
    return kind === 'insert'
      ? (against?.attribution.inserted(d.blockId, 0, text.length) ?? null)
      : (against?.attribution.deleted(d.blockId, 0, text.length) ?? null)
  }

  const removedBlock = (d: BlockDiff): TextBlock => {
    const node = d.blockId ? (fromNodes.get(d.blockId) ?? null) : null
    const author = fallbackAuthor(d, 'delete')
    const segments = segmentsOf(node)
    return {
      kind: 'text',
      node: d.type === 'heading' ? 'heading' : 'paragraph',
      id: d.blockId,
      level: typeof node?.attrs?.level === 'number' ? node.attrs.level : 2,
      number: d.fromNumber,
      role: 'body',
      change: 'removed',
      author,
      runs: buildRuns({
        to: [],
        from: segments.length ? segments : [{ text: d.fromText ?? '', style: {} }],
        ops: d.fromText ? [{ op: 'delete', text: d.fromText }] : [],
        comments: [],
        deleted: () => author as ChangeAuthor,
      }),
    }
  }

  let j = -1
  const textBlock = (node: JSONNode, topIndex: number | null): TextBlock => {
    j += 1
    const d = entries[j]
    const id = typeof node.attrs?.id === 'string' ? node.attrs.id : null
    const fromNode = d && id ? fromNodes.get(id) : undefined
    const from = fromNode && jsonBlockText(fromNode) === d?.fromText ? segmentsOf(fromNode) : null
    const fromId = fromNode ? id : null
    const events = [...(eventsByBlock.get(j) ?? [])]
    const role = topIndex === null ? 'body' : (roles.get(topIndex) ?? 'body')
    if (role === 'title') events.push(...titleEvents.map((e) => ({ ...e, to: blocks[j].text.length })))
    const symbolOverride = role === 'symbol' && input.symbol
    return {
      kind: 'text',
      node: node.type === 'heading' ? 'heading' : 'paragraph',
      id,
      level: typeof node.attrs?.level === 'number' ? node.attrs.level : 1,
      number: blocks[j].number,
      role,
      change: d ? d.change : null,
      author: d && (d.change === 'added' || d.change === 'removed') ? fallbackAuthor(d, 'insert') : null,
      runs: symbolOverride
        ? [{ kind: 'text', text: input.symbol as string, style: {}, change: null, author: null }]
        : buildRuns({
            to: segmentsOf(node),
            from,
            ops: d ? d.ops : null,
            comments: events,
            inserted: against ? (a, b) => against.attribution.inserted(id, a, b) : undefined,
            deleted: against ? (a, b) => against.attribution.deleted(fromId, a, b) : undefined,
          }),
    }
  }

  const convert = (nodes: JSONNode[], ctx: Context, top: boolean): ExportBlock[] => {
    const out: ExportBlock[] = []
    nodes.forEach((node, index) => {
      if (TEXT_NODES.has(node.type)) {
        out.push(textBlock(node, top ? index : null))
        for (const d of removedAfter.get(j) ?? []) {
          const block = removedBlock(d)
          const container = containerOf[d.type]
          if (ctx.kind === 'top') out.push(block)
          else if (container === ctx.kind && ctx.kind === 'listItem' && ctx.itemPending)
            ctx.itemPending.push(block)
          else if (container === ctx.kind && ctx.kind === 'tableCell' && ctx.rowPending)
            ctx.rowPending.push(block)
          else if (container === ctx.kind) out.push(block)
          else ctx.topPending.push(block)
        }
      } else if (node.type === 'bulletList' || node.type === 'orderedList') {
        const items: ExportBlock[][] = []
        for (const item of node.content ?? []) {
          const itemCtx: Context = { kind: 'listItem', topPending: ctx.topPending, itemPending: [] }
          items.push(convert(item.content ?? [], itemCtx, false))
          for (const pending of itemCtx.itemPending ?? []) items.push([pending])
        }
        const start = typeof node.attrs?.start === 'number' ? node.attrs.start : 1
        out.push({ kind: 'list', ordered: node.type === 'orderedList', start, items })
      } else if (node.type === 'blockquote') {
        const quoteCtx: Context = { kind: 'blockquote', topPending: ctx.topPending, itemPending: null }
        out.push({ kind: 'quote', children: convert(node.content ?? [], quoteCtx, false) })
      } else if (node.type === 'table') {
        const rows: TableCell[][] = []
        for (const row of node.content ?? []) {
          const rowPending: ExportBlock[] = []
          const cellCtx: Context = {
            kind: 'tableCell',
            topPending: ctx.topPending,
            itemPending: null,
            rowPending,
          }
          rows.push(
            (row.content ?? []).map((cell) => ({
              header: cell.type === 'tableHeader',
              colspan: typeof cell.attrs?.colspan === 'number' ? cell.attrs.colspan : 1,
              rowspan: typeof cell.attrs?.rowspan === 'number' ? cell.attrs.rowspan : 1,
              children: convert(cell.content ?? [], cellCtx, false),
            })),
          )
          if (rowPending.length > 0) {
            rows.push(
              rowPending.map((block) => ({ header: false, colspan: 1, rowspan: 1, children: [block] })),
            )
          }
        }
        out.push({ kind: 'table', rows })
      }
      if (top) out.push(...ctx.topPending.splice(0))
      if (top && index === headerEnd - 1 && titleIndex < 0) out.push(syntheticTitle(input.title, titleEvents))
    })
    return out
  }

  const topCtx: Context = { kind: 'top', topPending: [], itemPending: null }
  const body = [
    ...(headerEnd === 0 && titleIndex < 0 ? [syntheticTitle(input.title, titleEvents)] : []),
    ...(removedAfter.get(-1) ?? []).map(removedBlock),
    ...convert(content.content ?? [], topCtx, true),
  ]
  const hasSymbolLine = [...roles.values()].includes('symbol')
  if (input.symbol && !hasSymbolLine) body.unshift(syntheticLine(input.symbol, 'symbol'))

  return {
    title: input.title,
    versionLabel: input.versionLabel,
    date: input.date,
    symbol: input.symbol ?? symbolFromRoles(content, roles),
    marked: against ? { against: against.label, mode: against.mode } : null,
    blocks: body,
    comments,
    compilation: input.compilation,
  }
}

/** The textblock index of the paragraph at a top-level position. */
function blockIndexOfNode(content: JSONNode, topIndex: number): number {
  let count = 0
  const nodes = content.content ?? []
  const countIn = (node: JSONNode): number =>
    TEXT_NODES.has(node.type) ? 1 : (node.content ?? []).reduce((n, c) => n + countIn(c), 0)
  for (let i = 0; i < topIndex; i++) count += countIn(nodes[i])
  return count
}

function symbolFromRoles(content: JSONNode, roles: Map<number, BlockRole>): string | null {
  for (const [index, role] of roles) {
    if (role === 'symbol') return jsonBlockText((content.content ?? [])[index]).trim()
  }
  return null
}

function syntheticLine(text: string, role: BlockRole, comments: CommentEvent[] = []): TextBlock {
  return {
    kind: 'text',
    node: 'paragraph',
    id: null,
    level: 1,
    number: null,
    role,
    change: null,
    author: null,
    runs: buildRuns({
      to: [{ text, style: {} }],
      from: null,
      ops: null,
      comments,
    }),
  }
}

function syntheticTitle(title: string, events: CommentEvent[]): TextBlock {
  return syntheticLine(
    title,
    'title',
    events.map((e) => ({ ...e, to: title.length })),
  )
}
