import type { ParticipantRef } from '@plenary/shared/api'
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from './api/ApiError.ts'
import { getMe, logout } from './api/endpoints.ts'
import { errorMessage } from './api/errorMessage.ts'
import { deleteOfflineCopies } from './collab/offlineCopies.ts'
import { Header } from './components/Header.tsx'
import { LoadError } from './components/LoadError.tsx'
import { useRoute } from './navigation/useRoute.ts'
import { deleteCachedResponses } from './offline/serviceWorker.ts'
import { HomePage } from './pages/HomePage.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'
import { SignedOutPage } from './pages/SignedOutPage.tsx'
import { strings } from './strings.ts'

/** The editor (TipTap, Yjs) is a separate chunk, fetched only when a document is opened. */
const DocumentPage = lazy(() =>
  import('./pages/DocumentPage.tsx').then((module) => ({ default: module.DocumentPage })),
)

type Session =
  | { kind: 'loading' }
  | { kind: 'signedIn'; participant: ParticipantRef }
  | { kind: 'signedOut' }
  | { kind: 'error'; message: string }
  /** Signed out on the server; the pages are unmounted so offline copies can be deleted. */
  | { kind: 'leaving'; participant: ParticipantRef }

export function App() {
  const route = useRoute()
  const [session, setSession] = useState<Session>({ kind: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const [signingOut, setSigningOut] = useState(false)
  const [signOutError, setSignOutError] = useState<string | null>(null)

  useEffect(() => {
    void attempt // a new attempt (Try again) fetches again
    const controller = new AbortController()
    getMe(controller.signal).then(
      (response) => setSession({ kind: 'signedIn', participant: response.participant }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        if (error instanceof ApiError && error.status === 401) setSession({ kind: 'signedOut' })
        else setSession({ kind: 'error', message: errorMessage(error) })
      },
    )
    return () => controller.abort()
  }, [attempt])

  // After an in-app navigation, put focus at the start of the new page (as a page load would).
  const firstRoute = useRef(true)
  useEffect(() => {
    void route
    if (firstRoute.current) {
      firstRoute.current = false
      return
    }
    const main = document.getElementById('main')
    main?.setAttribute('tabindex', '-1')
    main?.focus({ preventScroll: true })
  }, [route])

  const handleSignOut = useCallback(async () => {
    if (session.kind !== 'signedIn') return
    setSigningOut(true)
    setSignOutError(null)
    try {
      await logout()
      setSession({ kind: 'leaving', participant: session.participant })
    } catch (error) {
      setSigningOut(false)
      setSignOutError(`${strings.header.signOutFailed} ${errorMessage(error)}`)
    }
  }, [session])

  useEffect(() => {
    if (session.kind !== 'leaving') return
    // The document page has unmounted and closed its offline copy: now it can be deleted.
    Promise.all([deleteOfflineCopies(), deleteCachedResponses()]).finally(() => window.location.assign('/'))
  }, [session.kind])

  if (session.kind === 'loading') {
    return (
      <>
        <Header participant={null} />
        <main id="main" className="page page--narrow" aria-busy="true">
          <p className="quiet">{strings.loading}</p>
        </main>
      </>
    )
  }
  if (session.kind === 'signedOut') return <SignedOutPage />
  if (session.kind === 'error') {
    return (
      <>
        <Header participant={null} />
        <main id="main" className="page page--narrow">
          <LoadError message={session.message} onRetry={() => setAttempt((n) => n + 1)} />
        </main>
      </>
    )
  }

  const participant = session.participant
  return (
    <>
      <Header
        participant={participant}
        onSignOut={handleSignOut}
        signingOut={signingOut}
        signOutError={signOutError}
      />
      {session.kind === 'leaving' ? (
        <main id="main" className="page page--narrow" aria-busy="true">
          <p className="quiet">{strings.header.signingOut}</p>
        </main>
      ) : route.page === 'home' ? (
        <HomePage participant={participant} />
      ) : route.page === 'document' ? (
        <Suspense
          fallback={
            <main id="main" className="page page--narrow" aria-busy="true">
              <p className="quiet">{strings.document.loadingEditor}</p>
            </main>
          }
        >
          <DocumentPage key={route.documentId} documentId={route.documentId} participant={participant} />
        </Suspense>
      ) : (
        <NotFoundPage />
      )}
    </>
  )
}
