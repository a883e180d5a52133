/**
 * The storage contract. SQLite implements it today; a PostgreSQL implementation must pass the same
 * contract suite (`contract.ts`). Every method is async so a networked store fits.
 */
import type {
  Channels,
  OrganisationKind,
  Outcome,
  ProposalAction,
  Role,
  StoredAnchor,
  ThreadKind,
  ThreadStatus,
  Visibility,
} from '@plenary/shared'

export type ParticipantRecord = {
  id: string
  name: string
  organisation: string
  organisationKind: OrganisationKind
  role: Role
  createdAt: string
  revokedAt: string | null
}

export type NewParticipant = Omit<ParticipantRecord, 'createdAt' | 'revokedAt'> & { tokenHash: string }

export type DocumentRecord = {
  id: string
  title: string
  penHolders: string[]
  /** Comments started after this time are marked late (not refused). */
  commentDeadline: string | null
  createdAt: string
  createdBy: string | null
  updatedAt: string
  lastChangeBy: string | null
}

export type NewDocument = {
  id: string
  title: string
  penHolders: string[]
  createdBy: string | null
  /** The document's initial Yjs state, stored as its first snapshot. */
  initialState: Uint8Array
}

export type UpdateRow = {
  data: Uint8Array
  /** Who sent it; null for the server's own writes (id repair). */
  participantId: string | null
}

/** Work on a document that one instance does for all. */
export type DocumentTask = 'checkpoint' | 'compact'

export type StoredUpdate = UpdateRow & { seq: number; createdAt: string }

export type LoadedDocument = Omit<LoadedState, 'updates'> & {
  /** Updates after the snapshot, in order, with who wrote each and when. */
  updates: StoredUpdate[]
}

/** A document's snapshot and the log after it, without authorship: what a room loads. */
export type LoadedState = {
  snapshot: Uint8Array | null
  /** The last update sequence number folded into the snapshot (0 when none). */
  snapshotSeq: number
  /** Updates after the snapshot, in order. */
  updates: { seq: number; data: Uint8Array }[]
}

export type ThreadRecord = {
  id: string
  documentId: string
  kind: ThreadKind
  status: ThreadStatus
  visibility: Visibility
  authorId: string
  anchor: StoredAnchor | null
  proposal: { action: ProposalAction; text: string } | null
  appliedAt: string | null
  appliedBy: string | null
  disposition: { outcome: Outcome; response: string; decidedAt: string; decidedBy: string } | null
  communicationId: string | null
  acknowledgedAt: string | null
  acknowledgedBy: string | null
  acknowledgement: string | null
  late: boolean
  createdAt: string
  updatedAt: string
  createdInRevision: string | null
  /** The published revision that reflects an incorporated thread (set when that revision is published). */
  reflectedIn: string | null
}

export type Mention = { participantId: string | null; organisation: string | null }

export type MessageRecord = {
  id: string
  threadId: string
  authorId: string
  body: string
  createdAt: string
  editedAt: string | null
  withdrawnAt: string | null
  /** Earlier bodies of an edited message, oldest first. */
  history: { body: string; editedAt: string }[]
  mentions: Mention[]
}

export type CommunicationRecord = {
  id: string
  organisation: string
  reference: string
  sentAt: string
  receivedAt: string
  channel: (typeof Channels)[number]
  text: string
  documentId: string
  createdBy: string
  createdAt: string
  acknowledgedAt: string | null
  acknowledgedBy: string | null
  acknowledgement: string | null
}

/** Who did what to which thread, message or communication: every change leaves one. */
export type AuditEntry = {
  actorId: string | null
  action: string
  subjectType: 'thread' | 'message' | 'communication' | 'document' | 'revision'
  subjectId: string
  details: Record<string, unknown>
}

export type StoredAuditEntry = AuditEntry & { id: number; at: string }

export type RevisionRecord = {
  id: string
  documentId: string
  /** Published revisions are named and immutable; checkpoints are taken automatically. */
  kind: 'published' | 'checkpoint'
  label: string
  symbol: string | null
  note: string
  /** Y.encodeStateAsUpdate of the text at that moment. */
  state: Uint8Array
  /** TipTap JSON of the text at that moment, block ids included. */
  content: unknown
  /** SHA-256 of the canonical JSON content. */
  hash: string
  createdAt: string
  createdBy: string | null
  /** Participants whose edits this revision contains since the one before it. */
  contributors: string[]
}

export type ThreadPatch = Partial<
  Pick<
    ThreadRecord,
    | 'status'
    | 'disposition'
    | 'anchor'
    | 'appliedAt'
    | 'appliedBy'
    | 'acknowledgedAt'
    | 'acknowledgedBy'
    | 'acknowledgement'
    | 'reflectedIn'
  >
>

export interface Store {
  /** Creates or upgrades the schema. */
  migrate(): Promise<void>
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>
  close(): Promise<void>

