import type { DocumentDTO } from '@plenary/shared/api'
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { ApiError } from '../api/ApiError.ts'
import { errorText } from '../export/errorText.ts'
import { ImportSummary } from '../export/ImportSummary.tsx'
import { IMPORT_MAX_MB, type ImportResult, refuseFile, uploadDocx } from '../export/importApi.ts'
import { strings } from '../strings.ts'

const t = strings.importDocument

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; percent: number }
  | { kind: 'reading' }
  | { kind: 'done'; result: ImportResult }

type Problem = { message: string; details?: string }

function problemOf(error: unknown): Problem {
  const message = errorText(error, t.errors)
  // The server says what exactly is wrong with a file ("not a zip package"): worth showing.
  const details =
    error instanceof ApiError && error.code in t.errors && error.message ? error.message : undefined
  return { message, details }
}

/** Secretariat only: create a document from a Word draft, then say what was kept and what was not. */
export function ImportDocumentForm({ onImported }: { onImported: (document: DocumentDTO) => void }) {
  const ids = useId()
  const input = useRef<HTMLInputElement>(null)
  const pending = useRef<AbortController | null>(null)
  const [file, setFile] = useState<File | null>(null)
  const [title, setTitle] = useState('')
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  const [problem, setProblem] = useState<Problem | null>(null)

  useEffect(() => () => pending.current?.abort(), [])

  const check = (chosen: File | null): Problem | null => {
    if (!chosen) return { message: t.fileRequired }
    const refusal = refuseFile(chosen)
    if (refusal === 'notDocx') return { message: t.notDocx }
    if (refusal === 'tooLarge') return { message: t.tooLarge(IMPORT_MAX_MB) }
    return null
  }

  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null
    setFile(chosen)
    setProblem(chosen ? check(chosen) : null)
  }

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (phase.kind === 'uploading' || phase.kind === 'reading') return
    const refused = check(file)
    if (refused || !file) {
      setProblem(refused)
      input.current?.focus()
      return
    }
    const controller = new AbortController()
    pending.current = controller
    setProblem(null)
    setPhase({ kind: 'uploading', percent: 0 })
    try {
      const result = await uploadDocx(
        file,
        title.trim(),
        (progress) =>
          setPhase(
            progress.phase === 'uploading'
              ? { kind: 'uploading', percent: progress.percent }
              : { kind: 'reading' },
          ),
        controller.signal,
      )
      setPhase({ kind: 'done', result })
      onImported(result.document)
    } catch (error) {
      if (controller.signal.aborted) return
      setPhase({ kind: 'idle' })
      setProblem(problemOf(error))
    } finally {
      if (pending.current === controller) pending.current = null
    }
  }

  const another = () => {
    setFile(null)
    setTitle('')
    setProblem(null)
    setPhase({ kind: 'idle' })
  }

  const busy = phase.kind === 'uploading' || phase.kind === 'reading'
  const fileId = `${ids}-file`
  const titleId = `${ids}-title`
  const errorId = `${ids}-error`
  return (
    <section className="panel import-document" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>{t.heading}</h2>
      {phase.kind === 'done' ? (
        <ImportSummary result={phase.result} onAnother={another} />
      ) : (
        <>
          <p className="quiet">{t.intro}</p>
          <form
            data-testid="import-document"
            onSubmit={submit}
            noValidate
            aria-describedby={problem ? errorId : undefined}
            aria-busy={busy || undefined}
          >
            <div className="field">
              <label htmlFor={fileId}>{t.file}</label>
              <p id={`${ids}-file-hint`} className="hint">
                {t.fileHint}
              </p>
              <input
                ref={input}
                id={fileId}
                className="import-document__file"
                type="file"
                name="file"
                accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                required
                disabled={busy}
                aria-describedby={`${ids}-file-hint`}
                aria-invalid={problem ? true : undefined}
                onChange={pick}
              />
            </div>
            <div className="field">
              <label htmlFor={titleId}>{t.title}</label>
              <p id={`${ids}-title-hint`} className="hint">
                {t.titleHint}
              </p>
              <input
                id={titleId}
                name="title"
                type="text"
                maxLength={300}
                autoComplete="off"
                value={title}
                disabled={busy}
                aria-describedby={`${ids}-title-hint`}
                onChange={(event) => setTitle(event.target.value)}
              />
            </div>
            {problem && (
              <div id={errorId} className="import-document__error" role="alert" data-testid="import-error">
                <p className="error-text">{problem.message}</p>
                {problem.details && <p className="hint">{t.details(problem.details)}</p>}
              </div>
            )}
            <div className="import-document__progress" role="status">
              {phase.kind === 'uploading' && (
                <>
                  <progress max={100} value={phase.percent} aria-label={t.progressLabel} />
                  <span>{t.uploading(phase.percent)}</span>
                </>
              )}
              {phase.kind === 'reading' && (
                <>
                  <progress aria-label={t.progressLabel} />
                  <span>{t.reading}</span>
                </>
              )}
            </div>
            <button
              type="submit"
              className="button button--primary"
              data-testid="import-submit"
              disabled={busy}
            >
              {t.submit}
            </button>
          </form>
        </>
      )}
    </section>
  )
}
