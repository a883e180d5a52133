import { kindLabels, outcomeLabels, statusLabels, type ThreadDTO } from '@plenary/shared/threads'
import { type MouseEvent, memo, useId } from 'react'
import { formatDateTime } from '../components/dates.ts'
import { strings } from '../strings.ts'
import { type CardEnv, canComment, isSecretariat } from './cardEnv.ts'
import { FacilitatorActions } from './FacilitatorActions.tsx'
import { threadPlace } from './placeLabel.ts'
import { ReplyForm } from './ReplyForm.tsx'
import type { Reveal } from './reveal.ts'
import { ThreadAck } from './ThreadAck.tsx'
import { ThreadMessage } from './ThreadMessage.tsx'
import { WithdrawThread } from './WithdrawThread.tsx'

const t = strings.comments

type ThreadCardProps = {
  thread: ThreadDTO
  env: CardEnv
  expanded: boolean
  /** Opens (or, with null, closes) a card, and shows or selects its words in the text. */
  onActivate: (threadId: string | null, reveal: Reveal) => void
  /** Cards beside the text are placed by the margin's layout (absolute); the others flow. */
  placed?: boolean
  cardRef?: (element: HTMLElement | null) => void
}

const INTERACTIVE = 'button, a, input, textarea, select, label, summary, fieldset'

function Quote({ thread }: { thread: ThreadDTO }) {
  const { anchor } = thread
  if (anchor.state === 'document') return null
  if (anchor.state === 'orphaned') {
    return (
      <blockquote className="thread-quote thread-quote--orphaned" data-testid="thread-quote">
        <span className="visually-hidden">{t.card.originalQuote}: </span>
        <del>{anchor.originalQuote || anchor.quote}</del>
      </blockquote>
    )
  }
  if (anchor.state === 'paragraph') {
    return (
      <p className="thread-quote thread-quote--paragraph" data-testid="thread-quote">
        <span className="thread-quote__label">{t.card.wholeParagraph}</span> {anchor.quote}
      </p>
    )
  }
  return (
    <blockquote className="thread-quote" data-testid="thread-quote">
      {anchor.quote}
    </blockquote>
  )
}

function Proposal({ thread }: { thread: ThreadDTO }) {
  const { proposal } = thread
  if (!proposal) return null
  return (
    <div className="proposal">
      <p className="proposal__action">{t.proposal[proposal.action]}</p>
      {proposal.action !== 'delete' && <p className="proposal__text">{proposal.text}</p>}
      {proposal.appliedAt && (
        <p className="proposal__applied">
          <span className="badge badge--applied">{t.proposal.applied}</span>
          <span className="quiet">{t.proposal.appliedOn(formatDateTime(proposal.appliedAt))}</span>
        </p>
      )}
    </div>
  )
}

/**
 * A thread in the margin: who, on what, the conversation, and what was decided. Drawn again only
 * when one of its props changes: a long draft has hundreds of cards, and typing changes none.
 */
