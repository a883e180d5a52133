import type { RevisionDTO } from '@plenary/shared/revisions'
import { useEffect, useRef, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import { strings } from '../strings.ts'
import { restoreRevision } from './historyApi.ts'
import { PublishForm } from './PublishForm.tsx'
import { RevisionItem } from './RevisionItem.tsx'
import { RevisionText } from './RevisionText.tsx'
import type { useRevisions } from './useRevisions.ts'

const t = strings.history

type HistoryDialogProps = {
  documentId: string
  canRevise: boolean
  revisions: ReturnType<typeof useRevisions>
  onCompare: (fromRevisionId: string) => void
  onClose: () => void
}

/** Published revisions and, between them, automatic checkpoints; publish, read, compare, restore. */
export function HistoryDialog({ documentId, canRevise, revisions, onCompare, onClose }: HistoryDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [publishing, setPublishing] = useState(false)
  const [shown, setShown] = useState<RevisionDTO | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
  }, [])

  const restore = async (revision: RevisionDTO) => {
    if (!window.confirm(t.restoreConfirm(revision.label))) return
    try {
      await restoreRevision(documentId, revision.id)
      setMessage(t.restored(revision.label))
      await revisions.reload()
    } catch (caught) {
      setMessage(errorMessage(caught))
    }
  }

  const list = [...(revisions.list?.revisions ?? [])].reverse()
  return (
    <dialog
      ref={dialog}
      className="history-dialog"
      data-testid="history"
      aria-labelledby="history-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <div className="history-dialog__head">
        <h2 id="history-title">{t.title}</h2>
        <button type="button" className="button button--small" onClick={() => dialog.current?.close()}>
          {t.close}
        </button>
      </div>
      {canRevise && revisions.list && (
        <div className="history-dialog__publish">
          <button
            type="button"
            className="button button--primary"
            data-testid="publish-revision"
            aria-expanded={publishing}
            onClick={() => setPublishing(!publishing)}
          >
            {t.publishOpen}
          </button>
          {publishing && (
            <PublishForm
              documentId={documentId}
              next={revisions.list.next}
              onPublished={() => {
                setPublishing(false)
                void revisions.reload()
              }}
            />
          )}
        </div>
      )}
      <p className="history-dialog__status" role="status">
        {message}
      </p>
      {revisions.error && <p className="error-text">{revisions.error}</p>}
      {shown ? (
        <section className="history-dialog__text" aria-label={t.textOf(shown.label)}>
          <button type="button" className="link-button" onClick={() => setShown(null)}>
            {t.back}
          </button>
          <h3>{t.textOf(shown.label)}</h3>
          <RevisionText documentId={documentId} revisionId={shown.id} />
        </section>
      ) : list.length === 0 ? (
        <p className="hint">{t.empty}</p>
      ) : (
        <ol className="history-dialog__list">
          {list.map((revision) => (
            <RevisionItem
              key={revision.id}
              revision={revision}
              canRevise={canRevise}
              onCompare={onCompare}
              onShow={setShown}
              onRestore={restore}
            />
          ))}
        </ol>
      )}
    </dialog>
  )
}
