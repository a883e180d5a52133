/** Revisions: request schemas and the revision as the API returns it. */
import { z } from 'zod'

export const PublishRevisionBody = z.strictObject({
  label: z.string().trim().min(1).max(60).optional(),
  symbol: z.string().trim().min(1).max(120).optional(),
  note: z.string().trim().max(2000).optional(),
})
export type PublishRevisionBody = z.infer<typeof PublishRevisionBody>

export const RevisionListQuery = z.strictObject({ checkpoints: z.enum(['0', '1']).optional() })

/** `current` names the live text wherever a revision id is expected. */
export const RevisionRef = z.union([z.literal('current'), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)])

export const CompareQuery = z.strictObject({ from: RevisionRef.optional(), to: RevisionRef.optional() })

export type RevisionDTO = {
  id: string
  documentId: string
  kind: 'published' | 'checkpoint'
  label: string
  symbol: string | null
  note: string
  hash: string
  createdAt: string
  createdBy: string | null
  createdByName: string | null
  contributors: { id: string; name: string; organisation: string }[]
}

/** The label the next published revision gets by default: Draft, then Rev.1, Rev.2, … */
export function nextRevisionLabel(publishedCount: number): string {
  return publishedCount === 0 ? 'Draft' : `Rev.${publishedCount}`
}

/** A revision's symbol from the draft's: `…/Draft` or `…` becomes `….Rev1`, `….Rev2`, … */
export function nextRevisionSymbol(previous: string | null, publishedCount: number): string | null {
  if (!previous || publishedCount === 0) return previous
  return `${previous.replace(/\.Rev\d+$/, '')}.Rev${publishedCount}`
}
