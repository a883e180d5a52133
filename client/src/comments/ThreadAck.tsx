import type { ThreadDTO } from '@plenary/shared/threads'
import { useId, useState } from 'react'
import { patchThread } from '../api/threads.ts'
import { formatDateTime } from '../components/dates.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'

const t = strings.comments.card

type ThreadAckProps = {
  thread: ThreadDTO
  /** The secretariat may acknowledge (the button shows only when the card is open). */
  canAcknowledge: boolean
  onThread: (thread: ThreadDTO) => void
  announce: (message: string) => void
}

/** Acknowledgement of receipt: its date for everyone, its text on demand, the button for the secretariat. */
export function ThreadAck({ thread, canAcknowledge, onThread, announce }: ThreadAckProps) {
  const ids = useId()
  const [shown, setShown] = useState(false)
  const action = useAction()

  const acknowledge = async () => {
    const result = await action.run(() => patchThread(thread.id, { acknowledge: true }))
    if (result) {
      onThread(result.thread)
      setShown(true)
      announce(strings.comments.announce.acknowledged)
    }
  }

  if (!thread.acknowledgedAt) {
    if (!canAcknowledge) return null
    return (
      <div className="thread-ack">
        <button
          type="button"
          className="button button--small"
          data-testid="acknowledge"
          onClick={acknowledge}
          disabled={action.busy}
        >
          {action.busy ? t.acknowledging : t.acknowledge}
        </button>
        {action.error && (
          <p className="error-text" role="alert">
            {action.error}
          </p>
        )}
      </div>
    )
  }
  return (
    <div className="thread-ack" data-testid="thread-ack">
      <p className="thread-ack__line">
        <span>
          <span aria-hidden="true">✓ </span>
          {t.acknowledged(formatDateTime(thread.acknowledgedAt))}
        </span>
        {thread.acknowledgement && (
          <button
            type="button"
            className="link-button"
            aria-expanded={shown}
            aria-controls={`${ids}-text`}
            onClick={() => setShown((value) => !value)}
          >
            {shown ? t.hideAcknowledgement : t.showAcknowledgement}
          </button>
        )}
      </p>
      {shown && thread.acknowledgement && (
        <p id={`${ids}-text`} className="thread-ack__text">
          {thread.acknowledgement}
        </p>
      )}
    </div>
  )
}
