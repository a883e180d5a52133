import type { RevisionDTO } from '@plenary/shared/revisions'
import { Fragment, useCallback, useEffect, useId, useRef, useState } from 'react'
import { ApiError } from '../api/ApiError.ts'
import { errorMessage } from '../api/errorMessage.ts'
import { formatDateTime } from '../components/dates.ts'
import { strings } from '../strings.ts'
import { DiffBlockView } from './DiffBlockView.tsx'
import { type Comparison, compare } from './historyApi.ts'

const t = strings.history
const LAST_PUBLISHED = ''

type CompareDialogProps = {
  documentId: string
  revisions: RevisionDTO[]
  /** Where to start from: a revision id, or the last published revision. */
  initialFrom: string | null
  onClose: () => void
}

type Group = { kind: 'change'; index: number } | { kind: 'unchanged'; indices: number[] }

/** Runs of unchanged paragraphs fold away so the changes stand out. */
function group(blocks: Comparison['blocks']): Group[] {
  const groups: Group[] = []
  blocks.forEach((block, index) => {
    const last = groups.at(-1)
    if (block.change !== 'unchanged') groups.push({ kind: 'change', index })
    else if (last?.kind === 'unchanged') last.indices.push(index)
    else groups.push({ kind: 'unchanged', indices: [index] })
  })
  return groups
}

/** The redline between any two texts: a revision, a checkpoint or the live text. */
export function CompareDialog({ documentId, revisions, initialFrom, onClose }: CompareDialogProps) {
  const ids = useId()
  const dialog = useRef<HTMLDialogElement>(null)
  const list = useRef<HTMLDivElement>(null)
  const [from, setFrom] = useState(initialFrom ?? LAST_PUBLISHED)
  const [to, setTo] = useState('current')
  const [result, setResult] = useState<Comparison | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [current, setCurrent] = useState(0)
  const [open, setOpen] = useState<Set<number>>(new Set())

  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
  }, [])

  useEffect(() => {
    let live = true
    setError(null)
    compare(documentId, from || null, to)
      .then((body) => {
        if (!live) return
        setResult(body)
        setCurrent(0)
      })
      .catch((caught) => {
        if (!live) return
        setResult(null)
        setError(
          caught instanceof ApiError && caught.code === 'no_revision'
            ? t.nothingPublished
            : errorMessage(caught),
        )
      })
    return () => {
      live = false
    }
  }, [documentId, from, to])

  const changes = result ? result.blocks.flatMap((b, i) => (b.change === 'unchanged' ? [] : [i])) : []

  const go = useCallback(
    (step: number) => {
      if (changes.length === 0) return
      const next = (current + step + changes.length) % changes.length
      setCurrent(next)
      const element = list.current?.querySelectorAll('[data-testid=diff-block]')[next] as
        | HTMLElement
        | undefined
      element?.scrollIntoView({ block: 'center', behavior: 'smooth' })
      element?.focus({ preventScroll: true })
    },
    [changes.length, current],
  )

  const onKey = (event: React.KeyboardEvent) => {
    if (event.target instanceof HTMLSelectElement) return
    if (event.key === 'n' || (event.altKey && event.key === 'ArrowDown')) go(1)
    if (event.key === 'p' || (event.altKey && event.key === 'ArrowUp')) go(-1)
  }

  const options = [...revisions].reverse()
  const label = (r: RevisionDTO) =>
    `${r.kind === 'published' ? r.label : t.checkpoint} · ${formatDateTime(r.createdAt)}`

  return (
    <dialog
      ref={dialog}
      className="compare-dialog"
      data-testid="compare"
      aria-labelledby={`${ids}-title`}
      onClose={onClose}
      onCancel={onClose}
      onKeyDown={onKey}
    >
      <div className="compare-dialog__head">
        <h2 id={`${ids}-title`}>{t.compareTitle}</h2>
        <div className="compare-dialog__pickers">
          <label htmlFor={`${ids}-from`}>{t.from}</label>
          <select
            id={`${ids}-from`}
            name="compareFrom"
            className="select"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          >
            <option value={LAST_PUBLISHED}>{t.lastPublished}</option>
            {options.map((r) => (
              <option key={r.id} value={r.id}>
                {label(r)}
              </option>
            ))}
          </select>
          <label htmlFor={`${ids}-to`}>{t.to}</label>
          <select
            id={`${ids}-to`}
            name="compareTo"
            className="select"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          >
            <option value="current">{t.liveText}</option>
            {options.map((r) => (
              <option key={r.id} value={r.id}>
                {label(r)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button--small" onClick={() => dialog.current?.close()}>
          {t.close}
        </button>
      </div>
      {result && (
        <div className="compare-dialog__nav">
          <p className="compare-dialog__summary">{t.summary(result.stats)}</p>
          <button
            type="button"
            className="button button--small"
            data-testid="previous-change"
            onClick={() => go(-1)}
            disabled={!changes.length}
          >
            {t.previous}
          </button>
          <span data-testid="change-counter" aria-live="polite">
            {changes.length ? t.counter(current + 1, changes.length) : t.noChanges}
          </span>
          <button
            type="button"
            className="button button--small"
            data-testid="next-change"
            onClick={() => go(1)}
            disabled={!changes.length}
          >
            {t.next}
          </button>
          <span className="hint">{t.keys}</span>
        </div>
      )}
      {error && <p className="compare-dialog__error">{error}</p>}
      <div className="compare-dialog__blocks" ref={list}>
        {result &&
          group(result.blocks).map((g, gi) =>
            g.kind === 'change' ? (
              <DiffBlockView
                key={`c${g.index}`}
                block={result.blocks[g.index]}
                current={changes[current] === g.index}
              />
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: groups follow the document order
              <Fragment key={`u${gi}`}>
                {open.has(gi) ? (
                  g.indices.map((i) => (
                    <p key={i} className="diff-unchanged" data-testid="diff-unchanged">
                      <span className="diff-block__number">{result.blocks[i].toNumber ?? ''}</span>
                      {result.blocks[i].toText}
                    </p>
                  ))
                ) : (
                  <button type="button" className="diff-fold" onClick={() => setOpen(new Set(open).add(gi))}>
                    {t.unchanged(g.indices.length)}
                  </button>
                )}
              </Fragment>
            ),
          )}
      </div>
    </dialog>
  )
}
