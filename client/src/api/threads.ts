/** Comment threads, their messages, mentions and the document's blocks (shared DESIGN.md contract). */
import type { BlocksResponse, DocumentResponse } from '@plenary/shared/api'
import type { CreateThreadBody, Outcome, ThreadDTO, ThreadStatus } from '@plenary/shared/threads'
import { request } from './request.ts'

type ThreadResponse = { thread: ThreadDTO }

const id = encodeURIComponent

export const listThreads = (documentId: string, signal?: AbortSignal) =>
  request<{ threads: ThreadDTO[] }>('GET', `/api/documents/${id(documentId)}/threads`, undefined, signal)

export const getThread = (threadId: string, signal?: AbortSignal) =>
  request<ThreadResponse>('GET', `/api/threads/${id(threadId)}`, undefined, signal)

/** The request body as sent (zod's input type, before defaults). */
export type NewThread = Omit<CreateThreadBody, 'proposal'> & {
  proposal?: { action: 'insert' | 'replace' | 'delete'; text: string }
}

export const createThread = (documentId: string, body: NewThread) =>
  request<ThreadResponse>('POST', `/api/documents/${id(documentId)}/threads`, body)

export const replyToThread = (threadId: string, body: string) =>
  request<ThreadResponse>('POST', `/api/threads/${id(threadId)}/messages`, { body })

export const editMessage = (messageId: string, body: string) =>
  request<ThreadResponse>('PATCH', `/api/messages/${id(messageId)}`, { body })

export const withdrawMessage = (messageId: string) =>
  request<ThreadResponse>('POST', `/api/messages/${id(messageId)}/withdraw`, {})

export type ThreadPatch = {
  status?: ThreadStatus
  disposition?: { outcome: Outcome; response: string } | null
  acknowledge?: true
}

export const patchThread = (threadId: string, patch: ThreadPatch) =>
  request<ThreadResponse>('PATCH', `/api/threads/${id(threadId)}`, patch)

export const applyProposal = (threadId: string) =>
  request<ThreadResponse>('POST', `/api/threads/${id(threadId)}/apply`, {})

export const listBlocks = (documentId: string, signal?: AbortSignal) =>
  request<BlocksResponse>('GET', `/api/documents/${id(documentId)}/blocks`, undefined, signal)

/** Pen holders and the secretariat: when comments are due (ISO 8601), or null for none. */
export const setCommentDeadline = (documentId: string, commentDeadline: string | null) =>
  request<DocumentResponse>('PATCH', `/api/documents/${id(documentId)}`, { commentDeadline })
