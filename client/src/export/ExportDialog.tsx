import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import { formatDateTime } from '../components/dates.ts'
import { strings } from '../strings.ts'
import { errorText } from './errorText.ts'
import { fetchExport, listPublishedRevisions, saveFile, showHtml } from './exportApi.ts'
import {
  COMPILATION_FORMATS,
  type CommentChoice,
  DEFAULT_CHOICES,
  type ExportChoices,
  type ExportFormat,
  exportPath,
  type Grouping,
  type Marks,
  previousRevision,
  type RevisionChoice,
  reconcile,
  relevantChoices,
  TEXT_FORMATS,
} from './exportOptions.ts'
import { previewSentence } from './exportPreview.ts'

const t = strings.exportMenu

type Revisions =
  | { kind: 'loading' }
  | { kind: 'ready'; list: RevisionChoice[] }
  | { kind: 'error'; message: string }

const NO_REVISIONS: RevisionChoice[] = []

type ExportDialogProps = {
  documentId: string
  /** Called once the dialog has closed (Escape, Close, or the browser closing it). */
  onClose: () => void
}

/**
 * The export menu as a modal dialog: what to produce, a sentence saying what that will be, and a
 * download that fetches the file first, so the server's refusal shows here.
 */
export function ExportDialog({ documentId, onClose }: ExportDialogProps) {
  const ids = useId()
  const dialog = useRef<HTMLDialogElement>(null)
  const firstField = useRef<HTMLSelectElement>(null)
  const pending = useRef<AbortController | null>(null)
  const [chosen, setChosen] = useState<ExportChoices>(DEFAULT_CHOICES)
  const [revisions, setRevisions] = useState<Revisions>({ kind: 'loading' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)

  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
    firstField.current?.focus()
    return () => pending.current?.abort()
  }, [])

  useEffect(() => {
    const controller = new AbortController()
    listPublishedRevisions(documentId, controller.signal).then(
      (list) => setRevisions({ kind: 'ready', list }),
      (failure: unknown) => {
        if (!controller.signal.aborted) setRevisions({ kind: 'error', message: errorMessage(failure) })
      },
    )
    return () => controller.abort()
  }, [documentId])

  const list = revisions.kind === 'ready' ? revisions.list : NO_REVISIONS
  const choices = reconcile(chosen, list)
  const relevant = relevantChoices(choices)
  const previous = previousRevision(list, choices.revision)
  const sentence = previewSentence(choices, list)
  const html = choices.format === 'html'
  const marksHint = relevant.marks
    ? choices.marks === 'bold'
      ? t.marksBoldHint
      : t.marksTrackedHint
    : relevant.against
      ? t.marksUnmarked
      : null

  const choose = (patch: Partial<ExportChoices>) => {
    setChosen((current) => reconcile({ ...current, ...patch }, list))
    setError(null)
    setDone(null)
  }

  // Closing goes through the element, so the page is no longer inert when focus goes back.
  const close = () => dialog.current?.close()

  const download = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (busy) return
    // Opened now, while the click still counts: a tab opened after the fetch is a blocked pop-up.
    const tab = html ? window.open('', '_blank') : null
    if (tab) {
      tab.opener = null
      tab.document.title = t.preparing
      tab.document.body.textContent = t.preparing
    }
    const controller = new AbortController()
    pending.current?.abort()
    pending.current = controller
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      const file = await fetchExport(exportPath(documentId, choices), controller.signal)
      if (tab) {
        await showHtml(tab, file)
        setDone(t.openedInTab)
      } else {
        saveFile(file)
        setDone(html ? t.popupBlocked : t.downloaded(file.fileName))
      }
    } catch (failure) {
      tab?.close()
      if (!controller.signal.aborted) setError(errorText(failure, t.errors))
    } finally {
      if (pending.current === controller) {
        pending.current = null
        setBusy(false)
      }
    }
  }

  const field = (name: string) => `${ids}-${name}`
  const revisionHint =
    revisions.kind === 'loading' ? t.loadingRevisions : revisions.kind === 'error' ? t.revisionsFailed : null

  return (
    <dialog
      ref={dialog}
      className="export-dialog"
      data-testid="export-dialog"
      aria-labelledby={field('heading')}
      aria-describedby={field('intro')}
      onClose={onClose}
    >
      <form className="export-dialog__form" onSubmit={download} noValidate>
        <h2 id={field('heading')} className="export-dialog__title">
          {t.heading}
        </h2>
        <p id={field('intro')} className="hint">
          {t.intro}
        </p>

        <div className="field">
          <label htmlFor={field('format')}>{t.format}</label>
          <select
            ref={firstField}
            id={field('format')}
            name="format"
            className="select"
            value={choices.format}
            onChange={(event) => choose({ format: event.target.value as ExportFormat })}
          >
            <optgroup label={t.formatGroupText}>
              {TEXT_FORMATS.map((format) => (
                <option key={format} value={format}>
                  {t.formats[format]}
                </option>
              ))}
            </optgroup>
            <optgroup label={t.formatGroupCompilation}>
              {COMPILATION_FORMATS.map((format) => (
                <option key={format} value={format}>
                  {t.formats[format]}
                </option>
              ))}
            </optgroup>
          </select>
        </div>

        <div className="export-dialog__grid">
          <div className="field">
            <label htmlFor={field('revision')}>{t.revision}</label>
            <select
              id={field('revision')}
              name="revision"
              className="select"
              value={choices.revision}
              aria-describedby={revisionHint ? field('revision-hint') : undefined}
              onChange={(event) => choose({ revision: event.target.value })}
            >
              <option value="current">{t.liveText}</option>
              {list.map((revision) => (
                <option key={revision.id} value={revision.id}>
                  {t.revisionOption(revision.label, formatDateTime(revision.createdAt))}
                </option>
              ))}
            </select>
            {revisionHint && (
              <p id={field('revision-hint')} className="export-dialog__note">
                {revisionHint}
              </p>
            )}
          </div>

          <div className="field">
            <label htmlFor={field('against')}>{t.against}</label>
            <select
              id={field('against')}
              name="against"
              className="select"
              value={choices.against}
              disabled={!relevant.against}
              aria-describedby={field('against-hint')}
              onChange={(event) => choose({ against: event.target.value })}
            >
              <option value="none">{t.againstNone}</option>
              <option value="previous" disabled={!previous}>
                {previous ? t.againstPrevious(previous.label) : t.againstPreviousNone}
              </option>
              {list
                .filter((revision) => revision.id !== choices.revision)
                .map((revision) => (
                  <option key={revision.id} value={revision.id}>
                    {revision.label}
                  </option>
                ))}
            </select>
            <p id={field('against-hint')} className="export-dialog__note">
              {revisions.kind === 'ready' && list.length === 0 ? t.againstNothingPublished : t.againstHint}
            </p>
          </div>

          <div className="field">
            <label htmlFor={field('marks')}>{t.marks}</label>
            <select
              id={field('marks')}
              name="marks"
              className="select"
              value={choices.marks}
              disabled={!relevant.marks}
              aria-describedby={marksHint ? field('marks-hint') : undefined}
              onChange={(event) => choose({ marks: event.target.value as Marks })}
            >
              <option value="tracked">{t.marksTracked}</option>
              <option value="bold">{t.marksBold}</option>
            </select>
            {marksHint && (
              <p id={field('marks-hint')} className="export-dialog__note">
                {marksHint}
              </p>
            )}
          </div>

          <div className="field">
            <label htmlFor={field('comments')}>{t.comments}</label>
            <select
              id={field('comments')}
              name="comments"
              className="select"
              value={choices.comments}
              disabled={!relevant.comments}
              aria-describedby={field('comments-hint')}
              onChange={(event) => choose({ comments: event.target.value as CommentChoice })}
            >
              <option value="none">{t.commentsNone}</option>
              <option value="open">{t.commentsOpen}</option>
              <option value="all">{t.commentsAll}</option>
            </select>
            <p id={field('comments-hint')} className="export-dialog__note">
              {t.commentsHint}
            </p>
          </div>

          <div className="field">
            <label htmlFor={field('by')}>{t.by}</label>
            <select
              id={field('by')}
              name="by"
              className="select"
              value={choices.by}
              disabled={!relevant.by}
              onChange={(event) => choose({ by: event.target.value as Grouping })}
            >
              <option value="paragraph">{t.byParagraph}</option>
              <option value="organisation">{t.byOrganisation}</option>
            </select>
          </div>

          <div className="export-dialog__checks">
            <label className="checkbox-field export-dialog__check">
              <input
                type="checkbox"
                name="compilation"
                checked={relevant.compilation && choices.compilation}
                disabled={!relevant.compilation}
                onChange={(event) => choose({ compilation: event.target.checked })}
              />
              <span>{t.compilation}</span>
            </label>
            <label className="checkbox-field export-dialog__check">
              <input
                type="checkbox"
                name="attribution"
                checked={choices.attribution}
                disabled={!relevant.attribution}
                aria-describedby={field('attribution-hint')}
                onChange={(event) => choose({ attribution: event.target.checked })}
              />
              <span>{t.attribution}</span>
            </label>
            <p id={field('attribution-hint')} className="export-dialog__note">
              {t.attributionHint}
            </p>
          </div>
        </div>

        <section className="export-preview" aria-labelledby={field('preview')}>
          <h3 id={field('preview')} className="export-preview__label">
            {t.preview}
          </h3>
          <p className="export-preview__text" data-testid="export-preview" aria-live="polite">
            {sentence}
          </p>
        </section>

        {error && (
          <p className="error-text" role="alert" data-testid="export-error">
            {error}
          </p>
        )}
        <p className="export-dialog__done" role="status">
          {done}
        </p>

        <div className="export-dialog__actions">
          <button type="button" className="button" onClick={close}>
            {t.close}
          </button>
          <button
            type="submit"
            className="button button--primary"
            data-testid="export-download"
            aria-disabled={busy || undefined}
            aria-busy={busy || undefined}
          >
            {busy ? t.preparing : html ? t.openForPrinting : t.download}
          </button>
        </div>
      </form>
    </dialog>
  )
}
