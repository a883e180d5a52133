import type { DocumentDTO, ParticipantRef } from '@plenary/shared/api'
import { useEffect, useState } from 'react'
import { listDocuments } from '../api/endpoints.ts'
import { errorMessage } from '../api/errorMessage.ts'
import { DocumentList } from '../components/DocumentList.tsx'
import { ImportDocumentForm } from '../components/ImportDocumentForm.tsx'
import { LoadError } from '../components/LoadError.tsx'
import { NewDocumentForm } from '../components/NewDocumentForm.tsx'
import { strings } from '../strings.ts'

type Documents =
  | { kind: 'loading' }
  | { kind: 'ready'; documents: DocumentDTO[] }
  | { kind: 'error'; message: string }

export function HomePage({ participant }: { participant: ParticipantRef }) {
  const [state, setState] = useState<Documents>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const isSecretariat = participant.role === 'secretariat'

  useEffect(() => {
    document.title = `${strings.home.pageTitle} · ${strings.appName}`
  }, [])

  useEffect(() => {
    void attempt // a new attempt (Try again) fetches again
    const controller = new AbortController()
    listDocuments(controller.signal).then(
      (response) => setState({ kind: 'ready', documents: response.documents }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'error', message: errorMessage(error) })
      },
    )
    return () => controller.abort()
  }, [attempt])

  // An imported document joins the list at once (or the list is fetched again if it failed).
  const added = (imported: DocumentDTO) =>
    state.kind === 'ready'
      ? setState({
          kind: 'ready',
          documents: [imported, ...state.documents.filter((d) => d.id !== imported.id)],
        })
      : setAttempt((n) => n + 1)

  return (
    <main id="main" className={isSecretariat ? 'page home home--with-aside' : 'page home'}>
      <div className="home__main">
        <h1>{strings.home.heading}</h1>
        <p className="lead">{strings.home.intro}</p>
        {state.kind === 'loading' && (
          <p className="quiet" aria-busy="true">
            {strings.loading}
          </p>
        )}
        {state.kind === 'error' && (
          <LoadError message={state.message} onRetry={() => setAttempt((n) => n + 1)} />
        )}
        {state.kind === 'ready' && (
          <DocumentList
            documents={state.documents}
            emptyText={isSecretariat ? strings.home.emptySecretariat : strings.home.empty}
          />
        )}
      </div>
      {isSecretariat && (
        <aside className="home__aside">
          <NewDocumentForm />
          <ImportDocumentForm onImported={added} />
        </aside>
      )}
    </main>
  )
}
