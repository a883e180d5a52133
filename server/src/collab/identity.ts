import type { Participant } from '@plenary/shared'

/** Caret colours with white text that passes WCAG AA. */
const PALETTE = [
  '#1d4ed8',
  '#b91c1c',
  '#047857',
  '#7c3aed',
  '#b45309',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
  '#6d28d9',
  '#9a3412',
]

/** The awareness `user` field the server writes for a participant: nobody can claim another's. */
export function awarenessUser(participant: Participant) {
  let hash = 0
  for (const char of participant.id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return {
    id: participant.id,
    name: participant.name,
    organisation: participant.organisation,
    organisationKind: participant.organisationKind,
    role: participant.role,
    color: PALETTE[hash % PALETTE.length],
  }
}