export const ThreadCard = memo(function ThreadCard({
  thread,
  env,
  expanded,
  onActivate,
  placed = false,
  cardRef,
}: ThreadCardProps) {
  const ids = useId()
  const { participant } = env
  const author = thread.author
  const mine = author.participantId === participant.id
  const withdrawn = thread.status === 'withdrawn'
  const place = threadPlace(thread, env.places)
  const canReply = canComment(participant) && !withdrawn
  const canWithdraw = mine && !withdrawn
  const canDecide = env.canDispose && !withdrawn

  const onClick = (event: MouseEvent<HTMLElement>) => {
    const target = event.target as HTMLElement
    if (target.closest(INTERACTIVE)) return
    if (window.getSelection()?.toString()) return // selecting words of a message to copy them
    onActivate(thread.id, 'select')
  }

  const className = [
    'thread-card',
    `thread-card--${thread.status}`,
    expanded ? 'thread-card--expanded' : '',
    placed ? 'thread-card--placed' : '',
  ]
    .filter(Boolean)
    .join(' ')

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: keyboard users open the card with its heading button
    <article
      ref={cardRef}
      className={className}
      data-testid="thread-card"
      data-thread-id={thread.id}
      data-status={thread.status}
      data-block-id={thread.anchor.blockId ?? undefined}
      data-expanded={expanded}
      aria-labelledby={`${ids}-toggle`}
      onClick={onClick}
    >
      <header className="thread-card__head">
        <button
          type="button"
          id={`${ids}-toggle`}
          className="thread-card__toggle"
          aria-expanded={expanded}
          aria-controls={`${ids}-body`}
          aria-label={`${t.card.expand(author.organisation || author.name, kindLabels[thread.kind])}, ${place}`}
          onClick={() => onActivate(expanded ? null : thread.id, expanded ? 'none' : 'show')}
        >
          <span className="thread-card__org">{author.organisation || author.name}</span>
        </button>
        <p className="thread-card__byline">
          <span className="thread-card__person">{author.name}</span>
          <time dateTime={thread.createdAt}>{formatDateTime(thread.createdAt)}</time>
        </p>
      </header>

      <div id={`${ids}-body`} className="thread-card__body">
        <p className="thread-card__meta">
          <span className="thread-number" data-testid="thread-number">
            {place}
          </span>
          <span className={`kind-badge kind-badge--${thread.kind}`}>{kindLabels[thread.kind]}</span>
          <span className={`status-badge status-badge--${thread.status}`} data-testid="thread-status">
            {statusLabels[thread.status]}
          </span>
          {thread.late && (
            <span className="badge badge--late" title={t.card.lateTitle}>
              {t.card.late}
            </span>
          )}
          {thread.visibility === 'facilitators' && (
            <span className="badge badge--private">{t.card.private}</span>
          )}
        </p>
        <Quote thread={thread} />
        <Proposal thread={thread} />

        <ol className="messages">
          {thread.messages.map((message, index) => (
            <ThreadMessage
              key={message.id}
              message={message}
              mine={message.author.participantId === participant.id}
              first={index === 0}
              showOrganisation={message.author.organisation !== author.organisation}
              expanded={expanded}
              labels={env.labels}
              onThread={env.onThread}
              announce={env.announce}
            />
          ))}
        </ol>

        {thread.disposition && (
          <div
            className={`disposition disposition--${thread.disposition.outcome}`}
            data-testid="thread-disposition"
          >
            <p className="disposition__outcome">
              <span className="visually-hidden">{t.card.disposition}: </span>
              {outcomeLabels[thread.disposition.outcome]}
            </p>
            {thread.disposition.response && (
              <p className="disposition__response">{thread.disposition.response}</p>
            )}
          </div>
        )}

        <ThreadAck
          thread={thread}
          canAcknowledge={expanded && isSecretariat(participant)}
          onThread={env.onThread}
          announce={env.announce}
        />

        {(thread.createdInRevision || thread.communicationId || thread.reflectedIn) && (
          <p className="thread-card__note">
            {[
              thread.createdInRevision && t.card.writtenOn(thread.createdInRevision),
              thread.communicationId && t.card.loggedFrom,
              thread.reflectedIn && t.card.reflectedIn(thread.reflectedIn),
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        )}
        {withdrawn && <p className="thread-card__note">{t.card.withdrawn}</p>}

        {expanded && (canReply || canDecide || canWithdraw) && (
          <div className="thread-card__open">
            {canReply && <ReplyForm threadId={thread.id} onThread={env.onThread} announce={env.announce} />}
            {canDecide && (
              <FacilitatorActions thread={thread} onThread={env.onThread} announce={env.announce} />
            )}
            {canWithdraw && (
              <WithdrawThread threadId={thread.id} onThread={env.onThread} announce={env.announce} />
            )}
          </div>
        )}
      </div>
    </article>
  )
})
