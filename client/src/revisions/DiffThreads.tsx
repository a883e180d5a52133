import { kindLabels, statusLabels, type ThreadDTO } from '@plenary/shared/threads'
import { useId, useState } from 'react'
import { strings } from '../strings.ts'

const t = strings.revisions.compare

/** A thread as far as the redline knows it: loaded, still loading, or not visible to this reader. */
export type ThreadInfo = ThreadDTO | 'loading' | 'hidden'

type DiffThreadsProps = {
  threadIds: string[]
  /** "¶ C12", for the label read out with the count. */
  place: string
  lookup: (threadId: string) => ThreadInfo
  onOpenThread: (threadId: string) => void
}

/** "2 comments · Mexico, Ruritania" under a changed paragraph; opens into the list of its threads. */
export function DiffThreads({ threadIds, place, lookup, onOpenThread }: DiffThreadsProps) {
  const listId = useId()
  const [open, setOpen] = useState(false)
  const known = threadIds.map(lookup).filter((info): info is ThreadDTO => typeof info === 'object')
  const organisations = [...new Set(known.map((thread) => thread.author.organisation))]

  return (
    <div className="diff-threads">
      <button
        type="button"
        className="diff-threads__toggle"
        aria-expanded={open}
        aria-controls={listId}
        aria-label={t.commentsLabel(threadIds.length, place)}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true" className="diff-threads__icon" />
        {t.comments(threadIds.length)}
      </button>
      {organisations.length > 0 && <span className="diff-threads__orgs">{organisations.join(', ')}</span>}
      <ul id={listId} className="diff-threads__list" hidden={!open}>
        {threadIds.map((threadId) => {
          const info = lookup(threadId)
          return (
            <li key={threadId}>
              {info === 'loading' ? (
                <span className="revision-quiet">{t.threadLoading}</span>
              ) : info === 'hidden' ? (
                <span className="revision-quiet">{t.threadHidden}</span>
              ) : (
                <>
                  <span>
                    {t.threadLine(info.author.organisation, kindLabels[info.kind], statusLabels[info.status])}
                  </span>
                  <button type="button" className="revision-link" onClick={() => onOpenThread(threadId)}>
                    {t.showInText}
                  </button>
                </>
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
