import type { DocumentDTO, ParticipantRef } from '@plenary/shared/api'
import { EditorContent } from '@tiptap/react'
import type { ReactNode } from 'react'
import type { CollabSession, SessionState } from '../collab/CollabSession.ts'
import { usePresence } from '../collab/usePresence.ts'
import { Link } from '../components/Link.tsx'
import { PresenceList } from '../components/PresenceList.tsx'
import { ReadOnlyNotice } from '../components/ReadOnlyNotice.tsx'
import { SaveStatus } from '../components/SaveStatus.tsx'
import { strings } from '../strings.ts'
import { Outline } from './Outline.tsx'
import { Toolbar } from './Toolbar.tsx'
import { usePlenaryEditor } from './usePlenaryEditor.ts'

type DocumentWorkspaceProps = {
  session: CollabSession
  state: SessionState
  document: DocumentDTO
  participant: ParticipantRef
  /** Connection and access notices, shown under the bar. */
  notices: ReactNode
}

/**
 * The document page proper: title bar with save status, toolbar (or the read-only notice),
 * outline on the left, the text as a page in the middle, people (and later comments) on the right.
 */
export function DocumentWorkspace({
  session,
  state,
  document,
  participant,
  notices,
}: DocumentWorkspaceProps) {
  const editor = usePlenaryEditor(session, participant, document.title)
  const people = usePresence(session, participant.id)

  return (
    <main id="main" className="doc-page">
      <div className="doc-bar">
        <div className="doc-bar__row">
          <nav className="doc-bar__crumbs" aria-label={strings.document.breadcrumb}>
            <Link href="/" className="doc-bar__back">
              {strings.header.documents}
            </Link>
            <span className="doc-bar__sep" aria-hidden="true">
              /
            </span>
          </nav>
          <h1 className="doc-bar__title">{document.title}</h1>
          <SaveStatus state={state.saveState} />
        </div>
        {session.canEdit ? (
          editor ? (
            <Toolbar editor={editor} />
          ) : (
            <div className="toolbar-placeholder" />
          )
        ) : (
          <ReadOnlyNotice document={document} />
        )}
      </div>
      {notices}
      <div className="doc-layout">
        <Outline editor={editor} />
        <div className="doc-centre">
          <article className="doc-paper">
            <div className="editor-host" data-testid="editor">
              <EditorContent editor={editor} />
            </div>
          </article>
        </div>
        <aside className="doc-aside">
          <PresenceList people={people} />
          <section className="comments-placeholder" aria-labelledby="comments-heading">
            <h2 id="comments-heading" className="sidebar-heading">
              {strings.comments.heading}
            </h2>
            <p className="quiet">{strings.comments.later}</p>
          </section>
        </aside>
      </div>
    </main>
  )
}
