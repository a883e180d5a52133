import { type Outcome, Outcomes, outcomeLabels, type ThreadDTO } from '@plenary/shared/threads'
import { type FormEvent, useId, useState } from 'react'
import { patchThread } from '../api/threads.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'

const t = strings.comments.disposition

type DispositionFormProps = {
  thread: ThreadDTO
  onThread: (thread: ThreadDTO) => void
  announce: (message: string) => void
}

/** The facilitator's answer: an outcome and a response (required when not incorporated). */
export function DispositionForm({ thread, onThread, announce }: DispositionFormProps) {
  const ids = useId()
  const [outcome, setOutcome] = useState<Outcome | ''>(thread.disposition?.outcome ?? '')
  const [response, setResponse] = useState(thread.disposition?.response ?? '')
  const action = useAction()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!outcome) {
      action.setError(t.outcomeRequired)
      return
    }
    if (outcome === 'not_incorporated' && !response.trim()) {
      action.setError(t.responseRequired)
      return
    }
    const result = await action.run(() =>
      patchThread(thread.id, { disposition: { outcome, response: response.trim() } }),
    )
    if (result) {
      onThread(result.thread)
      announce(t.saved)
    }
  }

  const clear = async () => {
    const result = await action.run(() => patchThread(thread.id, { disposition: null }))
    if (result) {
      onThread(result.thread)
      setOutcome('')
      setResponse('')
    }
  }

  return (
    <form className="disposition-form" onSubmit={submit} noValidate>
      <div className="field field--compact">
        <label htmlFor={`${ids}-outcome`}>{t.outcome}</label>
        <select
          id={`${ids}-outcome`}
          name="outcome"
          className="select"
          value={outcome}
          onChange={(event) => {
            setOutcome(event.target.value as Outcome | '')
            action.setError(null)
          }}
        >
          <option value="">{t.chooseOutcome}</option>
          {Outcomes.map((value) => (
            <option key={value} value={value}>
              {outcomeLabels[value]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--compact">
        <label htmlFor={`${ids}-response`}>{t.response}</label>
        <textarea
          id={`${ids}-response`}
          name="response"
          className="textarea"
          rows={2}
          value={response}
          required={outcome === 'not_incorporated'}
          aria-invalid={action.error === t.responseRequired ? true : undefined}
          aria-describedby={action.error ? `${ids}-error` : undefined}
          onChange={(event) => {
            setResponse(event.target.value)
            action.setError(null)
          }}
        />
      </div>
      {action.error && (
        <p id={`${ids}-error`} className="error-text" role="alert">
          {action.error}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button--small"
          data-testid="disposition-submit"
          disabled={action.busy}
        >
          {thread.disposition ? t.update : t.submit}
        </button>
        {thread.disposition && (
          <button type="button" className="link-button" onClick={clear} disabled={action.busy}>
            {t.clear}
          </button>
        )}
      </div>
    </form>
  )
}
