import type { RevisionDTO } from '@plenary/shared/revisions'
import { useEffect, useRef } from 'react'
import { formatDateTime } from '../components/dates.ts'
import { strings } from '../strings.ts'
import { shortHash } from './redline.ts'

const t = strings.revisions.history

type RevisionItemProps = {
  revision: RevisionDTO
  /** Take focus once rendered (the revision just published here). */
  focus: boolean
  onOpen: (revision: RevisionDTO) => void
}

/**
 * One entry of the history: a published revision (label, symbol, when, by whom, note, hash) or,
 * smaller, an automatic checkpoint (when, and whose edits it holds). Its button opens the text.
 */
export function RevisionItem({ revision, focus, onOpen }: RevisionItemProps) {
  const button = useRef<HTMLButtonElement>(null)
  const published = revision.kind === 'published'
  const when = formatDateTime(revision.createdAt)
  const people = revision.contributors.map((c) => c.name).join(', ')

  useEffect(() => {
    if (focus) button.current?.focus()
  }, [focus])

  return (
    <li
      className={`revision-item revision-item--${revision.kind}`}
      data-testid="revision-item"
      data-revision-id={revision.id}
      data-kind={revision.kind}
    >
      <button
        ref={button}
        type="button"
        className="revision-item__open"
        aria-label={t.openLabel(published ? revision.label : revision.label || t.checkpoint, when)}
        onClick={() => onOpen(revision)}
      >
        <span className="revision-item__label">{revision.label || t.checkpoint}</span>
        <span className="revision-item__when">{when}</span>
      </button>
      {published ? (
        <>
          {revision.symbol && <p className="revision-item__symbol">{revision.symbol}</p>}
          {revision.createdByName && (
            <p className="revision-item__by">{t.publishedBy(revision.createdByName)}</p>
          )}
          {revision.note && <p className="revision-item__note">{revision.note}</p>}
          <p className="revision-item__hash" title={t.hashTitle(revision.hash)}>
            {t.hash(shortHash(revision.hash))}
          </p>
        </>
      ) : (
        <p className="revision-item__by">{people ? t.editsBy(people) : t.noEditors}</p>
      )}
    </li>
  )
}
