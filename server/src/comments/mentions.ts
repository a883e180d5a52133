import type { Mention, ParticipantRecord } from '../storage/Store.ts'

/**
 * The participants and organisations a message mentions with `@Name` or `@Organisation`, matched
 * against the people who exist (longest names first, so "@Republic of Korea" is not "@Republic").
 */
export function findMentions(body: string, people: ParticipantRecord[]): Mention[] {
  const text = body.toLowerCase()
  const found: Mention[] = []
  const taken: [number, number][] = []
  const candidates = [
    ...people
      .filter((p) => !p.revokedAt)
      .map((p) => ({ label: p.name, mention: { participantId: p.id, organisation: null } })),
    ...[...new Set(people.map((p) => p.organisation))].map((organisation) => ({
      label: organisation,
      mention: { participantId: null, organisation },
    })),
  ].sort((a, b) => b.label.length - a.label.length)
  for (const { label, mention } of candidates) {
    const needle = `@${label.toLowerCase()}`
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      const end = at + needle.length
      if (/[\p{L}\p{N}]/u.test(text[end] ?? '')) continue
      if (taken.some(([s, e]) => at < e && end > s)) continue
      taken.push([at, end])
      if (
        !found.some(
          (m) => m.participantId === mention.participantId && m.organisation === mention.organisation,
        )
      ) {
        found.push(mention)
      }
    }
  }
  return found
}
