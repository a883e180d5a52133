import type { ParticipantRef } from '@plenary/shared/api'
import type { Block } from '@plenary/shared/blocks'
import type { CommunicationDTO, ThreadDTO } from '@plenary/shared/threads'
import { type FormEvent, useId, useMemo, useState } from 'react'
import { createThread } from '../api/threads.ts'
import type { BlockContainer } from '../comments/blockPlaces.ts'
import { blockLabel } from '../comments/placeLabel.ts'
import { initialFields, proposalMissing, proposalOf, ThreadFields } from '../comments/ThreadFields.tsx'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'

const t = strings.communications.threadForm

type ThreadFromCommunicationProps = {
  communication: CommunicationDTO
  /** The document's blocks (`GET /blocks`), null while they load. */
  blocks: Block[] | null
  /** Participants of the sending organisation. */
  authors: ParticipantRef[]
  onCreated: (thread: ThreadDTO) => void
  onCancel: () => void
}

const containers: Record<Block['type'], BlockContainer> = {
  paragraph: 'paragraph',
  heading: 'heading',
  listItem: 'list',
  tableCell: 'table',
  tableHeader: 'table',
  blockquote: 'quote',
}

/** The blocks as options: where each is ("¶ C13", "Table after ¶ C17") and how it begins. */
function blockOptions(blocks: Block[]): { id: string; label: string }[] {
  const out: { id: string; label: string }[] = []
  let after: string | null = null
  for (const block of blocks) {
    if (block.id && block.text.trim()) {
      const where = blockLabel({ ...block, id: block.id, container: containers[block.type], after })
      const text = block.text.length > 56 ? `${block.text.slice(0, 55)}…` : block.text
      out.push({ id: block.id, label: `${where} — ${text}` })
    }
    if (block.number) after = block.number
  }
  return out
}

/**
 * Logs one point of a communication as a thread, on behalf of its sender: on quoted words of a
 * paragraph, a whole paragraph, or the document as a whole.
 */
export function ThreadFromCommunication({
  communication,
  blocks,
  authors,
  onCreated,
  onCancel,
}: ThreadFromCommunicationProps) {
  const ids = useId()
  const [blockId, setBlockId] = useState('')
  const [quote, setQuote] = useState('')
  const [authorId, setAuthorId] = useState(authors[0]?.id ?? '')
  const [fields, setFields] = useState(initialFields)
  const [body, setBody] = useState('')
  const action = useAction()
  const options = useMemo(() => blockOptions(blocks ?? []), [blocks])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (proposalMissing(fields)) {
      action.setError(strings.comments.composer.proposalRequired)
      return
    }
    if (!body.trim()) {
      action.setError(strings.comments.composer.bodyRequired)
      return
    }
    const anchor = blockId
      ? quote.trim()
        ? { blockId, quote: quote.trim() }
        : { blockId, from: 0, to: 0 }
      : null
    const result = await action.run(() =>
      createThread(communication.documentId, {
        anchor,
        kind: fields.kind,
        body: body.trim(),
        proposal: proposalOf(fields),
        communicationId: communication.id,
        ...(authorId ? { authorId } : {}),
      }),
    )
    if (result) onCreated(result.thread)
  }

  return (
    <form
      className="communication-thread-form"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${ids}-heading`}
    >
      <h4 id={`${ids}-heading`} className="communication-form__heading">
        {t.heading}
      </h4>
      <div className="field field--compact">
        <label htmlFor={`${ids}-block`}>{t.paragraph}</label>
        <select
          id={`${ids}-block`}
          name="blockId"
          className="select"
          value={blockId}
          disabled={blocks === null}
          onChange={(event) => setBlockId(event.target.value)}
        >
          <option value="">{blocks === null ? t.loadingBlocks : t.general}</option>
          {options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {blockId && (
        <div className="field field--compact">
          <label htmlFor={`${ids}-quote`}>{t.quote}</label>
          <textarea
            id={`${ids}-quote`}
            name="quote"
            className="textarea"
            rows={2}
            aria-describedby={`${ids}-quote-hint`}
            value={quote}
            onChange={(event) => setQuote(event.target.value)}
          />
          <p id={`${ids}-quote-hint`} className="hint">
            {t.quoteHint}
          </p>
        </div>
      )}
      {authors.length > 0 ? (
        <div className="field field--compact">
          <label htmlFor={`${ids}-author`}>{t.author}</label>
          <select
            id={`${ids}-author`}
            name="authorId"
            className="select"
            value={authorId}
            onChange={(event) => setAuthorId(event.target.value)}
          >
            {authors.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <p className="hint">{t.noAuthor(communication.organisation)}</p>
      )}
      <ThreadFields idPrefix={ids} values={fields} onChange={setFields} />
      <div className="field field--compact">
        <label htmlFor={`${ids}-body`}>{strings.comments.composer.body}</label>
        <textarea
          id={`${ids}-body`}
          name="body"
          className="textarea"
          rows={4}
          value={body}
          onChange={(event) => setBody(event.target.value)}
        />
      </div>
      {action.error && (
        <p className="error-text" role="alert">
          {action.error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button--primary button--small" disabled={action.busy}>
          {action.busy ? t.submitting : t.submit}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          {strings.cancel}
        </button>
      </div>
    </form>
  )
}
