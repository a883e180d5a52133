/** Messages that mention the signed-in participant or their organisation. Types only, so the
 * header (on every page) pulls no schema code into the first bundle. */
import { request } from './request.ts'

export type Mention = {
  threadId: string
  documentId: string
  messageId: string
  body: string
  createdAt: string
  authorId: string
}

export const listMentions = (signal?: AbortSignal) =>
  request<{ mentions: Mention[] }>('GET', '/api/me/mentions', undefined, signal)
