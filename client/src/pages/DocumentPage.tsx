import type { DocumentDTO, ParticipantRef } from '@plenary/shared/api'
import { CloseCode } from '@plenary/shared/closeCodes'
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/ApiError.ts'
import { getDocument } from '../api/endpoints.ts'
import { errorMessage } from '../api/errorMessage.ts'
import { useCollabSession, useSessionField } from '../collab/useCollabSession.ts'
import { Link } from '../components/Link.tsx'
import { LoadError } from '../components/LoadError.tsx'
import { Notice } from '../components/Notice.tsx'
import { DocumentWorkspace } from '../editor/DocumentWorkspace.tsx'
import '../styles/editor.css'
import '../styles/threads.css'
import '../styles/communications.css'
import '../styles/revisions.css'
import { strings } from '../strings.ts'

type Metadata =
  | { kind: 'loading' }
  | { kind: 'ready'; document: DocumentDTO }
  | { kind: 'error'; message: string; notFound: boolean }

type PenChange = 'gained' | 'lost' | null

type DocumentPageProps = { documentId: string; participant: ParticipantRef }

/** `/documents/:id`: loads the metadata, then opens the live document. */
export function DocumentPage({ documentId, participant }: DocumentPageProps) {
  const [metadata, setMetadata] = useState<Metadata>({ kind: 'loading' })
  const [penChange, setPenChange] = useState<PenChange>(null)
  const lastCanEdit = useRef<boolean | null>(null)

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const { document } = await getDocument(documentId, signal)
        if (lastCanEdit.current !== null && lastCanEdit.current !== document.canEdit) {
          setPenChange(document.canEdit ? 'gained' : 'lost')
        }
        lastCanEdit.current = document.canEdit
        setMetadata({ kind: 'ready', document })
      } catch (error) {
        if (signal?.aborted) return
        const gone = error instanceof ApiError && (error.status === 404 || error.status === 403)
        // A failed refresh keeps the open document unless access to it is gone.
        setMetadata((current) =>
          current.kind === 'ready' && !gone
            ? current
            : {
                kind: 'error',
                message: gone ? strings.document.notFound : errorMessage(error),
                notFound: gone,
              },
        )
      }
    },
    [documentId],
  )

  useEffect(() => {
    const controller = new AbortController()
    void load(controller.signal)
    return () => controller.abort()
  }, [load])

  const title = metadata.kind === 'ready' ? metadata.document.title : null
  useEffect(() => {
    document.title = title ? `${title} · ${strings.appName}` : strings.appName
  }, [title])

  if (metadata.kind === 'loading') {
    return (
      <main id="main" className="page page--narrow" aria-busy="true">
        <p className="quiet">{strings.document.loading}</p>
      </main>
    )
  }
  if (metadata.kind === 'error') {
    return (
      <main id="main" className="page page--narrow">
        <LoadError message={metadata.message} onRetry={metadata.notFound ? undefined : () => void load()} />
        <p>
          <Link href="/">{strings.document.backToDocuments}</Link>
        </p>
      </main>
    )
  }
  return (
    <OpenDocument
      document={metadata.document}
      participant={participant}
      reload={() => void load()}
      onTitle={(newTitle) =>
        setMetadata((current) =>
          current.kind === 'ready'
            ? { kind: 'ready', document: { ...current.document, title: newTitle } }
            : current,
        )
      }
      onDocument={(changed) => setMetadata({ kind: 'ready', document: changed })}
      penChange={penChange}
      dismissPenChange={() => setPenChange(null)}
    />
  )
}

type OpenDocumentProps = {
  document: DocumentDTO
  participant: ParticipantRef
  reload: () => void
  onTitle: (title: string) => void
  onDocument: (document: DocumentDTO) => void
  penChange: PenChange
  dismissPenChange: () => void
}

function OpenDocument({
  document,
  participant,
  reload,
  onTitle,
  onDocument,
  penChange,
  dismissPenChange,
}: OpenDocumentProps) {
  const [generation, setGeneration] = useState(0)
  const [sizeWarning, setSizeWarning] = useState(false)
  const session = useCollabSession(document.id, participant.id, document.canEdit, generation)
  // The connection's outcome only: the save state is followed by the save status itself.
  const closeCode = useSessionField(session, 'closeCode')
  const diverged = useSessionField(session, 'diverged')

  // Keep the latest callbacks without reopening the event subscription.
  const handlers = useRef({ reload, onTitle })
  handlers.current = { reload, onTitle }

  useEffect(() => {
    if (!session) return
    return session.onEvent((event) => {
      switch (event.type) {
        case 'document.updated':
          handlers.current.onTitle(event.title)
          // Pen holders changed too, perhaps: their names come with the metadata.
          handlers.current.reload()
          break
        case 'access.changed':
          handlers.current.reload()
          break
        case 'hello':
          if (event.canEdit !== session.canEdit) handlers.current.reload()
          break
        case 'document.size':
          setSizeWarning(true)
          break
      }
    })
  }, [session])

  // Refused for good with 4403: find out whether the pen was taken away (then reopen read-only).
  useEffect(() => {
    if (closeCode === CloseCode.forbidden) handlers.current.reload()
  }, [closeCode])

  // A read-only document that changed locally is thrown away and opened afresh.
  useEffect(() => {
    if (diverged) setGeneration((n) => n + 1)
  }, [diverged])

  const notices = (
    <div className="doc-notices">
      {closeCode !== null && (
        <Notice
          tone="error"
          action={
            <button type="button" className="button button--small" onClick={() => window.location.reload()}>
              {strings.reload}
            </button>
          }
        >
          {strings.closeReasons[closeCode] ?? strings.closeReasons.other}
        </Notice>
      )}
      {penChange && (
        <Notice
          tone="info"
          action={
            <button type="button" className="button button--small" onClick={dismissPenChange}>
              {strings.dismiss}
            </button>
          }
        >
          {penChange === 'gained' ? strings.document.penGained : strings.document.penLost}
        </Notice>
      )}
      {sizeWarning && <Notice tone="warning">{strings.document.sizeWarning}</Notice>}
    </div>
  )

  if (!session) {
    return (
      <main id="main" className="page page--narrow" aria-busy="true">
        <p className="quiet">{strings.document.loading}</p>
      </main>
    )
  }
  return (
    <DocumentWorkspace
      session={session}
      document={document}
      participant={participant}
      notices={notices}
      onDocument={onDocument}
    />
  )
}
