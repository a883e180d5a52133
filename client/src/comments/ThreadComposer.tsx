import type { SelectionAnchor } from '@plenary/shared/blockOffsets'
import type { ThreadDTO } from '@plenary/shared/threads'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { createThread } from '../api/threads.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'
import type { BlockPlace } from './blockPlaces.ts'
import { blockLabel } from './placeLabel.ts'
import { initialFields, proposalMissing, proposalOf, ThreadFields } from './ThreadFields.tsx'

const t = strings.comments.composer
const QUOTE_PREVIEW = 120

type ThreadComposerProps = {
  documentId: string
  /** Words or a paragraph of the text; null for a general comment (a paragraph may be chosen). */
  anchor: SelectionAnchor | null
  places: BlockPlace[]
  placesById: Map<string, BlockPlace>
  /** The deadline has passed: say the thread will be marked late. */
  late: boolean
  onCreated: (thread: ThreadDTO) => void
  onClose: () => void
  placed?: boolean
  cardRef?: (element: HTMLElement | null) => void
}

const excerpt = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length - 1)}…` : text

/** The form that starts a thread, in the margin beside the words it is on. */
export function ThreadComposer({
  documentId,
  anchor,
  places,
  placesById,
  late,
  onCreated,
  onClose,
  placed = false,
  cardRef,
}: ThreadComposerProps) {
  const ids = useId()
  const body = useRef<HTMLTextAreaElement>(null)
  const [fields, setFields] = useState(initialFields)
  const [text, setText] = useState('')
  const [privately, setPrivately] = useState(false)
  const [target, setTarget] = useState('')
  const [problem, setProblem] = useState<'body' | 'proposal' | null>(null)
  const action = useAction()

  useEffect(() => {
    body.current?.focus({ preventScroll: true })
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (proposalMissing(fields)) {
      setProblem('proposal')
      return
    }
    if (!text.trim()) {
      setProblem('body')
      body.current?.focus()
      return
    }
    const where = anchor
      ? { blockId: anchor.blockId, from: anchor.from, to: anchor.to }
      : target
        ? { blockId: target, from: 0, to: 0 }
        : null
    const result = await action.run(() =>
      createThread(documentId, {
        anchor: where,
        kind: fields.kind,
        body: text.trim(),
        proposal: proposalOf(fields),
        visibility: privately ? 'facilitators' : 'everyone',
      }),
    )
    if (result) onCreated(result.thread)
  }

  const place = anchor ? placesById.get(anchor.blockId) : undefined
  const error =
    problem === 'body' ? t.bodyRequired : problem === 'proposal' ? t.proposalRequired : action.error
  return (
    <section
      ref={cardRef}
      className={`thread-composer${placed ? ' thread-card--placed' : ''}`}
      aria-labelledby={`${ids}-heading`}
    >
      <form
        data-testid="thread-composer"
        onSubmit={submit}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault()
            onClose()
          }
        }}
        noValidate
      >
        <h3 id={`${ids}-heading`} className="thread-composer__heading">
          {t.heading}
        </h3>
        {anchor ? (
          <p className="thread-composer__on">
            <span className="thread-number">{place ? blockLabel(place) : ''}</span>{' '}
            {anchor.quote ? (
              <q className="thread-composer__quote">{excerpt(anchor.quote, QUOTE_PREVIEW)}</q>
            ) : (
              <span className="quiet">{strings.comments.card.wholeParagraph}</span>
            )}
          </p>
        ) : (
          <div className="field field--compact">
            <label htmlFor={`${ids}-target`}>{t.on}</label>
            <select
              id={`${ids}-target`}
              name="target"
              className="select"
              value={target}
              onChange={(event) => setTarget(event.target.value)}
            >
              <option value="">{strings.communications.threadForm.general}</option>
              {places.map((p) => (
                <option key={p.id} value={p.id}>
                  {`${blockLabel(p)} — ${excerpt(p.text, 48)}`}
                </option>
              ))}
            </select>
          </div>
        )}
        <ThreadFields
          idPrefix={ids}
          values={fields}
          onChange={(values) => {
            setFields(values)
            setProblem(null)
          }}
          invalidProposal={problem === 'proposal'}
        />
        <div className="field field--compact">
          <label htmlFor={`${ids}-body`}>{t.body}</label>
          <textarea
            ref={body}
            id={`${ids}-body`}
            name="body"
            className="textarea"
            rows={4}
            placeholder={t.bodyPlaceholder}
            value={text}
            aria-invalid={problem === 'body' ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
            onChange={(event) => {
              setText(event.target.value)
              setProblem(null)
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault()
                event.currentTarget.form?.requestSubmit()
              }
            }}
          />
        </div>
        <div className="checkbox-field">
          <input
            id={`${ids}-private`}
            type="checkbox"
            name="private"
            checked={privately}
            onChange={(event) => setPrivately(event.target.checked)}
          />
          <label htmlFor={`${ids}-private`}>{t.private}</label>
        </div>
        {late && <p className="hint hint--warning">{t.late}</p>}
        {error && (
          <p id={`${ids}-error`} className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary button--small"
            data-testid="thread-submit"
            disabled={action.busy}
          >
            {action.busy ? t.submitting : t.submit}
          </button>
          <button type="button" className="button button--small" onClick={onClose}>
            {strings.cancel}
          </button>
        </div>
      </form>
    </section>
  )
}
