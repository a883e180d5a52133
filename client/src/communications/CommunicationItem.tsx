import type { ParticipantRef } from '@plenary/shared/api'
import type { Block } from '@plenary/shared/blocks'
import type { CommunicationDTO, ThreadDTO } from '@plenary/shared/threads'
import { useId, useState } from 'react'
import { acknowledgeCommunication } from '../api/communications.ts'
import { formatDate, formatDateTime } from '../components/dates.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'
import { ThreadFromCommunication } from './ThreadFromCommunication.tsx'

const t = strings.communications

type CommunicationItemProps = {
  communication: CommunicationDTO
  blocks: Block[] | null
  authors: ParticipantRef[]
  onCommunication: (communication: CommunicationDTO) => void
  onAcknowledged: (communicationId: string) => void
  onThreadCreated: (thread: ThreadDTO) => void
  onOpenThread: (threadId: string) => void
  /** Where a thread is and what kind, for the links to it ("¶ C13 · Question"). */
  threadLabel: (threadId: string) => string
  announce: (message: string) => void
}

/** One communication: sender, reference, dates, acknowledgement, its text and its threads. */
export function CommunicationItem({
  communication: c,
  blocks,
  authors,
  onCommunication,
  onAcknowledged,
  onThreadCreated,
  onOpenThread,
  threadLabel,
  announce,
}: CommunicationItemProps) {
  const ids = useId()
  const [showText, setShowText] = useState(false)
  const [showAck, setShowAck] = useState(false)
  const [adding, setAdding] = useState(false)
  const action = useAction()

  const acknowledge = async () => {
    const result = await action.run(() => acknowledgeCommunication(c.id))
    if (result) {
      onAcknowledged(c.id)
      onCommunication({ ...result.communication, acknowledgement: result.acknowledgement })
      setShowAck(true)
      announce(strings.comments.announce.acknowledged)
    }
  }

  return (
    <article
      className={`communication${c.acknowledgedAt ? '' : ' communication--awaiting'}`}
      data-testid="communication"
      data-communication-id={c.id}
      aria-labelledby={`${ids}-from`}
    >
      <header className="communication__head">
        <h3 id={`${ids}-from`} className="communication__from">
          {c.organisation}
        </h3>
        <span className="badge badge--channel">{t.channels[c.channel] ?? c.channel}</span>
      </header>
      <p className="communication__meta">
        {c.reference && (
          <>
            <span>
              {t.reference} {c.reference}
            </span>
            {' · '}
          </>
        )}
        <span>
          {t.sent(formatDate(c.sentAt))}, {t.received(formatDate(c.receivedAt))}
        </span>
      </p>

      <div className="communication__ack">
        {c.acknowledgedAt ? (
          <p className="communication__ack-line">
            <span className="badge badge--done">
              <span aria-hidden="true">✓ </span>
              {t.acknowledgedOn(formatDateTime(c.acknowledgedAt))}
            </span>
            {c.acknowledgement && (
              <button
                type="button"
                className="link-button"
                aria-expanded={showAck}
                aria-controls={`${ids}-ack`}
                onClick={() => setShowAck((value) => !value)}
              >
                {showAck ? t.hideAcknowledgement : t.showAcknowledgement}
              </button>
            )}
          </p>
        ) : (
          <p className="communication__ack-line">
            <span className="badge badge--waiting">{t.notAcknowledged}</span>
            <button
              type="button"
              className="button button--small button--primary"
              data-testid="acknowledge-communication"
              onClick={acknowledge}
              disabled={action.busy}
            >
              {action.busy ? t.acknowledging : t.acknowledge}
            </button>
          </p>
        )}
        {showAck && c.acknowledgement && (
          <p id={`${ids}-ack`} className="ack-text" data-testid="communication-acknowledgement">
            {c.acknowledgement}
          </p>
        )}
        {action.error && (
          <p className="error-text" role="alert">
            {action.error}
          </p>
        )}
      </div>

      {c.threadIds.length > 0 && (
        <p className="communication__threads">
          <span>{t.threads(c.threadIds.length)}: </span>
          {c.threadIds.map((threadId) => (
            <button
              key={threadId}
              type="button"
              className="link-button"
              onClick={() => onOpenThread(threadId)}
            >
              {threadLabel(threadId)}
            </button>
          ))}
        </p>
      )}

      <div className="communication__actions">
        <button
          type="button"
          className="link-button"
          aria-expanded={showText}
          aria-controls={`${ids}-text`}
          onClick={() => setShowText((value) => !value)}
        >
          {showText ? t.hideText : t.showText}
        </button>
        {!adding && (
          <button type="button" className="button button--small" onClick={() => setAdding(true)}>
            {t.addThread}
          </button>
        )}
      </div>
      {showText && (
        <div id={`${ids}-text`} className="communication__text">
          {c.text}
        </div>
      )}
      {adding && (
        <ThreadFromCommunication
          communication={c}
          blocks={blocks}
          authors={authors}
          onCreated={(thread) => {
            setAdding(false)
            announce(t.threadForm.added)
            onThreadCreated(thread)
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </article>
  )
}
