import type { RevisionDTO } from '@plenary/shared/revisions'
import type { ThreadDTO } from '@plenary/shared/threads'
import { type RefObject, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { ApiError } from '../api/ApiError.ts'
import { errorMessage } from '../api/errorMessage.ts'
import { getThread } from '../api/threads.ts'
import { formatDateTime } from '../components/dates.ts'
import { strings } from '../strings.ts'
import { DiffBlock } from './DiffBlock.tsx'
import type { ThreadInfo } from './DiffThreads.tsx'
import { changeTotal, isChange, redlineRows } from './redline.ts'
import { type Comparison, CURRENT, compareTexts, type TextRef } from './revisionsApi.ts'
import { useChangeNavigation } from './useChangeNavigation.ts'
import type { RevisionRoom } from './useRevisionRoom.ts'

const t = strings.revisions.compare

type Result =
  | { kind: 'loading'; previous: Comparison | null }
  | { kind: 'ready'; comparison: Comparison }
  | { kind: 'error'; message: string; nothingPublished: boolean }

type CompareViewProps = {
  room: RevisionRoom
  /** Null: the last published revision, whichever it is when the comparison is made. */
  initialFrom: TextRef | null
  initialTo: TextRef
  titleId: string
  /** The dialog the view is in: its keyboard shortcuts work while focus is inside. */
  scope: RefObject<HTMLElement | null>
  /** The document page's live thread list, when it has one. */
  threads: readonly ThreadDTO[] | null
  onOpenThread: (threadId: string) => void
  onClose: () => void
}

/** The options of a "From" or "To" select: the live text, published revisions, checkpoints. */
function TextOptions({ revisions }: { revisions: readonly RevisionDTO[] }) {
  const newestFirst = [...revisions].reverse()
  const published = newestFirst.filter((r) => r.kind === 'published')
  const checkpoints = newestFirst.filter((r) => r.kind === 'checkpoint')
  return (
    <>
      <optgroup label={t.groupLive}>
        <option value={CURRENT}>{t.live}</option>
      </optgroup>
      {published.length > 0 && (
        <optgroup label={t.groupPublished}>
          {published.map((r) => (
            <option key={r.id} value={r.id}>
              {t.publishedOption(r.label, formatDateTime(r.createdAt))}
            </option>
          ))}
        </optgroup>
      )}
      {checkpoints.length > 0 && (
        <optgroup label={t.groupCheckpoints}>
          {checkpoints.map((r) => (
            <option key={r.id} value={r.id}>
              {t.checkpointOption(
                r.label || strings.revisions.history.checkpoint,
                formatDateTime(r.createdAt),
                r.contributors.map((c) => c.name).join(', '),
              )}
            </option>
          ))}
        </optgroup>
      )}
    </>
  )
}

/**
 * The redline of any two texts (a revision, a checkpoint or the live text): every block in order
 * with its numbers on both sides, words inserted and deleted, removed paragraphs struck through
 * where they stood, unchanged runs folded away, and next/previous change.
 */
export function CompareView({
  room,
  initialFrom,
  initialTo,
  titleId,
  scope,
  threads,
  onOpenThread,
  onClose,
}: CompareViewProps) {
  const ids = useId()
  const body = useRef<HTMLElement>(null)
  const lastPublished = room.list?.revisions.filter((r) => r.kind === 'published').at(-1) ?? null
  const nothingPublishedYet = room.list !== null && lastPublished === null
  const [from, setFrom] = useState<TextRef | null>(initialFrom ?? lastPublished?.id ?? null)
  const [to, setTo] = useState<TextRef>(initialTo)
  const [refreshed, setRefreshed] = useState(0)
  const [result, setResult] = useState<Result>({ kind: 'loading', previous: null })
  const [showUnchanged, setShowUnchanged] = useState(false)
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set())
  const [fetchedThreads, setFetchedThreads] = useState<ReadonlyMap<string, ThreadInfo>>(new Map())
  const requestedThreads = useRef(new Set<string>())

  const comparison =
    result.kind === 'ready' ? result.comparison : result.kind === 'loading' ? result.previous : null
  const total = comparison ? changeTotal(comparison.stats) : 0
  const navigation = useChangeNavigation(total, body, scope)
  const { reset } = navigation
  /** A refresh keeps the reader's place; another pair of texts starts at its first change. */
  const keepPlace = useRef(false)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refreshed` asks for the same comparison again.
  useEffect(() => {
    const controller = new AbortController()
    setResult((current) => ({
      kind: 'loading',
      previous:
        current.kind === 'ready' ? current.comparison : current.kind === 'loading' ? current.previous : null,
    }))
    // Nothing to compare "since": no need to ask the server to say so.
    if (from === null && nothingPublishedYet) {
      setResult({ kind: 'error', nothingPublished: true, message: t.nothingPublished })
      return
    }
    compareTexts(room.documentId, from, to, controller.signal).then(
      (fresh) => {
        setResult({ kind: 'ready', comparison: fresh })
        if (!keepPlace.current) reset()
        keepPlace.current = false
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return
        const nothingPublished = failure instanceof ApiError && failure.code === 'no_revision'
        setResult({
          kind: 'error',
          nothingPublished,
          message:
            failure instanceof ApiError && t.errors[failure.code]
              ? t.errors[failure.code]
              : errorMessage(failure),
        })
      },
    )
    return () => controller.abort()
  }, [room.documentId, from, to, refreshed, reset, nothingPublishedYet])

  // Threads on changed paragraphs that the page's list does not have (yet) are fetched one by one.
  const known = useMemo(() => new Map((threads ?? []).map((thread) => [thread.id, thread])), [threads])
  useEffect(() => {
    if (!comparison) return
    for (const block of comparison.blocks) {
      if (!isChange(block)) continue
      for (const threadId of block.threadIds) {
        if (known.has(threadId) || requestedThreads.current.has(threadId)) continue
        requestedThreads.current.add(threadId)
        getThread(threadId).then(
          ({ thread }) => setFetchedThreads((map) => new Map(map).set(threadId, thread)),
          () => setFetchedThreads((map) => new Map(map).set(threadId, 'hidden')),
        )
      }
    }
  }, [comparison, known])
  const lookup = useCallback(
    (threadId: string): ThreadInfo => known.get(threadId) ?? fetchedThreads.get(threadId) ?? 'loading',
    [known, fetchedThreads],
  )

  const rows = useMemo(
    () => (comparison ? redlineRows(comparison.blocks, showUnchanged) : []),
    [comparison, showUnchanged],
  )
  const revisions = room.list?.revisions ?? []
  // Sides the list does not hold yet (it may still be loading) are still named in the selects.
  const extra = [comparison?.from, comparison?.to].filter(
    (r): r is RevisionDTO => !!r && !revisions.some((listed) => listed.id === r.id),
  )
  const options = <TextOptions revisions={[...extra, ...revisions]} />
  const fromValue = from ?? comparison?.from?.id ?? ''
  const nothingPublished = result.kind === 'error' && result.nothingPublished
  const anyCheckpoint = revisions.some((r) => r.kind === 'checkpoint')

  const choose = (side: 'from' | 'to', value: string) => {
    if (side === 'from') setFrom(value || null)
    else setTo(value)
    setExpanded(new Set())
  }

  return (
    <>
      <header className="reader__head">
        <div className="reader__title-row">
          <h2 id={titleId} className="reader__title">
            {t.heading}
          </h2>
          <button type="button" className="button button--small" onClick={onClose}>
            {t.close}
          </button>
        </div>
        <div className="compare-controls">
          <div className="compare-controls__sides">
            <label className="compare-controls__side" htmlFor={`${ids}-from`}>
              <span>{t.from}</span>
              <select
                id={`${ids}-from`}
                name="compareFrom"
                className="revision-select"
                value={fromValue}
                onChange={(event) => choose('from', event.target.value)}
              >
                {fromValue === '' && (
                  <option value="" disabled>
                    {t.choose}
                  </option>
                )}
                {options}
              </select>
            </label>
            <button
              type="button"
              className="button button--small compare-controls__swap"
              aria-label={t.swapLabel}
              title={t.swapLabel}
              disabled={!fromValue}
              onClick={() => {
                setFrom(to)
                setTo(fromValue)
                setExpanded(new Set())
              }}
            >
              <span aria-hidden="true">⇄</span>
            </button>
            <label className="compare-controls__side" htmlFor={`${ids}-to`}>
              <span>{t.to}</span>
              <select
                id={`${ids}-to`}
                name="compareTo"
                className="revision-select"
                value={to}
                onChange={(event) => choose('to', event.target.value)}
              >
                {options}
              </select>
            </label>
            <button
              type="button"
              className="button button--small"
              title={t.refreshLabel}
              disabled={result.kind === 'loading' || nothingPublished}
              onClick={() => {
                keepPlace.current = true
                setRefreshed((n) => n + 1)
              }}
            >
              {t.refresh}
            </button>
          </div>
          {comparison && (
            <div className="compare-nav">
              <button
                type="button"
                className="button button--small"
                data-testid="previous-change"
                aria-keyshortcuts="P Alt+ArrowUp"
                title={`${t.previous} (P)`}
                disabled={total === 0 || navigation.current === 0}
                onClick={navigation.previous}
              >
                <span aria-hidden="true">↑</span> {t.previousShort}
              </button>
              <span className="compare-nav__counter" data-testid="change-counter" aria-live="polite">
                {total === 0 ? t.noChanges : t.counter(navigation.current + 1, total)}
              </span>
              <button
                type="button"
                className="button button--small"
                data-testid="next-change"
                aria-keyshortcuts="N Alt+ArrowDown"
                title={`${t.next} (N)`}
                disabled={total === 0 || navigation.current >= total - 1}
                onClick={navigation.next}
              >
                <span aria-hidden="true">↓</span> {t.nextShort}
              </button>
            </div>
          )}
        </div>
        {comparison && (
          <div className="compare-meta">
            <p className="compare-summary" data-testid="compare-summary">
              {t.summary(comparison.stats)}
            </p>
            <span className="compare-legend">
              <span className="visually-hidden">{t.legend}: </span>
              <span className="compare-legend__ins">{t.legendInserted}</span>{' '}
              <span className="compare-legend__del">{t.legendDeleted}</span>
            </span>
            <label className="revision-check">
              <input
                type="checkbox"
                checked={showUnchanged}
                onChange={(event) => setShowUnchanged(event.target.checked)}
              />
              {t.showUnchanged}
            </label>
            <span className="compare-meta__shortcuts">{t.shortcuts}</span>
          </div>
        )}
      </header>
      <section
        ref={body}
        className="reader__body"
        aria-labelledby={titleId}
        aria-busy={result.kind === 'loading'}
      >
        <div className="reader__paper reader__paper--redline">
          {result.kind === 'error' ? (
            result.nothingPublished ? (
              <div className="compare-empty" role="status">
                <p className="compare-empty__line">
                  <strong>{t.nothingPublished}</strong>
                </p>
                <p className="compare-empty__line">
                  {room.canRevise
                    ? anyCheckpoint
                      ? t.nothingPublishedHint
                      : t.nothingPublishedNoCheckpoint
                    : anyCheckpoint
                      ? t.nothingPublishedReaderHint
                      : t.nothingPublishedReader}
                </p>
              </div>
            ) : (
              <p className="revision-error" role="alert">
                {result.message}
              </p>
            )
          ) : !comparison ? (
            <p className="revision-quiet">{t.loading}</p>
          ) : (
            <>
              {total === 0 && <p className="compare-empty">{t.identical}</p>}
              {rows.map((row) =>
                row.kind === 'block' ? (
                  <DiffBlock
                    key={row.index}
                    block={row.block}
                    change={row.change}
                    current={row.change !== null && row.change === navigation.current}
                    lookup={lookup}
                    onOpenThread={onOpenThread}
                  />
                ) : (
                  <div key={row.index} className="diff-collapsed">
                    <button
                      type="button"
                      className="diff-collapsed__toggle"
                      aria-expanded={expanded.has(row.index)}
                      onClick={() =>
                        setExpanded((set) => {
                          const next = new Set(set)
                          if (next.has(row.index)) next.delete(row.index)
                          else next.add(row.index)
                          return next
                        })
                      }
                    >
                      <span className="diff-collapsed__chevron" aria-hidden="true" />
                      {t.unchanged(row.blocks.length)}
                      {row.renumbered > 0 && (
                        <span className="diff-collapsed__renumbered">
                          {' '}
                          · {t.renumberedCount(row.renumbered)}
                        </span>
                      )}
                    </button>
                    {expanded.has(row.index) &&
                      row.blocks.map(({ index, block }) => (
                        <DiffBlock
                          key={index}
                          block={block}
                          change={null}
                          current={false}
                          lookup={lookup}
                          onOpenThread={onOpenThread}
                        />
                      ))}
                  </div>
                ),
              )}
            </>
          )}
        </div>
      </section>
    </>
  )
}
