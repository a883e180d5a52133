import type { RevisionDTO } from '@plenary/shared/revisions'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { ApiError } from '../api/ApiError.ts'
import { errorMessage } from '../api/errorMessage.ts'
import { strings } from '../strings.ts'
import { type NextRevision, publishRevision } from './revisionsApi.ts'

const t = strings.revisions.publish

type PublishFormProps = {
  documentId: string
  next: NextRevision
  onPublished: (revision: RevisionDTO) => void
  onCancel: () => void
}

/** Publishes the live text as a named, immutable revision: label, symbol and note, prefilled. */
export function PublishForm({ documentId, next, onPublished, onCancel }: PublishFormProps) {
  const ids = useId()
  const labelInput = useRef<HTMLInputElement>(null)
  const [label, setLabel] = useState(next.label)
  const [symbol, setSymbol] = useState(next.symbol ?? '')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    labelInput.current?.focus()
    labelInput.current?.select()
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const wanted = label.trim()
    if (!wanted) {
      setError(t.labelRequired)
      labelInput.current?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      const { revision } = await publishRevision(documentId, {
        label: wanted,
        symbol: symbol.trim() || undefined,
        note: note.trim() || undefined,
      })
      onPublished(revision)
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 409 ? t.labelTaken(wanted) : errorMessage(caught),
      )
      setBusy(false)
    }
  }

  return (
    <form
      className="publish-form"
      data-testid="publish-form"
      aria-labelledby={`${ids}-heading`}
      onSubmit={submit}
      noValidate
    >
      <h3 id={`${ids}-heading`} className="publish-form__heading">
        {t.heading}
      </h3>
      <p className="revision-hint">{t.intro}</p>
      <div className="publish-form__field">
        <label htmlFor={`${ids}-label`}>{t.label}</label>
        <input
          ref={labelInput}
          id={`${ids}-label`}
          name="label"
          type="text"
          className="revision-input publish-form__label"
          value={label}
          maxLength={60}
          required
          aria-invalid={error === t.labelRequired || undefined}
          aria-describedby={`${ids}-label-hint`}
          onChange={(event) => setLabel(event.target.value)}
        />
        <span id={`${ids}-label-hint`} className="publish-form__hint">
          {t.labelHint}
        </span>
      </div>
      <div className="publish-form__field">
        <label htmlFor={`${ids}-symbol`}>{t.symbol}</label>
        <input
          id={`${ids}-symbol`}
          name="symbol"
          type="text"
          className="revision-input publish-form__symbol"
          value={symbol}
          maxLength={120}
          placeholder={t.symbolPlaceholder}
          spellCheck={false}
          aria-describedby={`${ids}-symbol-hint`}
          onChange={(event) => setSymbol(event.target.value)}
        />
        <span id={`${ids}-symbol-hint`} className="publish-form__hint">
          {t.symbolHint}
        </span>
      </div>
      <div className="publish-form__field">
        <label htmlFor={`${ids}-note`}>{t.note}</label>
        <textarea
          id={`${ids}-note`}
          name="note"
          className="revision-input revision-input--area"
          rows={2}
          maxLength={2000}
          value={note}
          placeholder={t.notePlaceholder}
          onChange={(event) => setNote(event.target.value)}
        />
      </div>
      {error && (
        <p className="revision-error" role="alert">
          {error}
        </p>
      )}
      <div className="publish-form__actions">
        <button type="submit" className="button button--primary" data-testid="publish-submit" disabled={busy}>
          {busy ? t.submitting : t.submit}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          {t.cancel}
        </button>
      </div>
    </form>
  )
}
