/**
 * The compilation of comments received (DOMAIN.md): one row per thread, reproduced as received and
 * without prejudice, grouped by paragraph in document order (or by organisation), States first and
 * the input of civil society, industry and international organisations kept apart. The same rows
 * feed the DOCX table, the CSV file and the HTML and Markdown tables.
 */
import {
  type Block,
  isState,
  kindLabels,
  type OrganisationKind,
  organisationKindLabels,
  outcomeLabels,
  statusLabels,
  type ThreadDTO,
} from '@plenary/shared'
import type { PeopleLookup } from './comments.ts'
import { authorLabel, isoDay, shortText } from './format.ts'

export const COMPILATION_TITLE = 'Compilation of comments received'
export const COMPILATION_NOTE =
  'Reproduced as received, without prejudice to the positions of delegations. The compilation does not ' +
  'reflect any agreement on the text.'

export type CompilationRow = {
  threadId: string
  /** "C13", "C5 (list item)", "General" or "Not in the text". */
  paragraph: string
  paragraphText: string
  organisation: string
  organisationKind: string
  /** Null when names are left out. */
  person: string | null
  kind: string
  status: string
  comment: string
  proposal: string
  replies: string[]
  disposition: string
  response: string
  received: string
  acknowledged: string
}

export type CompilationSection = { label: string; rows: CompilationRow[] }
export type CompilationGroup = { label: string; sections: CompilationSection[] }

export type Compilation = {
  title: string
  documentTitle: string
  versionLabel: string
  date: string
  note: string
  by: 'paragraph' | 'organisation'
  attribution: boolean
  groups: CompilationGroup[]
  count: number
}

export type CompilationInput = {
  documentTitle: string
  versionLabel: string
  date: string
  /** The blocks of the text the threads were resolved against, in document order. */
  blocks: Block[]
  /** Visible threads, resolved against those blocks; withdrawn ones are left out here. */
  threads: ThreadDTO[]
  people: PeopleLookup
  withNames: boolean
  by: 'paragraph' | 'organisation'
  /** When each thread's communication was received, by thread id. */
  received: Map<string, string>
}

const GROUPS: { label: string; test: (kind: OrganisationKind) => boolean }[] = [
  { label: 'States', test: isState },
  {
    label: 'Civil society, industry and international organisations',
    test: (k) => k === 'civil_society' || k === 'industry' || k === 'igo',
  },
  { label: 'Secretariat', test: (k) => k === 'secretariat' },
]

const typeLabels: Record<string, string> = {
  listItem: 'list item',
  tableCell: 'table',
  tableHeader: 'table',
  blockquote: 'quotation',
  heading: 'heading',
  paragraph: 'unnumbered paragraph',
}

export function buildCompilation(input: CompilationInput): Compilation {
  const { blocks, withNames } = input
  // Each block's place and label: its number, or the number it follows and what it is.
  const place = new Map<string, { order: number; label: string; text: string }>()
  let lastNumber: string | null = null
  blocks.forEach((block, order) => {
    if (block.number) lastNumber = block.number
    if (!block.id || place.has(block.id)) return
    const label =
      block.number ??
      (lastNumber
        ? `${lastNumber} (${typeLabels[block.type]})`
        : shortText(block.text, 40) || typeLabels[block.type])
    place.set(block.id, { order, label, text: shortText(block.text) })
  })

  const rows = input.threads
    .filter((t) => t.status !== 'withdrawn')
    .map((thread) => {
      const where = thread.anchor.blockId ? place.get(thread.anchor.blockId) : undefined
      const located = where && thread.anchor.state !== 'orphaned'
      const order = located ? where.order : thread.anchor.state === 'document' ? -1 : Number.MAX_SAFE_INTEGER
      const [first, ...replies] = thread.messages
      const p = thread.proposal
      const decider = thread.disposition ? input.people(thread.disposition.decidedBy) : null
      const row: CompilationRow = {
        threadId: thread.id,
        paragraph: located ? where.label : thread.anchor.state === 'document' ? 'General' : 'Not in the text',
        paragraphText: located ? where.text : shortText(thread.anchor.originalQuote),
        organisation: thread.author.organisation,
        organisationKind: organisationKindLabels[thread.author.organisationKind],
        person: withNames ? thread.author.name : null,
        kind: kindLabels[thread.kind],
        status: statusLabels[thread.status],
        comment: first && !first.withdrawn ? first.body : '(withdrawn)',
        proposal: p
          ? p.action === 'delete'
            ? 'Delete the words commented on'
            : `${p.action === 'insert' ? 'Insert' : 'Replace with'}: “${p.text}”`
          : '',
        replies: replies
          .filter((m) => !m.withdrawn)
          .map((m) => `${authorLabel(m.author, withNames)}, ${isoDay(m.createdAt)}: ${m.body}`),
        disposition: thread.disposition ? outcomeLabels[thread.disposition.outcome] : '',
        response: thread.disposition
          ? [thread.disposition.response, decider ? `(${authorLabel(decider, withNames)})` : '']
              .filter(Boolean)
              .join(' ')
          : '',
        received: isoDay(input.received.get(thread.id) ?? thread.createdAt),
        acknowledged: isoDay(thread.acknowledgedAt),
      }
      return { row, order, thread }
    })

  const groups: CompilationGroup[] = []
  for (const group of GROUPS) {
    const members = rows.filter((r) => group.test(r.thread.author.organisationKind))
    if (members.length === 0) continue
    members.sort(
      input.by === 'organisation'
        ? (a, b) =>
            a.row.organisation.localeCompare(b.row.organisation, 'en') ||
            a.order - b.order ||
            a.thread.createdAt.localeCompare(b.thread.createdAt)
        : (a, b) => a.order - b.order || a.thread.createdAt.localeCompare(b.thread.createdAt),
    )
    const sections: CompilationSection[] = []
    for (const member of members) {
      const label =
        input.by === 'organisation'
          ? member.row.organisation
          : member.row.paragraph === 'General'
            ? 'General comments'
            : member.row.paragraph === 'Not in the text'
              ? 'Comments on words no longer in the text'
              : `Paragraph ${member.row.paragraph}`
      const last = sections.at(-1)
      if (last?.label === label) last.rows.push(member.row)
      else sections.push({ label, rows: [member.row] })
    }
    groups.push({ label: group.label, sections })
  }
  return {
    title: COMPILATION_TITLE,
    documentTitle: input.documentTitle,
    versionLabel: input.versionLabel,
    date: input.date,
    note: COMPILATION_NOTE,
    by: input.by,
    attribution: withNames,
    groups,
    count: rows.length,
  }
}

/** The rows in order, each with its group (for flat tables: CSV). */
export function compilationRows(compilation: Compilation): { group: string; row: CompilationRow }[] {
  return compilation.groups.flatMap((g) =>
    g.sections.flatMap((s) => s.rows.map((row) => ({ group: g.label, row }))),
  )
}
