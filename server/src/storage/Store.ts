/**
 * The storage contract. SQLite implements it today; a PostgreSQL implementation must pass the same
 * contract suite (`contract.ts`). Every method is async so a networked store fits.
 */
import type { OrganisationKind, Role } from '@plenary/shared'

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

export type StoredUpdate = UpdateRow & { seq: number; createdAt: string }

export type LoadedDocument = {
  snapshot: Uint8Array | null
  /** The last update sequence number folded into the snapshot (0 when none). */
  snapshotSeq: number
  /** Updates after the snapshot, in order. */
  updates: StoredUpdate[]
}

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
  updateDocument(id: string, patch: { title?: string; penHolders?: string[] }): Promise<DocumentRecord | null>

  /**
   * Appends updates to a document's log in one transaction (group commit). Resolves after the
   * commit, with the sequence number of the last one.
   */
  appendUpdates(documentId: string, updates: UpdateRow[]): Promise<number>
  /** The snapshot and the log after it. */
  loadDocument(documentId: string): Promise<LoadedDocument>
  /**
   * Replaces the snapshot with `state` (which includes every update up to `throughSeq`) and drops
   * those updates, in one transaction.
   */
  compact(documentId: string, state: Uint8Array, throughSeq: number): Promise<void>
  /** Number of updates in the log after the snapshot. */
  countUpdates(documentId: string): Promise<number>
}
