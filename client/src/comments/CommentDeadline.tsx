import type { DocumentDTO } from '@plenary/shared/api'
import { type FormEvent, useId, useState } from 'react'
import { setCommentDeadline } from '../api/threads.ts'
import { formatDateTime, fromMeetingInput, toMeetingInput } from '../components/dates.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'

const t = strings.comments.deadline

type CommentDeadlineProps = {
  document: DocumentDTO
  /** Pen holders and the secretariat set and clear it. */
  canSet: boolean
  onDocument: (document: DocumentDTO) => void
  announce: (message: string) => void
}

/** When comments are due, for everyone; a small form for those who may change it. */
export function CommentDeadline({ document, canSet, onDocument, announce }: CommentDeadlineProps) {
  const ids = useId()
  const [editing, setEditing] = useState(false)
  const [value, setValue] = useState('')
  const action = useAction()
  const deadline = document.commentDeadline
  const passed = deadline !== null && new Date(deadline).getTime() < Date.now()

  const save = async (next: string | null, message: string) => {
    const result = await action.run(() => setCommentDeadline(document.id, next))
    if (result) {
      onDocument(result.document)
      setEditing(false)
      announce(message)
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const iso = fromMeetingInput(value)
    if (!iso) {
      action.setError(t.invalid)
      return
    }
    void save(iso, t.saved)
  }

  return (
    <div className="deadline" data-testid="comment-deadline">
      <p className={`deadline__line${passed ? ' deadline__line--passed' : ''}`}>
        <span>
          {deadline
            ? passed
              ? t.passed(formatDateTime(deadline))
              : t.due(formatDateTime(deadline))
            : t.none}
        </span>
        {canSet && !editing && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setValue(deadline ? toMeetingInput(deadline) : '')
              setEditing(true)
            }}
          >
            {deadline ? t.change : t.set}
          </button>
        )}
      </p>
      {editing && (
        <form className="deadline__form" onSubmit={submit} noValidate>
          <label htmlFor={`${ids}-when`}>{t.label}</label>
          <input
            id={`${ids}-when`}
            name="commentDeadline"
            type="datetime-local"
            className="input"
            value={value}
            onChange={(event) => {
              setValue(event.target.value)
              action.setError(null)
            }}
            // biome-ignore lint/a11y/noAutofocus: the field the person just asked to open
            autoFocus
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary button--small" disabled={action.busy}>
              {t.save}
            </button>
            {deadline && (
              <button
                type="button"
                className="button button--small"
                disabled={action.busy}
                onClick={() => void save(null, t.removed)}
              >
                {t.remove}
              </button>
            )}
            <button type="button" className="button button--small" onClick={() => setEditing(false)}>
              {strings.cancel}
            </button>
          </div>
          {action.error && (
            <p className="error-text" role="alert">
              {action.error}
            </p>
          )}
        </form>
      )}
    </div>
  )
}
