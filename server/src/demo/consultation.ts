/**
 * The living consultation of the demo: the communications received, the threads logged from them
 * (anchored as DOMAIN.md's table says), and some of the facilitators' answers, so a newcomer finds
 * a consultation under way rather than an empty margin.
 */
import { createAnchorFromQuote } from '@plenary/shared'
import type * as Y from 'yjs'
import { acknowledgementText } from '../comments/acknowledgement.ts'
import { newId } from '../ids.ts'
import type { MessageRecord, Store, ThreadRecord } from '../storage/Store.ts'
import { demoCommunications, demoThreads } from './communications.ts'
import { demoParticipants } from './participants.ts'
import { demoBlockIds } from './workplan.ts'

/** Replies and decisions of the pen holders, by thread key. */
const answers: Record<
  string,
  {
    by: string
    reply?: string
    status?: ThreadRecord['status']
    disposition?: { outcome: NonNullable<ThreadRecord['disposition']>['outcome']; response: string }
  }
> = {
  'mexico-voluntary-nature': {
    by: 'chair',
    reply:
      'The term describes the workplans themselves: they organise the discussions of the sub-working groups and may be revised by the WGETI. It does not qualify the obligations of the Treaty, which remain binding on States Parties. A clarifying sentence will be proposed in Rev.1.',
    status: 'closed',
    disposition: {
      outcome: 'answered',
      response: 'Clarified; a sentence will be added in Rev.1 of paragraph 12.',
    },
  },
  'mexico-stage-2-series': {
    by: 'facilitator-c',
    reply:
      'Thank you. The intention is to take up Stage 2 in the first series, time permitting. I will make this explicit in the text and in the timeline table.',
    status: 'under_consideration',
  },
  'norland-stage-2-first-series': { by: 'facilitator-c', status: 'under_consideration' },
  'industry-open-session': {
    by: 'chair',
    reply:
      'Open sessions with civil society and industry are foreseen at each series of meetings; details follow with the provisional programme.',
    status: 'closed',
    disposition: { outcome: 'answered', response: 'Open sessions foreseen; see paragraph 21.' },
  },
}

export async function seedConsultation(
  store: Store,
  doc: Y.Doc,
  documentId: string,
  documentTitle: string,
  ids: Map<string, string>,
): Promise<void> {
  const id = (key: string) => ids.get(key) as string
  const secretariat = id('secretariat')
  const communicationIds: string[] = []
  for (const c of demoCommunications) {
    const record = {
      id: newId(),
      organisation: c.organisation,
      reference: c.reference,
      sentAt: c.sentAt,
      receivedAt: c.receivedAt,
      channel: c.channel,
      text: c.text,
      documentId,
      createdBy: secretariat,
      createdAt: `${c.receivedAt}T10:00:00.000Z`,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgement: null,
    }
    await store.createCommunication(record, {
      actorId: secretariat,
      action: 'communication.logged',
      subjectType: 'communication',
      subjectId: record.id,
      details: { organisation: record.organisation },
    })
    communicationIds.push(record.id)
  }

  for (const [index, t] of demoThreads.entries()) {
    const communication = demoCommunications[t.communicationIndex]
    const at = `${communication.receivedAt}T10:${String(index).padStart(2, '0')}:00.000Z`
    const author = id(t.participantKey)
    const thread: ThreadRecord = {
      id: newId(),
      documentId,
      kind: t.kind,
      status: 'open',
      visibility: 'everyone',
      authorId: author,
      anchor: t.anchor ? createAnchorFromQuote(doc, demoBlockIds[t.anchor.blockKey], t.anchor.quote) : null,
      proposal: t.proposal ?? null,
      appliedAt: null,
      appliedBy: null,
      disposition: null,
      communicationId: communicationIds[t.communicationIndex],
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgement: null,
      late: false,
      createdAt: at,
      updatedAt: at,
      createdInRevision: 'Draft',
      reflectedIn: null,
    }
    const first: MessageRecord = {
      id: newId(),
      threadId: thread.id,
      authorId: author,
      body: t.body,
      createdAt: at,
      editedAt: null,
      withdrawnAt: null,
      history: [],
      mentions: [],
    }
    await store.createThread(thread, first, {
      actorId: secretariat,
      action: 'thread.created',
      subjectType: 'thread',
      subjectId: thread.id,
      details: { loggedFrom: thread.communicationId },
    })
    const answer = answers[t.key]
    if (!answer) continue
    const by = id(answer.by)
    if (answer.reply) {
      const reply: MessageRecord = {
        ...first,
        id: newId(),
        authorId: by,
        body: answer.reply,
        createdAt: `2021-02-2${index % 8}T09:00:00.000Z`,
      }
      await store.addMessage(reply, {
        actorId: by,
        action: 'message.created',
        subjectType: 'message',
        subjectId: reply.id,
        details: {},
      })
    }
    await store.updateThread(
      thread.id,
      {
        status: answer.status,
        disposition: answer.disposition
          ? { ...answer.disposition, decidedAt: '2021-02-26T09:00:00.000Z', decidedBy: by }
          : undefined,
      },
      {
        actorId: by,
        action: 'thread.updated',
        subjectType: 'thread',
        subjectId: thread.id,
        details: { status: answer.status },
      },
    )
  }

  // The secretariat has acknowledged Mexico's note (which asked for it); the others still wait.
  const mexicoIndex = demoCommunications.findIndex((c) => c.participantKey === 'mexico')
  const mexico = demoCommunications[mexicoIndex]
  const sender = demoParticipants.find((p) => p.key === 'mexico')
  await store.acknowledgeCommunication(
    communicationIds[mexicoIndex],
    {
      acknowledgedAt: '2021-02-17T09:30:00.000Z',
      acknowledgedBy: secretariat,
      acknowledgement: acknowledgementText({
        secretariat: 'Secretariat of the Arms Trade Treaty',
        organisation: mexico.organisation,
        organisationKind: sender?.organisationKind ?? 'state_party',
        channel: mexico.channel,
        reference: mexico.reference,
        sentAt: mexico.sentAt,
        documentTitle,
      }),
    },
    {
      actorId: secretariat,
      action: 'communication.acknowledged',
      subjectType: 'communication',
      subjectId: communicationIds[mexicoIndex],
      details: {},
    },
  )
}
