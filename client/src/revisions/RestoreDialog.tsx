import { useEffect, useId, useRef } from 'react'
import { strings } from '../strings.ts'

const t = strings.revisions.reader

type RestoreDialogProps = {
  label: string
  busy: boolean
  error: string | null
  onConfirm: () => void
  onCancel: () => void
}

/** "Restore Rev.1?": says that the restore is a new change everyone sees, and that nothing is lost. */
export function RestoreDialog({ label, busy, error, onConfirm, onCancel }: RestoreDialogProps) {
  const ids = useId()
  const dialog = useRef<HTMLDialogElement>(null)
  const cancelButton = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
    // The safe choice has focus first.
    cancelButton.current?.focus()
  }, [])

  return (
    <dialog
      ref={dialog}
      className="restore-dialog"
      role="alertdialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-body`}
      onCancel={(event) => {
        // React passes `cancel` on to the dialogs around this one: Escape closes this one only.
        event.stopPropagation()
        event.preventDefault()
        if (!busy) onCancel()
      }}
    >
      <h3 id={`${ids}-title`} className="restore-dialog__title">
        {t.confirmHeading(label)}
      </h3>
      <div id={`${ids}-body`}>
        <p>{t.confirmBody(label)}</p>
        <p className="revision-hint">{t.confirmKeep}</p>
      </div>
      {error && (
        <p className="revision-error" role="alert">
          {error}
        </p>
      )}
      <div className="restore-dialog__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="restore-confirm"
          disabled={busy}
          onClick={onConfirm}
        >
          {busy ? t.restoring : t.confirmYes(label)}
        </button>
        <button ref={cancelButton} type="button" className="button" disabled={busy} onClick={onCancel}>
          {t.confirmNo}
        </button>
      </div>
    </dialog>
  )
}
