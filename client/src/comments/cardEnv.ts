import type { ParticipantRef } from '@plenary/shared/api'
import type { ThreadDTO } from '@plenary/shared/threads'
import type { BlockPlace } from './blockPlaces.ts'

/** What every card needs to know about the room it is in. */
export type CardEnv = {
  participant: ParticipantRef
  /** Holds the pen for this document, or is the secretariat: disposes of threads. */
  canDispose: boolean
  /** Names and organisations that may be @mentioned. */
  labels: readonly string[]
  places: Map<string, BlockPlace>
  onThread: (thread: ThreadDTO) => void
  announce: (message: string) => void
}

export const canComment = (participant: ParticipantRef) => participant.role !== 'reader'
export const isSecretariat = (participant: ParticipantRef) => participant.role === 'secretariat'
