import { isHexColor, participantColor } from './colors.ts'

/** One person in the document, however many tabs or devices they have open. */
export type PresentPerson = {
  id: string
  name: string
  organisation: string
  color: string
  isSelf: boolean
}

/** The `user` field the server writes into every awareness state (PROTOCOL.md, rule 4). */
export type AwarenessUser = { id: string; name: string; organisation: string; color?: string }

/** Awareness states come from the network: read them defensively. */
export function readAwarenessUser(state: unknown): AwarenessUser | null {
  const user = (state as { user?: unknown } | null)?.user as Record<string, unknown> | undefined
  if (!user || typeof user !== 'object') return null
  if (typeof user.id !== 'string' || typeof user.name !== 'string') return null
  return {
    id: user.id,
    name: user.name,
    organisation: typeof user.organisation === 'string' ? user.organisation : '',
    color: isHexColor(user.color) ? user.color : undefined,
  }
}

/** Awareness states → people, deduplicated by participant id, the local person first. */
export function presentPeople(states: Map<number, unknown>, selfId: string): PresentPerson[] {
  const people = new Map<string, PresentPerson>()
  for (const state of states.values()) {
    const user = readAwarenessUser(state)
    if (!user || people.has(user.id)) continue
    people.set(user.id, {
      id: user.id,
      name: user.name,
      organisation: user.organisation,
      color: user.color ?? participantColor(user.id),
      isSelf: user.id === selfId,
    })
  }
  return [...people.values()].sort(
    (a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name),
  )
}
