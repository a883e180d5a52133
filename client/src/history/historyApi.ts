import type { BlockDiff, DiffStats } from '@plenary/shared/diff'
import type { RevisionDTO } from '@plenary/shared/revisions'
import { request } from '../api/request.ts'

export type RevisionList = { revisions: RevisionDTO[]; next: { label: string; symbol: string | null } }

export type Comparison = {
  from: RevisionDTO | null
  to: RevisionDTO | null
  stats: DiffStats
  blocks: (BlockDiff & { threadIds: string[] })[]
}

export const listRevisions = (documentId: string) =>
  request<RevisionList>('GET', `/api/documents/${documentId}/revisions?checkpoints=1`)

export const publishRevision = (
  documentId: string,
  body: { label?: string; symbol?: string; note?: string },
) => request<{ revision: RevisionDTO }>('POST', `/api/documents/${documentId}/revisions`, body)

export const restoreRevision = (documentId: string, revisionId: string) =>
  request<{ restored: RevisionDTO; changed: boolean }>(
    'POST',
    `/api/documents/${documentId}/revisions/${revisionId}/restore`,
  )

/** `from`/`to` are revision ids or `current`; leave `from` out for "since the last published revision". */
export function compare(documentId: string, from: string | null, to: string) {
  const query = new URLSearchParams()
  if (from) query.set('from', from)
  query.set('to', to)
  return request<Comparison>('GET', `/api/documents/${documentId}/compare?${query}`)
}
