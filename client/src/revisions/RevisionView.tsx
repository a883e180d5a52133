import type { JSONNode } from '@plenary/shared/blocks'
import type { RevisionDTO } from '@plenary/shared/revisions'
import { useEffect, useRef, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import { formatDateTime } from '../components/dates.ts'
import { strings } from '../strings.ts'
import { RestoreDialog } from './RestoreDialog.tsx'
import { RevisionText } from './RevisionText.tsx'
import { shortHash } from './redline.ts'
import { getRevisionContent, restoreRevision } from './revisionsApi.ts'
import type { RevisionRoom } from './useRevisionRoom.ts'

const t = strings.revisions.reader
const h = strings.revisions.history

type Loaded =
  | { kind: 'loading' }
  | { kind: 'ready'; content: JSONNode; revision: RevisionDTO }
  | { kind: 'error'; message: string }

type RevisionViewProps = {
  room: RevisionRoom
  revisionId: string
  titleId: string
  onClose: () => void
}

/** One revision or checkpoint, read only, with "Compare with current" and, for pen holders, restore. */
export function RevisionView({ room, revisionId, titleId, onClose }: RevisionViewProps) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' })
  const [confirming, setConfirming] = useState(false)
  const [restoring, setRestoring] = useState(false)
  const [restoreError, setRestoreError] = useState<string | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const restoreButton = useRef<HTMLButtonElement>(null)
  const listed = room.list?.revisions.find((r) => r.id === revisionId) ?? null

  useEffect(() => {
    const controller = new AbortController()
    setLoaded({ kind: 'loading' })
    getRevisionContent(room.documentId, revisionId, controller.signal).then(
      ({ content, revision }) => setLoaded({ kind: 'ready', content, revision }),
      (failure: unknown) => {
        if (!controller.signal.aborted) setLoaded({ kind: 'error', message: errorMessage(failure) })
      },
    )
    return () => controller.abort()
  }, [room.documentId, revisionId])

  const revision = loaded.kind === 'ready' ? loaded.revision : listed
  const published = revision?.kind === 'published'
  const when = revision ? formatDateTime(revision.createdAt) : ''
  const name = revision ? revision.label || h.checkpoint : ''
  const people = revision?.contributors.map((c) => c.name).join(', ') ?? ''

  const closeConfirm = () => {
    setConfirming(false)
    // Once the confirmation dialog is gone, back to the button that opened it.
    requestAnimationFrame(() => restoreButton.current?.focus())
  }

  const restore = async () => {
    if (!revision) return
    setRestoring(true)
    setRestoreError(null)
    try {
      const { changed } = await restoreRevision(room.documentId, revision.id)
      closeConfirm()
      setStatus(changed ? t.restored(name) : t.restoredUnchanged(name))
      void room.reload()
    } catch (failure) {
      setRestoreError(errorMessage(failure))
    } finally {
      setRestoring(false)
    }
  }

  return (
    <>
      <header className="reader__head">
        <div className="reader__title-row">
          <div className="reader__titles">
            <h2 id={titleId} className="reader__title">
              {revision ? (published ? t.revisionHeading(name) : t.checkpointHeading(name, when)) : t.loading}
            </h2>
            {revision && (
              <p className="reader__meta">
                {published ? t.publishedMeta(when, revision.createdByName) : t.checkpointMeta(when)}
                {!published && people && ` · ${h.editsBy(people)}`}
                {published && (
                  <>
                    {' · '}
                    <span className="reader__hash" title={h.hashTitle(revision.hash)}>
                      {h.hash(shortHash(revision.hash))}
                    </span>
                  </>
                )}
              </p>
            )}
            {revision?.symbol && <p className="reader__symbol">{revision.symbol}</p>}
            {revision?.note && <p className="reader__note">{revision.note}</p>}
          </div>
          <button type="button" className="button button--small" onClick={onClose}>
            {t.close}
          </button>
        </div>
        <div className="reader__toolbar">
          <p className="reader__read-only">{t.readOnly}</p>
          <div className="reader__actions">
            <button
              type="button"
              className="button button--small"
              data-testid="compare-with-current"
              onClick={() => room.openView({ kind: 'compare', from: revisionId, to: 'current' })}
            >
              {t.compareWithCurrent}
            </button>
            {room.canRevise && (
              <button
                ref={restoreButton}
                type="button"
                className="button button--small"
                data-testid="restore-revision"
                disabled={!revision || restoring}
                onClick={() => {
                  setRestoreError(null)
                  setConfirming(true)
                }}
              >
                {t.restore}
              </button>
            )}
          </div>
        </div>
        <p className="reader__status" role="status" data-testid="restore-status">
          {status}
        </p>
      </header>
      <div className="reader__body">
        <div className="reader__paper">
          {loaded.kind === 'loading' && <p className="revision-quiet">{t.loading}</p>}
          {loaded.kind === 'error' && (
            <p className="revision-error" role="alert">
              {loaded.message}
            </p>
          )}
          {loaded.kind === 'ready' &&
            (loaded.content.content?.length ? (
              <RevisionText content={loaded.content} />
            ) : (
              <p className="revision-quiet">{t.emptyText}</p>
            ))}
        </div>
      </div>
      {confirming && revision && (
        <RestoreDialog
          label={name}
          busy={restoring}
          error={restoreError}
          onConfirm={() => void restore()}
          onCancel={closeConfirm}
        />
      )}
    </>
  )
}
