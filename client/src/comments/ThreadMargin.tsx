import type { DocumentDTO } from '@plenary/shared/api'
import type { ThreadDTO } from '@plenary/shared/threads'
import type { RefObject } from 'react'
import { strings } from '../strings.ts'
import { CommentDeadline } from './CommentDeadline.tsx'
import type { CardEnv } from './cardEnv.ts'
import { isFiltered, organisationsOf } from './filters.ts'
import type { Reveal } from './reveal.ts'
import { ThreadCard } from './ThreadCard.tsx'
import { ThreadComposer } from './ThreadComposer.tsx'
import { ThreadFilters } from './ThreadFilters.tsx'
import type { BlockIndex } from './useBlockPlaces.ts'
import type { CommentsController } from './useComments.ts'
import { COMPOSER_KEY } from './useMarginLayout.ts'

const t = strings.comments

type ThreadMarginProps = {
  document: DocumentDTO
  threads: ThreadDTO[] | null
  loadError: string | null
  /** Anchored threads in the order of the text. */
  anchored: ThreadDTO[]
  comments: CommentsController
  env: CardEnv
  blocks: BlockIndex
  canComment: boolean
  onActivate: (threadId: string | null, reveal: Reveal) => void
  onCreated: (thread: ThreadDTO) => void
  onCancelComposer: () => void
  onDocument: (document: DocumentDTO) => void
  layer: RefObject<HTMLElement | null>
  header: RefObject<HTMLDivElement | null>
  registerCard: (key: string) => (element: HTMLElement | null) => void
}

/**
 * The right margin: deadline and filters at the top, then the threads on the document as a whole
 * and the orphaned ones, then every other thread level with its words.
 */
export function ThreadMargin({
  document,
  threads,
  loadError,
  anchored,
  comments,
  env,
  blocks,
  canComment,
  onActivate,
  onCreated,
  onCancelComposer,
  onDocument,
  layer,
  header,
  registerCard,
}: ThreadMarginProps) {
  const { composer, sections, filter, activeId } = comments
  const total = threads?.length ?? 0
  const late = document.commentDeadline !== null && new Date(document.commentDeadline).getTime() < Date.now()

  const composerFor = (placed: boolean) =>
    composer && (
      <ThreadComposer
        key={composer.key}
        documentId={document.id}
        anchor={composer.anchor}
        places={blocks.list}
        placesById={blocks.byId}
        late={late}
        onCreated={onCreated}
        onClose={onCancelComposer}
        placed={placed}
        cardRef={placed ? registerCard(COMPOSER_KEY) : undefined}
      />
    )

  const card = (thread: ThreadDTO, placed: boolean) => (
    <ThreadCard
      key={thread.id}
      thread={thread}
      env={env}
      expanded={thread.id === activeId}
      onActivate={onActivate}
      placed={placed}
      cardRef={placed ? registerCard(thread.id) : undefined}
    />
  )

  let summary: string
  if (loadError && threads === null) summary = `${t.loadFailed} ${loadError}`
  else if (threads === null) summary = t.loading
  else if (total === 0) summary = canComment ? t.none : t.noneReader
  else if (comments.visible.length === 0) summary = t.noneMatch
  else if (isFiltered(filter)) summary = t.shown(comments.visible.length, total)
  else summary = t.count(total)

  return (
    <aside ref={layer} className="doc-aside thread-margin" aria-labelledby="comments-heading">
      <div ref={header} className="thread-margin__top">
        <div className="thread-margin__title">
          <h2 id="comments-heading" className="sidebar-heading">
            {t.heading}
          </h2>
          {canComment && (
            <button type="button" className="button button--small" onClick={comments.composeGeneral}>
              {t.generalComment}
            </button>
          )}
        </div>
        <CommentDeadline
          document={document}
          canSet={document.canEdit}
          onDocument={onDocument}
          announce={env.announce}
        />
        {total > 0 && (
          <ThreadFilters
            filter={filter}
            onChange={comments.setFilter}
            organisations={organisationsOf(threads ?? [])}
          />
        )}
        <p className="thread-margin__summary" data-testid="thread-summary">
          {summary}
        </p>
        {composer && !composer.anchor && composerFor(false)}
        {sections.general.length > 0 && (
          <section className="margin-section" aria-labelledby="general-threads-heading">
            <h3 id="general-threads-heading" className="margin-section__heading">
              {t.generalHeading}
            </h3>
            {sections.general.map((thread) => card(thread, false))}
          </section>
        )}
        {sections.orphaned.length > 0 && (
          <section
            className="margin-section margin-section--orphaned"
            aria-labelledby="orphaned-threads-heading"
            data-testid="orphaned-threads"
          >
            <h3 id="orphaned-threads-heading" className="margin-section__heading">
              {t.orphanedHeading}
            </h3>
            <p className="hint">{t.orphanedHint}</p>
            {sections.orphaned.map((thread) => card(thread, false))}
          </section>
        )}
      </div>
      {composer?.anchor && composerFor(true)}
      {anchored.map((thread) => card(thread, true))}
    </aside>
  )
}
