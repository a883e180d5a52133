import { useRef, useState } from 'react'
import '../styles/history.css'
import type { CollabSession } from '../collab/CollabSession.ts'
import { strings } from '../strings.ts'
import { CompareDialog } from './CompareDialog.tsx'
import { HistoryDialog } from './HistoryDialog.tsx'
import { useRevisions } from './useRevisions.ts'

const t = strings.history

type HistoryControlsProps = { session: CollabSession; documentId: string; canRevise: boolean }

/** "History" and "Compare" in the document bar, their dialogs, and the notice of new revisions. */
export function HistoryControls({ session, documentId, canRevise }: HistoryControlsProps) {
  const revisions = useRevisions(session, documentId)
  const [dialog, setDialog] = useState<{ kind: 'history' } | { kind: 'compare'; from: string | null } | null>(
    null,
  )
  const historyButton = useRef<HTMLButtonElement>(null)
  const compareButton = useRef<HTMLButtonElement>(null)
  const close = (button: HTMLButtonElement | null) => () => {
    setDialog(null)
    button?.focus()
  }
  return (
    <>
      <span className="revision-notice" data-testid="revision-notice" role="status">
        {revisions.notice}
      </span>
      <button
        ref={historyButton}
        type="button"
        className="doc-bar__button"
        data-testid="open-history"
        aria-haspopup="dialog"
        aria-expanded={dialog?.kind === 'history'}
        onClick={() => setDialog({ kind: 'history' })}
      >
        {t.open}
      </button>
      <button
        ref={compareButton}
        type="button"
        className="doc-bar__button"
        data-testid="open-compare"
        aria-haspopup="dialog"
        aria-expanded={dialog?.kind === 'compare'}
        onClick={() => setDialog({ kind: 'compare', from: null })}
      >
        {t.compare}
      </button>
      {dialog?.kind === 'history' && (
        <HistoryDialog
          documentId={documentId}
          canRevise={canRevise}
          revisions={revisions}
          onCompare={(from) => setDialog({ kind: 'compare', from })}
          onClose={close(historyButton.current)}
        />
      )}
      {dialog?.kind === 'compare' && (
        <CompareDialog
          documentId={documentId}
          revisions={revisions.list?.revisions ?? []}
          initialFrom={dialog.from}
          onClose={close(compareButton.current)}
        />
      )}
    </>
  )
}
