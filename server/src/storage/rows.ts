/**
 * Row ↔ record mapping shared by the SQLite and PostgreSQL stores: both use the same table and
 * column names, with JSON kept as text and timestamps as ISO strings.
 */
import type {
  CommunicationRecord,
  DocumentRecord,
  MessageRecord,
  ParticipantRecord,
  RevisionRecord,
  StoredUpdate,
  ThreadPatch,
  ThreadRecord,
} from './Store.ts'

export type Row = Record<string, unknown>

export const jsonOrNull = <T>(value: unknown): T | null =>
  typeof value === 'string' ? (JSON.parse(value) as T) : null
export const textOrNull = (value: unknown): string | null => (value as string | null) ?? null

/** An update row of the log (same columns in both stores). */
export const toStoredUpdate = (r: Row): StoredUpdate => ({
  seq: Number(r.seq),
  data: new Uint8Array(r.data as Buffer),
  participantId: textOrNull(r.participant_id),
  createdAt: r.created_at as string,
})

export const toParticipant = (r: Row): ParticipantRecord => ({
  id: r.id as string,
  name: r.name as string,
  organisation: r.organisation as string,
  organisationKind: r.organisation_kind as ParticipantRecord['organisationKind'],
  role: r.role as ParticipantRecord['role'],
  createdAt: r.created_at as string,
  revokedAt: textOrNull(r.revoked_at),
})

export const toDocument = (r: Row): DocumentRecord => ({
  id: r.id as string,
  title: r.title as string,
  penHolders: JSON.parse(r.pen_holders as string) as string[],
  createdAt: r.created_at as string,
  createdBy: textOrNull(r.created_by),
  updatedAt: r.updated_at as string,
  lastChangeBy: textOrNull(r.last_change_by),
  commentDeadline: textOrNull(r.comment_deadline),
})

export const toThread = (r: Row): ThreadRecord => ({
  id: r.id as string,
  documentId: r.document_id as string,
  kind: r.kind as ThreadRecord['kind'],
  status: r.status as ThreadRecord['status'],
  visibility: r.visibility as ThreadRecord['visibility'],
  authorId: r.author_id as string,
  anchor: jsonOrNull(r.anchor),
  proposal: jsonOrNull(r.proposal),
  appliedAt: textOrNull(r.applied_at),
  appliedBy: textOrNull(r.applied_by),
  disposition: jsonOrNull(r.disposition),
  communicationId: textOrNull(r.communication_id),
  acknowledgedAt: textOrNull(r.acknowledged_at),
  acknowledgedBy: textOrNull(r.acknowledged_by),
  acknowledgement: textOrNull(r.acknowledgement),
  // SQLite stores booleans as 1/0, PostgreSQL as booleans.
  late: r.late === true || r.late === 1,
  createdAt: r.created_at as string,
  updatedAt: r.updated_at as string,
  createdInRevision: textOrNull(r.created_in_revision),
  reflectedIn: textOrNull(r.reflected_in),
})

export const toMessage = (r: Row): MessageRecord => ({
  id: r.id as string,
  threadId: r.thread_id as string,
  authorId: r.author_id as string,
  body: r.body as string,
  createdAt: r.created_at as string,
  editedAt: textOrNull(r.edited_at),
  withdrawnAt: textOrNull(r.withdrawn_at),
  history: jsonOrNull(r.history) ?? [],
  mentions: jsonOrNull(r.mentions) ?? [],
})

export const toCommunication = (r: Row): CommunicationRecord => ({
  id: r.id as string,
  organisation: r.organisation as string,
  reference: r.reference as string,
  sentAt: r.sent_at as string,
  receivedAt: r.received_at as string,
  channel: r.channel as CommunicationRecord['channel'],
  text: r.text as string,
  documentId: r.document_id as string,
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
  acknowledgedAt: textOrNull(r.acknowledged_at),
  acknowledgedBy: textOrNull(r.acknowledged_by),
  acknowledgement: textOrNull(r.acknowledgement),
})

export const toRevision = (r: Row): RevisionRecord => ({
  id: r.id as string,
  documentId: r.document_id as string,
  kind: r.kind as RevisionRecord['kind'],
  label: r.label as string,
  symbol: textOrNull(r.symbol),
  note: r.note as string,
  state: new Uint8Array(r.state as Buffer),
  content: JSON.parse(r.content as string),
  hash: r.hash as string,
  createdAt: r.created_at as string,
  createdBy: textOrNull(r.created_by),
  contributors: JSON.parse(r.contributors as string) as string[],
})

export const THREAD_COLUMNS: Record<keyof ThreadPatch, [string, (v: unknown) => unknown]> = {
  status: ['status', (v) => v],
  disposition: ['disposition', (v) => (v === null ? null : JSON.stringify(v))],
  anchor: ['anchor', (v) => (v === null ? null : JSON.stringify(v))],
  appliedAt: ['applied_at', (v) => v],
  appliedBy: ['applied_by', (v) => v],
  acknowledgedAt: ['acknowledged_at', (v) => v],
  acknowledgedBy: ['acknowledged_by', (v) => v],
  acknowledgement: ['acknowledgement', (v) => v],
  reflectedIn: ['reflected_in', (v) => v],
}

/** The columns of a thread row, in the order `threadValues` gives them. */
export const THREAD_INSERT_COLUMNS = [
  'id',
  'document_id',
  'kind',
  'status',
  'visibility',
  'author_id',
  'anchor',
  'proposal',
  'applied_at',
  'applied_by',
  'disposition',
  'communication_id',
  'acknowledged_at',
  'acknowledged_by',
  'acknowledgement',
  'late',
  'created_at',
  'updated_at',
  'created_in_revision',
  'reflected_in',
] as const

/** A thread as row values; `late` is encoded by the store (SQLite 1/0, PostgreSQL boolean). */
export function threadValues(t: ThreadRecord, late: (value: boolean) => unknown): unknown[] {
  return [
    t.id,
    t.documentId,
    t.kind,
    t.status,
    t.visibility,
    t.authorId,
    t.anchor ? JSON.stringify(t.anchor) : null,
    t.proposal ? JSON.stringify(t.proposal) : null,
    t.appliedAt,
    t.appliedBy,
    t.disposition ? JSON.stringify(t.disposition) : null,
    t.communicationId,
    t.acknowledgedAt,
    t.acknowledgedBy,
    t.acknowledgement,
    late(t.late),
    t.createdAt,
    t.updatedAt,
    t.createdInRevision,
    t.reflectedIn,
  ]
}

/** The columns of a communication row, in the order `communicationValues` gives them. */
export const COMMUNICATION_INSERT_COLUMNS = [
  'id',
  'organisation',
  'reference',
  'sent_at',
  'received_at',
  'channel',
  'text',
  'document_id',
  'created_by',
  'created_at',
  'acknowledged_at',
  'acknowledged_by',
  'acknowledgement',
] as const

export function communicationValues(c: CommunicationRecord): unknown[] {
  return [
    c.id,
    c.organisation,
    c.reference,
    c.sentAt,
    c.receivedAt,
    c.channel,
    c.text,
    c.documentId,
    c.createdBy,
    c.createdAt,
    c.acknowledgedAt,
    c.acknowledgedBy,
    c.acknowledgement,
  ]
}
