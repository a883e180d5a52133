/**
 * HTTP request schemas (zod) and response types: the server validates with these, the client's
 * typed fetch uses the same types.
 */
import { z } from 'zod'
import type { Block, JSONNode } from './blocks.ts'
import { Limits } from './limits.ts'
import { OrganisationKinds, type Participant, Roles } from './roles.ts'

export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1–64 letters, digits, _ or -')

export const IdParams = z.strictObject({ id: IdSchema })

const name = z.string().trim().min(1).max(Limits.maxNameLength)

export const CreateParticipantBody = z.strictObject({
  name,
  organisation: name,
  organisationKind: z.enum(OrganisationKinds),
  role: z.enum(Roles),
})
export type CreateParticipantBody = z.infer<typeof CreateParticipantBody>

export const PatchParticipantBody = z.strictObject({
  role: z.enum(Roles).optional(),
  revoked: z.boolean().optional(),
})

/** TipTap JSON is checked against the schema by `normalizeContent`; here only its outer shape. */
export const ContentSchema = z.looseObject({ type: z.literal('doc') })

export const CreateDocumentBody = z.strictObject({
  title: z.string().trim().min(1).max(Limits.maxTitleLength),
  content: ContentSchema.optional(),
  penHolders: z.array(IdSchema).max(200).optional(),
})
export type CreateDocumentBody = z.infer<typeof CreateDocumentBody>

export const PatchDocumentBody = z
  .strictObject({
    title: z.string().trim().min(1).max(Limits.maxTitleLength).optional(),
    penHolders: z.array(IdSchema).max(200).optional(),
    /** When comments are due (ISO 8601); null removes the deadline. */
    commentDeadline: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .refine(
    (body) => body.title !== undefined || body.penHolders !== undefined || body.commentDeadline !== undefined,
    {
      message: 'give a title, penHolders or commentDeadline to change',
    },
  )
export type PatchDocumentBody = z.infer<typeof PatchDocumentBody>

export type ParticipantRef = Pick<Participant, 'id' | 'name' | 'organisation' | 'organisationKind' | 'role'>

export type DocumentDTO = {
  id: string
  title: string
  penHolders: string[]
  /** Comments started after this are marked late (not refused). */
  commentDeadline: string | null
  /** Pen holders as people, for lists that show "facilitator: …". */
  penHolderNames: { id: string; name: string; organisation: string; role: string }[]
  createdAt: string
  createdBy: string | null
  updatedAt: string
  /** Who made the last stored change to the text, when known. */
  lastChangeBy: { id: string; name: string; organisation: string } | null
  /** May the asking participant edit the text? */
  canEdit: boolean
}

export type MeResponse = { participant: ParticipantRef }
export type CreateParticipantResponse = { participant: ParticipantRef; token: string }
export type DocumentResponse = { document: DocumentDTO }
export type DocumentsResponse = { documents: DocumentDTO[] }
export type ContentResponse = { content: JSONNode }
export type BlocksResponse = { blocks: Block[] }
export type ParticipantsResponse = { participants: ParticipantRef[] }
