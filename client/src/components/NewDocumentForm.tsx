import type { ParticipantRef } from '@plenary/shared/api'
import { roleLabels } from '@plenary/shared/roles'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { createDocument, listParticipants } from '../api/endpoints.ts'
import { errorMessage } from '../api/errorMessage.ts'
import { navigate } from '../navigation/history.ts'
import { documentPath } from '../navigation/routes.ts'
import { strings } from '../strings.ts'

type Candidates =
  | { kind: 'loading' }
  | { kind: 'ready'; people: ParticipantRef[] }
  | { kind: 'error'; message: string }

/** Who may be given the pen: facilitators and the secretariat. */
const canHoldPen = (person: ParticipantRef) => person.role === 'facilitator' || person.role === 'secretariat'

/** Secretariat only: create a document and choose its pen holders. */
export function NewDocumentForm() {
  const ids = useId()
  const [title, setTitle] = useState('')
  const [penHolders, setPenHolders] = useState<string[]>([])
  const [candidates, setCandidates] = useState<Candidates>({ kind: 'loading' })
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    listParticipants(controller.signal).then(
      (response) => {
        const people = response.participants
          .filter(canHoldPen)
          .sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name))
        setCandidates({ kind: 'ready', people })
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) setCandidates({ kind: 'error', message: errorMessage(failure) })
      },
    )
    return () => controller.abort()
  }, [])

  const toggle = (id: string, checked: boolean) =>
    setPenHolders((current) => (checked ? [...current, id] : current.filter((other) => other !== id)))

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!title.trim()) {
      setError(strings.newDocument.titleRequired)
      return
    }
    setSubmitting(true)
    setError(null)
    try {
      const { document } = await createDocument({ title: title.trim(), penHolders })
      navigate(documentPath(document.id))
    } catch (failure) {
      setError(errorMessage(failure))
      setSubmitting(false)
    }
  }

  const titleId = `${ids}-title`
  const errorId = `${ids}-error`
  const hintId = `${ids}-hint`
  return (
    <section className="panel new-document" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>{strings.newDocument.heading}</h2>
      <p className="quiet">{strings.newDocument.intro}</p>
      <form
        data-testid="new-document"
        onSubmit={submit}
        noValidate
        aria-describedby={error ? errorId : undefined}
      >
        <div className="field">
          <label htmlFor={titleId}>{strings.newDocument.title}</label>
          <input
            id={titleId}
            name="title"
            type="text"
            required
            maxLength={300}
            autoComplete="off"
            placeholder={strings.newDocument.titlePlaceholder}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            aria-invalid={error === strings.newDocument.titleRequired ? true : undefined}
          />
        </div>
        <fieldset className="field pen-holders" aria-describedby={hintId}>
          <legend>{strings.newDocument.penHolders}</legend>
          <p id={hintId} className="hint">
            {strings.newDocument.penHoldersHint}
          </p>
          {candidates.kind === 'loading' && <p className="quiet">{strings.newDocument.loadingCandidates}</p>}
          {candidates.kind === 'error' && <p className="error-text">{candidates.message}</p>}
          {candidates.kind === 'ready' && candidates.people.length === 0 && (
            <p className="quiet">{strings.newDocument.noCandidates}</p>
          )}
          {candidates.kind === 'ready' && candidates.people.length > 0 && (
            <ul className="checkbox-list">
              {candidates.people.map((person) => (
                <li key={person.id}>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      name="penHolders"
                      value={person.id}
                      checked={penHolders.includes(person.id)}
                      onChange={(event) => toggle(person.id, event.target.checked)}
                    />
                    <span>
                      <span className="checkbox__name">{person.name}</span>
                      <span className="checkbox__details">
                        {person.organisation} · {roleLabels[person.role]}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        {error && (
          <p id={errorId} className="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? strings.newDocument.submitting : strings.newDocument.submit}
        </button>
      </form>
    </section>
  )
}
