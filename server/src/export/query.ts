/**
 * The query strings of the export routes (DESIGN.md's HTTP contract). Strict: an unknown key or
 * value is a 400, so a typo never silently gives an unmarked or comment-free document.
 */
import { z } from 'zod'

const RevisionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a revision id')
const Flag = z.enum(['0', '1'])

export const ExportFormats = ['docx', 'html', 'md'] as const
export type ExportFormat = (typeof ExportFormats)[number]

export const CompilationFormats = ['docx', 'csv'] as const
export type CompilationFormat = (typeof CompilationFormats)[number]

export const ExportQuery = z.strictObject({
  /** A revision of this document, or `current` (the default): the live text. */
  revision: z.union([z.literal('current'), RevisionId]).optional(),
  /** Marks the text against this revision; `previous`: the published revision before it. */
  against: z.union([z.literal('previous'), RevisionId]).optional(),
  marks: z.enum(['tracked', 'bold']).optional(),
  comments: z.enum(['none', 'open', 'all']).optional(),
  compilation: Flag.optional(),
  attribution: Flag.optional(),
  by: z.enum(['paragraph', 'organisation']).optional(),
})
export type ExportQuery = z.infer<typeof ExportQuery>

export const CompilationQuery = z.strictObject({
  revision: z.union([z.literal('current'), RevisionId]).optional(),
  attribution: Flag.optional(),
  by: z.enum(['paragraph', 'organisation']).optional(),
})
export type CompilationQuery = z.infer<typeof CompilationQuery>

/** What an export asks for, with the defaults applied. */
export type ExportOptions = {
  revision: string | null
  against: string | null
  marks: 'tracked' | 'bold'
  comments: 'none' | 'open' | 'all'
  compilation: boolean
  attribution: boolean
  by: 'paragraph' | 'organisation'
}

export function exportOptions(query: ExportQuery | CompilationQuery, compilationOnly = false): ExportOptions {
  const q = query as ExportQuery
  return {
    revision: q.revision && q.revision !== 'current' ? q.revision : null,
    against: q.against ?? null,
    marks: q.marks ?? 'tracked',
    comments: q.comments ?? 'none',
    compilation: compilationOnly || q.compilation === '1',
    attribution: q.attribution !== '0',
    by: q.by ?? 'paragraph',
  }
}
