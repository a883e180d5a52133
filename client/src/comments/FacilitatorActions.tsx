import { statusLabels, type ThreadDTO, type ThreadStatus } from '@plenary/shared/threads'
import { useId } from 'react'
import { applyProposal, patchThread } from '../api/threads.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'
import { DispositionForm } from './DispositionForm.tsx'

const t = strings.comments
const settable: ThreadStatus[] = ['open', 'under_consideration', 'closed']

type FacilitatorActionsProps = {
  thread: ThreadDTO
  onThread: (thread: ThreadDTO) => void
  announce: (message: string) => void
}

/** For pen holders and the secretariat: status, disposition, applying proposed wording. */
export function FacilitatorActions({ thread, onThread, announce }: FacilitatorActionsProps) {
  const ids = useId()
  const action = useAction()

  const setStatus = async (status: ThreadStatus, message: string) => {
    const result = await action.run(() => patchThread(thread.id, { status }))
    if (result) {
      onThread(result.thread)
      announce(message)
    }
  }

  const apply = async () => {
    const result = await action.run(() => applyProposal(thread.id))
    if (result) {
      onThread(result.thread)
      announce(t.announce.applied)
    }
  }

  if (thread.status === 'withdrawn') return null
  const canApply =
    thread.proposal !== null && thread.proposal.appliedAt === null && thread.anchor.blockId !== null
  return (
    <section className="thread-actions" aria-label={t.card.actions}>
      <div className="thread-actions__row">
        <label className="inline-field" htmlFor={`${ids}-status`}>
          <span>{t.status.label}</span>
          <select
            id={`${ids}-status`}
            name="status"
            className="select select--small"
            value={thread.status}
            disabled={action.busy}
            onChange={(event) => {
              const status = event.target.value as ThreadStatus
              void setStatus(status, t.status.changed(statusLabels[status]))
            }}
          >
            {settable.map((status) => (
              <option key={status} value={status}>
                {statusLabels[status]}
              </option>
            ))}
          </select>
        </label>
        {thread.status === 'closed' && (
          <button
            type="button"
            className="button button--small"
            onClick={() => void setStatus('open', t.announce.reopened)}
            disabled={action.busy}
          >
            {t.card.reopen}
          </button>
        )}
        {canApply && (
          <button
            type="button"
            className="button button--small button--primary"
            data-testid="apply-proposal"
            onClick={apply}
            disabled={action.busy || thread.anchor.state === 'orphaned'}
          >
            {action.busy ? t.proposal.applying : t.proposal.apply}
          </button>
        )}
      </div>
      {action.error && (
        <p className="error-text" role="alert">
          {action.error}
        </p>
      )}
      <DispositionForm
        key={thread.disposition?.decidedAt ?? 'none'}
        thread={thread}
        onThread={onThread}
        announce={announce}
      />
    </section>
  )
}
