import type { ThreadDTO } from '@plenary/shared/threads'
import { useState } from 'react'
import { patchThread } from '../api/threads.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'

const t = strings.comments.card

type WithdrawThreadProps = {
  threadId: string
  onThread: (thread: ThreadDTO) => void
  announce: (message: string) => void
}

/** The author withdraws their thread, after saying so twice; it stays on record. */
export function WithdrawThread({ threadId, onThread, announce }: WithdrawThreadProps) {
  const [confirming, setConfirming] = useState(false)
  const action = useAction()

  const withdraw = async () => {
    const result = await action.run(() => patchThread(threadId, { status: 'withdrawn' }))
    if (result) {
      onThread(result.thread)
      announce(strings.comments.announce.withdrawnThread)
    }
  }

  return (
    <div className="withdraw-thread">
      {confirming ? (
        <fieldset className="confirm">
          <legend className="confirm__question">{t.withdrawConfirm}</legend>
          <button
            type="button"
            className="button button--small button--danger"
            data-testid="withdraw-thread-confirm"
            onClick={withdraw}
            disabled={action.busy}
          >
            {t.withdrawYes}
          </button>
          <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
            {t.withdrawNo}
          </button>
        </fieldset>
      ) : (
        <button
          type="button"
          className="link-button link-button--danger"
          data-testid="withdraw-thread"
          onClick={() => setConfirming(true)}
        >
          {t.withdrawThread}
        </button>
      )}
      {action.error && (
        <p className="error-text" role="alert">
          {action.error}
        </p>
      )}
    </div>
  )
}
