import { initials, textColorOn } from '../collab/colors.ts'
import type { PresentPerson } from '../collab/presence.ts'
import { strings } from '../strings.ts'

/** Who has the document open: coloured initials, name and organisation; "you" marked. */
export function PresenceList({ people }: { people: PresentPerson[] }) {
  return (
    <section className="presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading" className="sidebar-heading">
        {strings.presence.heading}
        <span className="sidebar-heading__count">{people.length > 0 ? ` · ${people.length}` : ''}</span>
      </h2>
      <ul className="presence__list" data-testid="presence" aria-label={strings.presence.listLabel}>
        {people.map((person) => (
          <li key={person.id} className="presence__item" data-testid="presence-item">
            <span
              className="avatar"
              style={{ backgroundColor: person.color, color: textColorOn(person.color) }}
              aria-hidden="true"
            >
              {initials(person.name)}
            </span>
            <span className="presence__text">
              <span className="presence__name">
                {person.name}
                {person.isSelf && <span className="presence__you"> {strings.presence.you}</span>}
              </span>
              <span className="presence__org">{person.organisation}</span>
            </span>
          </li>
        ))}
      </ul>
      {people.length === 1 && people[0].isSelf && (
        <p className="quiet presence__alone">{strings.presence.alone}</p>
      )}
    </section>
  )
}
