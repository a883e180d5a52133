import type { RevisionDTO } from '@plenary/shared/revisions'
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { strings } from '../strings.ts'
import { PublishForm } from './PublishForm.tsx'
import { RevisionItem } from './RevisionItem.tsx'
import type { RevisionRoom } from './useRevisionRoom.ts'

const t = strings.revisions.history

/**
 * The history drawer: published revisions and, between them, automatic checkpoints, newest
 * first; publishing for pen holders. Not modal: the text stays usable beside it, and Escape or
 * Close hands focus back to the History button.
 */
export function HistoryPanel({ room }: { room: RevisionRoom }) {
  const ids = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const [publishing, setPublishing] = useState(false)
  const [justPublished, setJustPublished] = useState<string | null>(null)
  const { list, error, closeHistory } = room

  useEffect(() => {
    heading.current?.focus()
  }, [])

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.stopPropagation()
      closeHistory()
    }
  }

  const newestFirst = list ? [...list.revisions].reverse() : []
  const lastPublished = newestFirst.find((r) => r.kind === 'published')
  const open = (revision: RevisionDTO) => room.openView({ kind: 'revision', revisionId: revision.id })

  return (
    // Escape anywhere in the drawer closes it, as the communications drawer does.
    <section
      className="revision-drawer"
      data-testid="history"
      aria-labelledby={`${ids}-heading`}
      // Clicks on its text keep focus in the drawer, so Escape still closes it.
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="revision-drawer__head">
        <h2 id={`${ids}-heading`} ref={heading} tabIndex={-1} className="revision-drawer__title">
          {t.heading}
        </h2>
        <button type="button" className="button button--small" onClick={closeHistory}>
          {t.close}
        </button>
      </header>
      <p className="revision-hint">{t.intro}</p>
      <div className="revision-drawer__actions">
        {room.canRevise && !publishing && (
          <button
            type="button"
            className="button button--small button--primary"
            data-testid="publish-revision"
            disabled={!list}
            onClick={() => setPublishing(true)}
          >
            {t.publish}
          </button>
        )}
        {lastPublished && (
          <button
            type="button"
            className="button button--small"
            onClick={() => room.openView({ kind: 'compare', from: null, to: 'current' })}
          >
            {t.changesSince(lastPublished.label)}
          </button>
        )}
      </div>
      {publishing && list && (
        <PublishForm
          documentId={room.documentId}
          next={list.next}
          onPublished={(revision) => {
            setPublishing(false)
            setJustPublished(revision.id)
            room.published(revision)
          }}
          onCancel={() => setPublishing(false)}
        />
      )}
      {error && (
        <p className="revision-error" role="alert">
          {error}
        </p>
      )}
      {list === null ? (
        !error && <p className="revision-quiet">{t.loading}</p>
      ) : newestFirst.length === 0 ? (
        <p className="revision-quiet">{t.empty}</p>
      ) : (
        <ol className="revision-list" aria-label={t.listLabel}>
          {newestFirst.map((revision) => (
            <RevisionItem
              key={revision.id}
              revision={revision}
              focus={revision.id === justPublished}
              onOpen={open}
            />
          ))}
        </ol>
      )}
    </section>
  )
}
