/** The revision routes of shared DESIGN.md's HTTP contract, typed with the shared DTOs. */
import type { JSONNode } from '@plenary/shared/blocks'
import type { BlockDiff, DiffStats } from '@plenary/shared/diff'
import type { RevisionDTO } from '@plenary/shared/revisions'
import { request } from '../api/request.ts'

/** What the next published revision is called by default. */
export type NextRevision = { label: string; symbol: string | null }

/** Oldest first, as the server sends it. */
export type RevisionList = { revisions: RevisionDTO[]; next: NextRevision }

/** One block of a comparison, with the threads anchored to it. */
export type ComparedBlock = BlockDiff & { threadIds: string[] }

export type Comparison = {
  from: RevisionDTO | null
  to: RevisionDTO | null
  stats: DiffStats
  blocks: ComparedBlock[]
}

/** A revision id, or `current` for the live text. */
export type TextRef = string

export const CURRENT: TextRef = 'current'

const id = encodeURIComponent

export const listRevisions = (documentId: string, signal?: AbortSignal) =>
  request<RevisionList>('GET', `/api/documents/${id(documentId)}/revisions?checkpoints=1`, undefined, signal)

export const publishRevision = (
  documentId: string,
  body: { label?: string; symbol?: string; note?: string },
) => request<{ revision: RevisionDTO }>('POST', `/api/documents/${id(documentId)}/revisions`, body)

export const getRevisionContent = (documentId: string, revisionId: string, signal?: AbortSignal) =>
  request<{ content: JSONNode; revision: RevisionDTO }>(
    'GET',
    `/api/documents/${id(documentId)}/revisions/${id(revisionId)}/content`,
    undefined,
    signal,
  )

/** Leave `from` out for "since the last published revision" (a 400 `no_revision` when there is none). */
export function compareTexts(documentId: string, from: TextRef | null, to: TextRef, signal?: AbortSignal) {
  const query = new URLSearchParams()
  if (from) query.set('from', from)
  query.set('to', to)
  return request<Comparison>('GET', `/api/documents/${id(documentId)}/compare?${query}`, undefined, signal)
}

export const restoreRevision = (documentId: string, revisionId: string) =>
  request<{ restored: RevisionDTO; changed: boolean }>(
    'POST',
    `/api/documents/${id(documentId)}/revisions/${id(revisionId)}/restore`,
    {},
  )
