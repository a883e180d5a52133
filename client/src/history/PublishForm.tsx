import { type FormEvent, useId, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import { strings } from '../strings.ts'
import { publishRevision } from './historyApi.ts'

const t = strings.history

type PublishFormProps = {
  documentId: string
  next: { label: string; symbol: string | null }
  onPublished: () => void
}

/** Publishes the live text as a named, immutable revision (Draft, Rev.1, …). */
export function PublishForm({ documentId, next, onPublished }: PublishFormProps) {
  const id = useId()
  const [label, setLabel] = useState(next.label)
  const [symbol, setSymbol] = useState(next.symbol ?? '')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await publishRevision(documentId, {
        label: label.trim() || undefined,
        symbol: symbol.trim() || undefined,
        note: note.trim() || undefined,
      })
      onPublished()
    } catch (caught) {
      setError(errorMessage(caught))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="publish-form" data-testid="publish-form" onSubmit={submit}>
      <p className="hint">{t.publishHint}</p>
      <div className="publish-form__row">
        <label htmlFor={`${id}-label`}>{t.label}</label>
        <input
          id={`${id}-label`}
          name="label"
          className="input"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
      </div>
      <div className="publish-form__row">
        <label htmlFor={`${id}-symbol`}>{t.symbol}</label>
        <input
          id={`${id}-symbol`}
          name="symbol"
          className="input"
          value={symbol}
          placeholder="ATT/CSP7.WGETI/2021/CHAIR/…"
          onChange={(e) => setSymbol(e.target.value)}
        />
      </div>
      <div className="publish-form__row">
        <label htmlFor={`${id}-note`}>{t.note}</label>
        <textarea
          id={`${id}-note`}
          name="note"
          className="input"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" data-testid="publish-submit" disabled={busy}>
        {busy ? t.publishing : t.publish}
      </button>
    </form>
  )
}
