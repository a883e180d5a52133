import type { ParticipantRef } from '@plenary/shared/api'
import type { Block } from '@plenary/shared/blocks'
import type { CommunicationDTO, ThreadDTO } from '@plenary/shared/threads'
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import { listParticipants } from '../api/endpoints.ts'
import { listBlocks } from '../api/threads.ts'
import { strings } from '../strings.ts'
import { CommunicationForm } from './CommunicationForm.tsx'
import { CommunicationItem } from './CommunicationItem.tsx'

const t = strings.communications

type CommunicationsPanelProps = {
  documentId: string
  communications: CommunicationDTO[] | null
  error: string | null
  onCommunication: (communication: CommunicationDTO) => void
  onThreadCreated: (thread: ThreadDTO) => void
  onOpenThread: (threadId: string) => void
  /** Where a thread is and what kind, for the links to it ("¶ C13 · Question"). */
  threadLabel: (threadId: string) => string
  onClose: () => void
  announce: (message: string) => void
}

/**
 * The secretariat's drawer on the document page: communications received on this document,
 * their acknowledgements, logging a new one, and logging threads from them.
 */
export function CommunicationsPanel({
  documentId,
  communications,
  error,
  onCommunication,
  onThreadCreated,
  onOpenThread,
  threadLabel,
  onClose,
  announce,
}: CommunicationsPanelProps) {
  const ids = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const [awaitingOnly, setAwaitingOnly] = useState(false)
  const [logging, setLogging] = useState(false)
  const [blocks, setBlocks] = useState<Block[] | null>(null)
  const [people, setPeople] = useState<ParticipantRef[]>([])
  // Acknowledged while "awaiting" is shown: kept in view, with the text just produced.
  const [justAcknowledged, setJustAcknowledged] = useState<ReadonlySet<string>>(new Set())

  useEffect(() => {
    heading.current?.focus()
    const controller = new AbortController()
    listBlocks(documentId, controller.signal).then(
      (response) => setBlocks(response.blocks),
      () => setBlocks([]),
    )
    listParticipants(controller.signal).then(
      (response) => setPeople(response.participants),
      () => undefined,
    )
    return () => controller.abort()
  }, [documentId])

  const organisations = useMemo(
    () => [...new Set(people.map((p) => p.organisation))].sort((a, b) => a.localeCompare(b)),
    [people],
  )
  const shown = (communications ?? []).filter(
    (c) => !awaitingOnly || !c.acknowledgedAt || justAcknowledged.has(c.id),
  )
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      onClose()
    }
  }

  return (
    <section
      className="drawer"
      data-testid="communications"
      aria-labelledby={`${ids}-heading`}
      onKeyDown={onKeyDown}
    >
      <header className="drawer__head">
        <h2 id={`${ids}-heading`} ref={heading} tabIndex={-1} className="drawer__title">
          {t.heading}
        </h2>
        <button type="button" className="button button--small" onClick={onClose}>
          {t.close}
        </button>
      </header>
      <p className="hint">{t.intro}</p>
      <div className="drawer__toolbar">
        <label className="inline-field" htmlFor={`${ids}-show`}>
          <span>{t.show}</span>
          <select
            id={`${ids}-show`}
            name="communicationFilter"
            className="select select--small"
            value={awaitingOnly ? 'awaiting' : 'all'}
            onChange={(event) => {
              setAwaitingOnly(event.target.value === 'awaiting')
              setJustAcknowledged(new Set())
            }}
          >
            <option value="all">{t.all}</option>
            <option value="awaiting">{t.awaiting}</option>
          </select>
        </label>
        {!logging && (
          <button type="button" className="button button--small" onClick={() => setLogging(true)}>
            {t.logNew}
          </button>
        )}
      </div>
      {logging && (
        <CommunicationForm
          documentId={documentId}
          organisations={organisations}
          onLogged={(communication) => {
            onCommunication(communication)
            setLogging(false)
            announce(t.form.logged)
          }}
          onCancel={() => setLogging(false)}
        />
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {communications === null ? (
        <p className="quiet">{t.loading}</p>
      ) : shown.length === 0 ? (
        <p className="quiet">{awaitingOnly ? t.noneAwaiting : t.none}</p>
      ) : (
        <div className="drawer__list">
          {shown.map((communication) => (
            <CommunicationItem
              key={communication.id}
              communication={communication}
              blocks={blocks}
              authors={people.filter((p) => p.organisation === communication.organisation)}
              onCommunication={onCommunication}
              onAcknowledged={(id) => setJustAcknowledged((ids) => new Set([...ids, id]))}
              onThreadCreated={onThreadCreated}
              onOpenThread={onOpenThread}
              threadLabel={threadLabel}
              announce={announce}
            />
          ))}
        </div>
      )}
    </section>
  )
}
