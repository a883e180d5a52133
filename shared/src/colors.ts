/**
 * The colour of a person's caret, selection and avatar: chosen by the server for awareness and by
 * the client for its own caret before the server's copy arrives, so both must agree. Every colour
 * keeps white text above 4.5:1 (WCAG AA).
 */
const PALETTE = [
  '#1d4ed8',
  '#b91c1c',
  '#047857',
  '#7e22ce',
  '#b45309',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
  '#6d28d9',
  '#9f1239',
] as const

export function participantColor(participantId: string): string {
  let hash = 0
  for (let i = 0; i < participantId.length; i++) hash = (hash * 31 + participantId.charCodeAt(i)) >>> 0
  return PALETTE[hash % PALETTE.length]
}

/**
 * The awareness `user` field of a participant: the server writes it into every awareness state
 * (so nobody can appear as someone else), and the editor sets the same for its own caret.
 */
export function awarenessUser(participant: {
  id: string
  name: string
  organisation: string
  organisationKind: string
  role: string
}) {
  return {
    id: participant.id,
    name: participant.name,
    organisation: participant.organisation,
    organisationKind: participant.organisationKind,
    role: participant.role,
    color: participantColor(participant.id),
  }
}

/** Dates are shown in Geneva time unless the reader chooses otherwise (Geneva follows Zurich's zone). */
export const DEFAULT_TIME_ZONE = 'Europe/Zurich'
