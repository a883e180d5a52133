import type { ThreadDTO } from '@plenary/shared/threads'
import { type FormEvent, useId, useState } from 'react'
import { replyToThread } from '../api/threads.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'

const t = strings.comments.reply

type ReplyFormProps = {
  threadId: string
  onThread: (thread: ThreadDTO) => void
  announce: (message: string) => void
}

/** The reply box under a conversation; Ctrl+Enter sends. */
export function ReplyForm({ threadId, onThread, announce }: ReplyFormProps) {
  const ids = useId()
  const [body, setBody] = useState('')
  const action = useAction()

  const submit = async (event?: FormEvent) => {
    event?.preventDefault()
    const text = body.trim()
    if (!text) {
      action.setError(t.empty)
      return
    }
    const result = await action.run(() => replyToThread(threadId, text))
    if (result) {
      setBody('')
      onThread(result.thread)
      announce(strings.comments.announce.replied)
    }
  }

  return (
    <form className="reply-form" onSubmit={submit} noValidate>
      <label className="visually-hidden" htmlFor={`${ids}-reply`}>
        {t.label}
      </label>
      <textarea
        id={`${ids}-reply`}
        name="reply"
        className="textarea"
        rows={2}
        placeholder={t.placeholder}
        value={body}
        onChange={(event) => {
          setBody(event.target.value)
          if (action.error) action.setError(null)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault()
            void submit()
          }
        }}
        aria-invalid={action.error ? true : undefined}
        aria-describedby={action.error ? `${ids}-error` : undefined}
      />
      {action.error && (
        <p id={`${ids}-error`} className="error-text" role="alert">
          {action.error}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary button--small"
          data-testid="reply-submit"
          disabled={action.busy}
        >
          {action.busy ? t.sending : t.submit}
        </button>
      </div>
    </form>
  )
}
