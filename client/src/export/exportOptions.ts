/**
 * The choices of the export menu and the query the server takes for them (shared DESIGN.md:
 * `GET /api/documents/:id/export.(docx|html|md)` and `…/compilation.(docx|csv)`). The server's
 * query is strict (an unknown key is a 400), so only the keys that mean something for the chosen
 * format are sent, and defaults are left out.
 */

export const TEXT_FORMATS = ['docx', 'html', 'md'] as const
export const COMPILATION_FORMATS = ['compilation.docx', 'compilation.csv'] as const
export type ExportFormat = (typeof TEXT_FORMATS)[number] | (typeof COMPILATION_FORMATS)[number]

export type Marks = 'tracked' | 'bold'
export type CommentChoice = 'none' | 'open' | 'all'
export type Grouping = 'paragraph' | 'organisation'

export type ExportChoices = {
  format: ExportFormat
  /** `current` (the live text) or a published revision's id. */
  revision: string
  /** `none`, `previous` or a published revision's id. */
  against: string
  marks: Marks
  comments: CommentChoice
  /** Append the compilation table to the text. */
  compilation: boolean
  /** Name the persons behind comments (else their organisations only). */
  attribution: boolean
  by: Grouping
}

export const DEFAULT_CHOICES: ExportChoices = {
  format: 'docx',
  revision: 'current',
  against: 'none',
  marks: 'tracked',
  comments: 'none',
  compilation: false,
  attribution: true,
  by: 'paragraph',
}

/** A published revision as the menu offers it (from `GET /api/documents/:id/revisions`). */
export type RevisionChoice = { id: string; label: string; symbol: string | null; createdAt: string }

export const isCompilationOnly = (format: ExportFormat) => format.startsWith('compilation.')

/** Which choices mean something with the others as they are (the rest are disabled and not sent). */
export function relevantChoices(choices: ExportChoices) {
  const text = !isCompilationOnly(choices.format)
  return {
    against: text,
    marks: text && choices.against !== 'none',
    comments: text,
    compilation: text,
    attribution: !text || choices.comments !== 'none' || choices.compilation,
    by: !text || choices.compilation,
  }
}

/**
 * The revision `against=previous` names, picked as the server picks it: for the live text the last
 * published revision, for a revision the last one published before it. Null when there is none.
 * `revisions` come in the server's order (oldest first).
 */
export function previousRevision(revisions: RevisionChoice[], revision: string): RevisionChoice | null {
  if (revision === 'current') return revisions.at(-1) ?? null
  const target = revisions.find((r) => r.id === revision)
  if (!target) return null
  const before = revisions.filter((r) => r.id !== target.id && r.createdAt <= target.createdAt)
  return before.at(-1) ?? null
}

/** Choices that still hold once the list of revisions is known (or a choice changed). */
export function reconcile(choices: ExportChoices, revisions: RevisionChoice[]): ExportChoices {
  const known = (id: string) => revisions.some((r) => r.id === id)
  const revision = choices.revision === 'current' || known(choices.revision) ? choices.revision : 'current'
  let against = choices.against
  if (against === 'previous' && !previousRevision(revisions, revision)) against = 'none'
  if (against !== 'none' && against !== 'previous' && (!known(against) || against === revision)) {
    against = 'none'
  }
  if (revision === choices.revision && against === choices.against) return choices
  return { ...choices, revision, against }
}

/** The path and query of the file these choices produce, defaults left out. */
export function exportPath(documentId: string, choices: ExportChoices): string {
  const relevant = relevantChoices(choices)
  const query = new URLSearchParams()
  if (choices.revision !== 'current') query.set('revision', choices.revision)
  if (relevant.against && choices.against !== 'none') query.set('against', choices.against)
  if (relevant.marks && choices.marks !== 'tracked') query.set('marks', choices.marks)
  if (relevant.comments && choices.comments !== 'none') query.set('comments', choices.comments)
  if (relevant.compilation && choices.compilation) query.set('compilation', '1')
  if (relevant.attribution && !choices.attribution) query.set('attribution', '0')
  if (relevant.by && choices.by !== 'paragraph') query.set('by', choices.by)
  const file = isCompilationOnly(choices.format) ? choices.format : `export.${choices.format}`
  const search = query.toString()
  return `/api/documents/${encodeURIComponent(documentId)}/${file}${search ? `?${search}` : ''}`
}
