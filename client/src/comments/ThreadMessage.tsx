import type { MessageDTO, ThreadDTO } from '@plenary/shared/threads'
import { type FormEvent, useId, useState } from 'react'
import { editMessage, withdrawMessage } from '../api/threads.ts'
import { formatDateTime } from '../components/dates.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'
import { MessageText } from './MessageText.tsx'

const t = strings.comments.message

type ThreadMessageProps = {
  message: MessageDTO
  /** The signed-in participant wrote it (and may edit or withdraw it). */
  mine: boolean
  /** The thread's first message: its author and time are in the card's heading already. */
  first: boolean
  /** Show the organisation beside the name (replies from other delegations or the chair). */
  showOrganisation: boolean
  /** The card is open: the author's own actions show. */
  expanded: boolean
  labels: readonly string[]
  onThread: (thread: ThreadDTO) => void
  announce: (message: string) => void
}

/** One message of a conversation, with its earlier versions on demand. */
export function ThreadMessage({
  message,
  mine,
  first,
  showOrganisation,
  expanded,
  labels,
  onThread,
  announce,
}: ThreadMessageProps) {
  const ids = useId()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(message.body)
  const [confirming, setConfirming] = useState(false)
  const [showHistory, setShowHistory] = useState(false)
  const action = useAction()

  const save = async (event: FormEvent) => {
    event.preventDefault()
    const body = draft.trim()
    if (!body) return
    const result = await action.run(() => editMessage(message.id, body))
    if (result) {
      onThread(result.thread)
      setEditing(false)
      announce(strings.comments.announce.edited)
    }
  }

  const withdraw = async () => {
    const result = await action.run(() => withdrawMessage(message.id))
    if (result) {
      onThread(result.thread)
      setConfirming(false)
      announce(strings.comments.announce.withdrawnMessage)
    }
  }

  const edited = message.editedAt !== null && !message.withdrawn
  return (
    <li className="message" data-testid="thread-message" data-message-id={message.id}>
      {(!first || edited) && (
        <p className="message__meta">
          {!first && (
            <>
              <span className="message__author">
                {message.author.name}
                {mine && <span className="quiet"> ({t.you})</span>}
              </span>
              {showOrganisation && message.author.organisation && (
                <span className="message__org">{message.author.organisation}</span>
              )}
              <time className="message__time" dateTime={message.createdAt}>
                {formatDateTime(message.createdAt)}
              </time>
            </>
          )}
          {edited && (
            <button
              type="button"
              className="link-button message__edited"
              aria-expanded={showHistory}
              aria-controls={`${ids}-history`}
              title={t.showVersions}
              onClick={() => setShowHistory((shown) => !shown)}
            >
              {t.edited}
            </button>
          )}
        </p>
      )}
      {message.withdrawn ? (
        <p className="message-text message-text--withdrawn">{t.withdrawn}</p>
      ) : editing ? (
        <form
          className="message-edit"
          onSubmit={save}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation()
              setEditing(false)
            }
          }}
        >
          <label className="visually-hidden" htmlFor={`${ids}-edit`}>
            {t.editLabel}
          </label>
          <textarea
            id={`${ids}-edit`}
            className="textarea"
            rows={3}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            // biome-ignore lint/a11y/noAutofocus: the field the person just asked to open
            autoFocus
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary button--small" disabled={action.busy}>
              {t.save}
            </button>
            <button type="button" className="button button--small" onClick={() => setEditing(false)}>
              {strings.cancel}
            </button>
          </div>
        </form>
      ) : (
        <MessageText text={message.body} labels={labels} />
      )}
      {edited && showHistory && (
        <ol id={`${ids}-history`} className="message-history" aria-label={t.versionsLabel}>
          {message.history.map((version) => (
            <li key={version.editedAt}>
              <span className="message-history__when">{t.versionOf(formatDateTime(version.editedAt))}</span>
              <MessageText text={version.body} labels={labels} />
            </li>
          ))}
        </ol>
      )}
      {mine && expanded && !message.withdrawn && !editing && (
        <div className="message__actions">
          {confirming ? (
            <>
              <span className="message__confirm">{t.withdrawConfirm}</span>
              <button
                type="button"
                className="link-button link-button--danger"
                onClick={withdraw}
                disabled={action.busy}
              >
                {t.withdraw}
              </button>
              <button type="button" className="link-button" onClick={() => setConfirming(false)}>
                {strings.cancel}
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setDraft(message.body)
                  setEditing(true)
                }}
              >
                {t.edit}
              </button>
              <button type="button" className="link-button" onClick={() => setConfirming(true)}>
                {t.withdraw}
              </button>
            </>
          )}
        </div>
      )}
      {action.error && (
        <p className="error-text" role="alert">
          {action.error}
        </p>
      )}
    </li>
  )
}
