/**
 * Word comments of an imported file as threads: anchored by their quoted words in the paragraph
 * that carries the comment mark, else wherever those words are, else on the paragraph, else on the
 * document; authored by the participant whose name or organisation the comment's author names,
 * else by the importer with the original author kept in the text ("[Comment by X]").
 */
import {
  AnchorError,
  CommentLimits,
  createAnchor,
  createAnchorFromQuote,
  type Participant,
  type StoredAnchor,
  YDOC_FIELD,
  yTextUnits,
} from '@plenary/shared'
import type * as Y from 'yjs'
import { newId } from '../ids.ts'
import type { MessageRecord, ParticipantRecord, Store, ThreadRecord } from '../storage/Store.ts'
import type { ThreadPlan } from './docx.ts'

/** The participant a Word comment author names: "Organisation (Person)", a person, or an organisation. */
export function matchAuthor(author: string, people: ParticipantRecord[]): ParticipantRecord | null {
  const name = author.trim()
  if (!name) return null
  const live = people.filter((p) => !p.revokedAt)
  return (
    live.find((p) => `${p.organisation} (${p.name})` === name) ??
    live.find((p) => p.name === name) ??
    live.find((p) => p.organisation === name && p.role !== 'reader') ??
    null
  )
}

function anchorFor(doc: Y.Doc, plan: ThreadPlan, title: string): StoredAnchor | null {
  const units = yTextUnits(doc.getXmlFragment(YDOC_FIELD))
  const home = plan.block !== null ? units[plan.block] : undefined
  const quote = plan.quote.trim() ? plan.quote : ''
  // Plenary's export puts comments on the document as a whole on the title line.
  const titleLine = home?.topLevel && !home.numbered && home.text.trim() === title.trim()
  if (titleLine && quote.trim() === title.trim()) return null
  const attempt = (blockId: string | null, make: (id: string) => StoredAnchor) => {
    if (!blockId) return null
    try {
      return make(blockId)
    } catch (error) {
      if (error instanceof AnchorError) return null
      throw error
    }
  }
  if (quote) {
    const inHome = attempt(home?.id ?? null, (id) => createAnchorFromQuote(doc, id, quote))
    if (inHome) return inHome
    const elsewhere = units.find((u) => u.id && u.text.includes(quote))
    const found = attempt(elsewhere?.id ?? null, (id) => createAnchorFromQuote(doc, id, quote))
    if (found) return found
  }
  return attempt(home?.id ?? null, (id) => createAnchor(doc, id, 0, 0))
}

const clip = (body: string) => body.slice(0, CommentLimits.maxBodyLength)

const validDate = (date: string | null, fallback: string) => {
  const time = date ? Date.parse(date) : Number.NaN
  return Number.isFinite(time) && time <= Date.now() ? new Date(time).toISOString() : fallback
}

/** Creates the threads of an imported document; returns how many were anchored to words. */
export async function createImportedThreads(
  store: Store,
  doc: Y.Doc,
  document: { id: string; title: string },
  importer: Participant,
  plans: ThreadPlan[],
): Promise<{ threads: number; onWords: number }> {
  const documentId = document.id
  const people = await store.listParticipants()
  let onWords = 0
  for (const plan of plans) {
    const now = new Date().toISOString()
    const author = matchAuthor(plan.author, people)
    const anchor = anchorFor(doc, plan, document.title)
    if (anchor?.start) onWords++
    const createdAt = validDate(plan.date, now)
    const thread: ThreadRecord = {
      id: newId(),
      documentId,
      kind: plan.kind,
      status: 'open',
      visibility: 'everyone',
      authorId: author?.id ?? importer.id,
      anchor,
      proposal: plan.proposal,
      appliedAt: null,
      appliedBy: null,
      disposition: null,
      communicationId: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgement: null,
      late: false,
      createdAt,
      updatedAt: createdAt,
      createdInRevision: null,
      reflectedIn: null,
    }
    const first: MessageRecord = {
      id: newId(),
      threadId: thread.id,
      authorId: thread.authorId,
      body: clip(author ? plan.body : `[Comment by ${plan.author || 'unknown author'}] ${plan.body}`),
      createdAt,
      editedAt: null,
      withdrawnAt: null,
      history: [],
      mentions: [],
    }
    await store.createThread(thread, first, {
      actorId: importer.id,
      action: 'thread.imported',
      subjectType: 'thread',
      subjectId: thread.id,
      details: { wordAuthor: plan.author },
    })
    // Messages are listed in time order: a reply never sorts before what it answers.
    let last = Date.parse(createdAt)
    for (const reply of plan.replies) {
      const by = matchAuthor(reply.author, people)
      last = Math.max(last + 1, Date.parse(validDate(reply.date, now)))
      const message: MessageRecord = {
        id: newId(),
        threadId: thread.id,
        authorId: by?.id ?? importer.id,
        body: clip(by ? reply.body : `[Reply by ${reply.author || 'unknown author'}] ${reply.body}`),
        createdAt: new Date(last).toISOString(),
        editedAt: null,
        withdrawnAt: null,
        history: [],
        mentions: [],
      }
      await store.addMessage(message, {
        actorId: importer.id,
        action: 'message.imported',
        subjectType: 'message',
        subjectId: message.id,
        details: { threadId: thread.id, wordAuthor: reply.author },
      })
    }
  }
  return { threads: plans.length, onWords }
}
