import { useEffect, useState } from 'react'
import type { CollabSession } from './CollabSession.ts'
import { type PresentPerson, presentPeople } from './presence.ts'

const sameList = (a: PresentPerson[], b: PresentPerson[]) =>
  a.length === b.length &&
  a.every(
    (person, i) =>
      person.id === b[i].id &&
      person.name === b[i].name &&
      person.organisation === b[i].organisation &&
      person.color === b[i].color,
  )

/** Who has the document open, live from awareness. */
export function usePresence(session: CollabSession | null, selfId: string): PresentPerson[] {
  const [people, setPeople] = useState<PresentPerson[]>([])
  useEffect(() => {
    if (!session) {
      setPeople([])
      return
    }
    const awareness = session.provider.awareness
    const update = () => {
      const next = presentPeople(awareness.getStates() as Map<number, unknown>, selfId)
      setPeople((current) => (sameList(current, next) ? current : next))
    }
    update()
    awareness.on('change', update)
    return () => awareness.off('change', update)
  }, [session, selfId])
  return people
}
