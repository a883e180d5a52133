import { type Participant, participantColor } from '@plenary/shared'

/** The awareness `user` field the server writes for a participant: nobody can claim another's. */
export function awarenessUser(participant: Participant) {
  return {
    id: participant.id,
    name: participant.name,
    organisation: participant.organisation,
    organisationKind: participant.organisationKind,
    role: participant.role,
    color: participantColor(participant.id),
  }
}
