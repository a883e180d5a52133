import type { DocumentDTO, ParticipantRef } from '@plenary/shared/api'
import { EditorContent } from '@tiptap/react'
import { type ReactNode, useRef, useState } from 'react'
import type { CollabSession } from '../collab/CollabSession.ts'
import { usePresence } from '../collab/usePresence.ts'
import { CommentButton } from '../comments/CommentButton.tsx'
import { canComment, isSecretariat } from '../comments/cardEnv.ts'
import { ParagraphCounts } from '../comments/ParagraphCounts.tsx'
import { ThreadMargin } from '../comments/ThreadMargin.tsx'
import { useThreadRoom } from '../comments/useThreadRoom.ts'
import { CommunicationsButton } from '../communications/CommunicationsButton.tsx'
import { CommunicationsPanel } from '../communications/CommunicationsPanel.tsx'
import { useCommunications } from '../communications/useCommunications.ts'
import { Link } from '../components/Link.tsx'
import { PresenceList } from '../components/PresenceList.tsx'
import { ReadOnlyNotice } from '../components/ReadOnlyNotice.tsx'
import { SaveStatus } from '../components/SaveStatus.tsx'
import { ExportMenu } from '../export/ExportMenu.tsx'
import { RevisionButtons } from '../revisions/RevisionButtons.tsx'
import { RevisionLayers } from '../revisions/RevisionLayers.tsx'
import { useRevisionRoom } from '../revisions/useRevisionRoom.ts'
import { strings } from '../strings.ts'
import { Outline } from './Outline.tsx'
import { Toolbar } from './Toolbar.tsx'
import { useBarHeight } from './useBarHeight.ts'
import { usePlenaryEditor } from './usePlenaryEditor.ts'

type DocumentWorkspaceProps = {
  session: CollabSession
  document: DocumentDTO
  participant: ParticipantRef
  /** Connection and access notices, shown under the bar. */
  notices: ReactNode
  /** The metadata changed here (the comment deadline). */
  onDocument: (document: DocumentDTO) => void
}

/**
 * The document page proper: title bar with people and save status, toolbar (or the read-only
 * notice), outline on the left, the text as a page in the middle, comment threads in the right
 * margin beside the words they are on, and for the secretariat a drawer of communications.
 */
export function DocumentWorkspace({
  session,
  document,
  participant,
  notices,
  onDocument,
}: DocumentWorkspaceProps) {
  const editor = usePlenaryEditor(session, participant, document.title)
  const people = usePresence(session, participant.id)
  const paper = useRef<HTMLElement>(null)
  const room = useThreadRoom({ session, editor, document, participant, paper })
  const secretariat = isSecretariat(participant)
  const inbox = useCommunications(session, document.id, secretariat)
  const revisions = useRevisionRoom(session, document, participant)
  const [drawerOpen, setDrawerOpen] = useState(false)
  const drawerButton = useRef<HTMLButtonElement>(null)
  const page = useRef<HTMLElement>(null)
  const bar = useRef<HTMLDivElement>(null)
  useBarHeight(page, bar)

  const closeDrawer = () => {
    setDrawerOpen(false)
    drawerButton.current?.focus()
  }

  return (
    <main id="main" ref={page} className="doc-page">
      <div ref={bar} className="doc-bar">
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
          <PresenceList people={people} />
          {secretariat && (
            <CommunicationsButton
              ref={drawerButton}
              open={drawerOpen}
              communications={inbox.communications}
              onToggle={() => (drawerOpen ? closeDrawer() : setDrawerOpen(true))}
            />
          )}
          <RevisionButtons room={revisions} />
          <ExportMenu documentId={document.id} />
          <SaveStatus session={session} />
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
          <article className="doc-paper" ref={paper}>
            <div className="editor-host" data-testid="editor">
              <EditorContent editor={editor} />
            </div>
            <ParagraphCounts
              threads={room.anchored}
              places={room.blocks.stable.byId}
              registerBubble={room.layout.registerBubble}
              onOpen={room.openFromCount}
            />
            {room.selectionTop !== null && (
              <CommentButton top={room.selectionTop} onComment={room.comments.composeOnSelection} />
            )}
          </article>
        </div>
        <ThreadMargin
          document={document}
          threads={room.threads.threads}
          loadError={room.threads.error}
          anchored={room.anchored}
          comments={room.comments}
          env={room.env}
          blocks={room.blocks}
          canComment={canComment(participant)}
          onActivate={room.activate}
          onCreated={room.onCreated}
          onCancelComposer={room.cancelComposer}
          onDocument={onDocument}
          layer={room.margin}
          header={room.marginTop}
          registerCard={room.layout.registerCard}
        />
      </div>
      {drawerOpen && (
        <CommunicationsPanel
          documentId={document.id}
          communications={inbox.communications}
          error={inbox.error}
          onCommunication={inbox.upsert}
          onThreadCreated={(thread) => {
            room.onCreated(thread)
            inbox.reload()
          }}
          onOpenThread={(threadId) => room.activate(threadId, 'show')}
          threadLabel={room.threadLabel}
          onClose={closeDrawer}
          announce={room.announce}
        />
      )}
      <RevisionLayers
        room={revisions}
        threads={room.threads.threads}
        onOpenThread={(threadId) => room.activate(threadId, 'show')}
      />
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
        {room.announcement}
      </p>
    </main>
  )
}
