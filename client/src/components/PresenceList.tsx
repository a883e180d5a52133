import { useEffect, useId, useRef, useState } from 'react'
import { initials, textColorOn } from '../collab/colors.ts'
import type { PresentPerson } from '../collab/presence.ts'
import { strings } from '../strings.ts'

/** Avatars shown in the bar before the rest are counted. */
const SHOWN = 5

/**
 * Who has the document open, compact in the document bar: coloured initials (names on hover and
 * for screen readers); the button beside them opens the same list with names and organisations.
 */
export function PresenceList({ people }: { people: PresentPerson[] }) {
  const ids = useId()
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!open) return
    const close = (event: Event) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !root.current?.contains(event.target as Node)
      )
        setOpen(false)
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])

  const hidden = Math.max(0, people.length - SHOWN)
  return (
    <div ref={root} className={`presence-bar${open ? ' presence-bar--open' : ''}`}>
      <h2 id={`${ids}-heading`} className="visually-hidden">
        {strings.presence.heading}
      </h2>
      <ul
        id={`${ids}-list`}
        className="presence-bar__list"
        data-testid="presence"
        aria-label={strings.presence.listLabel}
      >
        {people.map((person, index) => (
          <li
            key={person.id}
            className={`presence-bar__item${index >= SHOWN ? ' presence-bar__item--more' : ''}`}
            data-testid="presence-item"
            title={`${person.name} — ${person.organisation}`}
          >
            <span
              className="avatar avatar--small"
              style={{ backgroundColor: person.color, color: textColorOn(person.color) }}
              aria-hidden="true"
            >
              {initials(person.name)}
            </span>
            <span className="presence-bar__text">
              <span className="presence-bar__name">
                {person.name}
                {person.isSelf && <span className="presence-bar__you"> {strings.presence.you}</span>}
              </span>
              <span className="presence-bar__org">{person.organisation}</span>
            </span>
          </li>
        ))}
      </ul>
      {hidden > 0 && !open && (
        <span className="presence-bar__more" aria-hidden="true">
          {strings.presence.more(hidden)}
        </span>
      )}
      <button
        type="button"
        className="presence-bar__toggle"
        aria-expanded={open}
        aria-controls={`${ids}-list`}
        aria-describedby={`${ids}-heading`}
        onClick={() => setOpen((value) => !value)}
      >
        {strings.presence.summary(people.length)}
      </button>
    </div>
  )
}
