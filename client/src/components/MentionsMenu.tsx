import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import { listMentions, type Mention } from '../api/mentions.ts'
import { documentPath } from '../navigation/routes.ts'
import { strings } from '../strings.ts'
import { formatDateTime } from './dates.ts'
import { Link } from './Link.tsx'

const t = strings.mentions
const EXCERPT = 140

/**
 * "Mentions" in the header: messages that name the signed-in person or their organisation, each
 * linking to its thread. Fetched when the page opens and each time the list is opened.
 */
export function MentionsMenu() {
  const ids = useId()
  const root = useRef<HTMLDivElement>(null)
  const [open, setOpen] = useState(false)
  const [mentions, setMentions] = useState<Mention[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback((signal?: AbortSignal) => {
    listMentions(signal).then(
      (response) => {
        setMentions([...response.mentions].sort((a, b) => b.createdAt.localeCompare(a.createdAt)))
        setError(null)
      },
      (failure: unknown) => {
        if (!signal?.aborted) setError(errorMessage(failure))
      },
    )
  }, [])

  useEffect(() => {
    const controller = new AbortController()
    load(controller.signal)
    return () => controller.abort()
  }, [load])

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

  const count = mentions?.length ?? 0
  return (
    <div ref={root} className="mentions">
      <button
        type="button"
        className="mentions__button"
        data-testid="mentions"
        aria-expanded={open}
        aria-controls={`${ids}-panel`}
        onClick={() => {
          if (!open) load()
          setOpen((value) => !value)
        }}
      >
        <span aria-hidden="true" className="mentions__at">
          @
        </span>
        {count > 0 ? t.buttonWithCount(count) : t.button}
      </button>
      {open && (
        <section id={`${ids}-panel`} className="mentions__panel" aria-labelledby={`${ids}-heading`}>
          <h2 id={`${ids}-heading`} className="mentions__heading">
            {t.heading}
          </h2>
          {error ? (
            <p className="error-text">{`${t.failed} ${error}`}</p>
          ) : count === 0 ? (
            <p className="quiet">{t.none}</p>
          ) : (
            <ul className="mentions__list">
              {mentions?.map((mention) => (
                <li key={mention.messageId} className="mentions__item">
                  <Link
                    href={`${documentPath(mention.documentId)}?thread=${encodeURIComponent(mention.threadId)}`}
                    className="mentions__link"
                    onClick={() => setOpen(false)}
                  >
                    <span className="mentions__body">
                      {mention.body.length > EXCERPT
                        ? `${mention.body.slice(0, EXCERPT - 1)}…`
                        : mention.body}
                    </span>
                    <span className="mentions__when">{formatDateTime(mention.createdAt)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  )
}