  createParticipant(participant: NewParticipant): Promise<ParticipantRecord>
  getParticipant(id: string): Promise<ParticipantRecord | null>
  /** The participant holding this invite token hash, revoked or not. */
  findParticipantByTokenHash(tokenHash: string): Promise<ParticipantRecord | null>
  listParticipants(): Promise<ParticipantRecord[]>
  updateParticipant(
    id: string,
    patch: { role?: Role; revoked?: boolean; tokenHash?: string },
  ): Promise<ParticipantRecord | null>

  createSession(sessionHash: string, participantId: string): Promise<void>
  /** The participant of a live session. */
  findSession(sessionHash: string): Promise<string | null>
  deleteSession(sessionHash: string): Promise<void>

  createDocument(document: NewDocument): Promise<DocumentRecord>
  getDocument(id: string): Promise<DocumentRecord | null>
  listDocuments(): Promise<DocumentRecord[]>
  updateDocument(
    id: string,
    patch: { title?: string; penHolders?: string[]; commentDeadline?: string | null },
  ): Promise<DocumentRecord | null>

  /**
   * Appends updates to a document's log in one transaction (group commit). Resolves after the
   * commit, with the sequence number of the last one.
   */
  appendUpdates(documentId: string, updates: UpdateRow[]): Promise<number>
  /** The snapshot and the log after it. */
  loadDocument(documentId: string): Promise<LoadedDocument>
  /**
   * The same snapshot and updates without who wrote each or when: what a room needs to load.
   * Reading a long log, that is most of the cost (two strings per update).
   */
  loadDocumentState(documentId: string): Promise<LoadedState>
  /**
   * Replaces the snapshot with `state` (which includes every update up to `throughSeq`) and drops
   * those updates, in one transaction.
   */
  compact(documentId: string, state: Uint8Array, throughSeq: number): Promise<void>
  /** Number of updates in the log after the snapshot. */
  countUpdates(documentId: string): Promise<number>
  /**
   * What a copy that holds every update up to `afterSeq` lacks: the updates after it, and the
   * snapshot too when some of them were folded into it since (then `snapshot` is not null and the
   * updates are those after the snapshot). An instance catching up after a gap reads this.
   */
  loadDocumentSince(documentId: string, afterSeq: number): Promise<LoadedDocument>
  /**
   * Claims a periodic task on a document (a checkpoint, a compaction) for `owner`, unless someone
   * claimed it less than `intervalMs` ago by the database's clock. Of several instances asking at
   * once, exactly one gets true.
   */
  claimTask(documentId: string, task: DocumentTask, owner: string, intervalMs: number): Promise<boolean>

  /** Creates a thread with its first message, and their audit entry, in one transaction. */
  createThread(thread: ThreadRecord, first: MessageRecord, audit: AuditEntry): Promise<void>
  getThread(id: string): Promise<ThreadRecord | null>
  /** A document's threads in creation order. Nothing is ever deleted. */
  listThreads(documentId: string): Promise<ThreadRecord[]>
  updateThread(id: string, patch: ThreadPatch, audit: AuditEntry): Promise<ThreadRecord | null>
  addMessage(message: MessageRecord, audit: AuditEntry): Promise<void>
  getMessage(id: string): Promise<MessageRecord | null>
  /** Changes a message's body (keeping the old one in its history) or withdraws it. */
  updateMessage(
    id: string,
    patch: { body?: string; mentions?: Mention[]; withdrawn?: boolean },
    audit: AuditEntry,
  ): Promise<MessageRecord | null>
  /** Messages of these threads, in creation order. */
  listMessages(threadIds: string[]): Promise<MessageRecord[]>
  /** Messages that mention this participant or their organisation, newest first. */
  listMentions(participantId: string, organisation: string): Promise<MessageRecord[]>
  /**
   * A value that changes whenever a thread, message, mention or participant may have been
   * written, by this process or another: a thread list made while it held stays right until it
   * changes. Absent, or null, when the store cannot tell (then nothing is kept).
   */
  commentsStamp?(): string | null

  createCommunication(communication: CommunicationRecord, audit: AuditEntry): Promise<void>
  getCommunication(id: string): Promise<CommunicationRecord | null>
  listCommunications(): Promise<CommunicationRecord[]>
  acknowledgeCommunication(
    id: string,
    ack: { acknowledgedAt: string; acknowledgedBy: string; acknowledgement: string },
    audit: AuditEntry,
  ): Promise<CommunicationRecord | null>

  /** The audit trail of one subject, oldest first. */
  listAudit(subjectId: string): Promise<StoredAuditEntry[]>

  /** Stores a revision or a checkpoint; revisions are never changed afterwards. */
  createRevision(revision: RevisionRecord, audit: AuditEntry): Promise<void>
  getRevision(id: string): Promise<RevisionRecord | null>
  /** A document's revisions, oldest first, with or without the automatic checkpoints. */
  listRevisions(documentId: string, options: { checkpoints: boolean }): Promise<RevisionRecord[]>
}
