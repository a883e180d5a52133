/**
 * Comment threads: kinds, lifecycle and dispositions (DOMAIN.md), the HTTP request schemas and the
 * thread as the API returns it (DESIGN.md's contract).
 */
import { z } from 'zod'
import type { AnchorState } from './anchors.ts'
import { IdSchema } from './api.ts'
import type { OrganisationKind } from './roles.ts'

export const ThreadKinds = [
  'comment',
  'support',
  'proposal',
  'question',
  'objection',
  'procedural',
  'editorial',
] as const
export type ThreadKind = (typeof ThreadKinds)[number]

export const ThreadStatuses = ['open', 'under_consideration', 'closed', 'withdrawn'] as const
export type ThreadStatus = (typeof ThreadStatuses)[number]

export const Outcomes = [
  'incorporated',
  'incorporated_as_modified',
  'not_incorporated',
  'answered',
  'deferred',
  'noted',
] as const
export type Outcome = (typeof Outcomes)[number]

export const ProposalActions = ['insert', 'replace', 'delete'] as const
export type ProposalAction = (typeof ProposalActions)[number]

export const Visibilities = ['everyone', 'facilitators'] as const
export type Visibility = (typeof Visibilities)[number]

export const CommentLimits = {
  maxBodyLength: 10_000,
  maxQuoteLength: 2_000,
  maxProposalLength: 10_000,
  maxResponseLength: 10_000,
  maxCommunicationLength: 100_000,
} as const

export const kindLabels: Record<ThreadKind, string> = {
  comment: 'Comment',
  support: 'Support',
  proposal: 'Proposed wording',
  question: 'Question',
  objection: 'Reservation or objection',
  procedural: 'Procedural request',
  editorial: 'Editorial',
}

export const statusLabels: Record<ThreadStatus, string> = {
  open: 'Open',
  under_consideration: 'Under consideration',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
}

export const outcomeLabels: Record<Outcome, string> = {
  incorporated: 'Incorporated',
  incorporated_as_modified: 'Incorporated as modified',
  not_incorporated: 'Not incorporated',
  answered: 'Answered',
  deferred: 'Deferred to a later meeting',
  noted: 'Noted',
}

const body = z.string().trim().min(1).max(CommentLimits.maxBodyLength)

export const AnchorInput = z.union([
  z.strictObject({
    blockId: IdSchema,
    from: z.number().int().min(0),
    to: z.number().int().min(0),
  }),
  z.strictObject({ blockId: IdSchema, quote: z.string().min(1).max(CommentLimits.maxQuoteLength) }),
])

export const ProposalInput = z
  .strictObject({
    action: z.enum(ProposalActions),
    text: z.string().max(CommentLimits.maxProposalLength).default(''),
  })
  .refine((p) => p.action === 'delete' || p.text.trim().length > 0, {
    message: 'insert and replace proposals need their wording',
  })

export const CreateThreadBody = z
  .strictObject({
    anchor: AnchorInput.nullable(),
    kind: z.enum(ThreadKinds),
    body,
    proposal: ProposalInput.optional(),
    visibility: z.enum(Visibilities).optional(),
    communicationId: IdSchema.optional(),
    /** Secretariat only, with a communication: the participant the thread is logged for. */
    authorId: IdSchema.optional(),
  })
  .refine((t) => (t.kind === 'proposal') === (t.proposal !== undefined), {
    message: 'a proposal thread carries a proposal, and only a proposal thread does',
  })
export type CreateThreadBody = z.infer<typeof CreateThreadBody>

export const ReplyBody = z.strictObject({ body })

export const EditMessageBody = z.strictObject({ body })

export const PatchThreadBody = z
  .strictObject({
    status: z.enum(ThreadStatuses).optional(),
    disposition: z
      .strictObject({
        outcome: z.enum(Outcomes),
        response: z.string().trim().max(CommentLimits.maxResponseLength).default(''),
      })
      .refine((d) => d.outcome !== 'not_incorporated' || d.response.length > 0, {
        message: 'say why a proposal is not incorporated',
      })
      .nullable()
      .optional(),
    acknowledge: z.literal(true).optional(),
  })
  .refine((p) => p.status !== undefined || p.disposition !== undefined || p.acknowledge !== undefined, {
    message: 'give a status, a disposition or acknowledge',
  })
export type PatchThreadBody = z.infer<typeof PatchThreadBody>

export const Channels = ['note_verbale', 'letter', 'email', 'statement', 'other'] as const

export const CreateCommunicationBody = z.strictObject({
  organisation: z.string().trim().min(1).max(200),
  reference: z.string().trim().max(200).default(''),
  sentAt: z.iso.date(),
  receivedAt: z.iso.date(),
  channel: z.enum(Channels),
  text: z.string().trim().min(1).max(CommentLimits.maxCommunicationLength),
  documentId: IdSchema,
})
export type CreateCommunicationBody = z.infer<typeof CreateCommunicationBody>

export type MessageDTO = {
  id: string
  author: AuthorDTO
  body: string
  createdAt: string
  editedAt: string | null
  withdrawn: boolean
  /** Earlier versions of an edited message, oldest first. */
  history: { body: string; editedAt: string }[]
  mentions: { participantId: string | null; organisation: string | null }[]
}

export type AuthorDTO = {
  participantId: string
  name: string
  organisation: string
  organisationKind: OrganisationKind
}

export type ThreadDTO = {
  id: string
  documentId: string
  kind: ThreadKind
  status: ThreadStatus
  visibility: Visibility
  author: AuthorDTO
  anchor: {
    blockId: string | null
    number: string | null
    quote: string
    state: AnchorState
    from: number | null
    to: number | null
    originalQuote: string
  }
  proposal: { action: ProposalAction; text: string; appliedAt: string | null } | null
  disposition: { outcome: Outcome; response: string; decidedAt: string; decidedBy: string } | null
  messages: MessageDTO[]
  communicationId: string | null
  acknowledgedAt: string | null
  acknowledgement: string | null
  late: boolean
  createdAt: string
  updatedAt: string
  createdInRevision: string | null
  /** The published revision that reflects this thread, once incorporated. */
  reflectedIn: string | null
}

export type CommunicationDTO = {
  id: string
  organisation: string
  reference: string
  sentAt: string
  receivedAt: string
  channel: (typeof Channels)[number]
  text: string
  documentId: string
  createdAt: string
  acknowledgedAt: string | null
  acknowledgement: string | null
  threadIds: string[]
}
