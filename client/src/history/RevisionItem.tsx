import type { RevisionDTO } from '@plenary/shared/revisions'
import { formatDateTime } from '../components/dates.ts'
import { strings } from '../strings.ts'

const t = strings.history

type RevisionItemProps = {
  revision: RevisionDTO
  canRevise: boolean
  onCompare: (revisionId: string) => void
  onShow: (revision: RevisionDTO) => void
  onRestore: (revision: RevisionDTO) => void
}

/** One published revision or checkpoint: what, when, by whom, its hash, and what can be done with it. */
export function RevisionItem({ revision, canRevise, onCompare, onShow, onRestore }: RevisionItemProps) {
  const published = revision.kind === 'published'
  const people = revision.contributors.map((c) => c.name).join(', ')
  return (
    <li
      className={`revision-item revision-item--${revision.kind}`}
      data-testid="revision-item"
      data-revision-id={revision.id}
      data-kind={revision.kind}
    >
      <div className="revision-item__head">
        <span className="revision-item__label">
          {published ? revision.label : revision.label || t.checkpoint}
        </span>
        {revision.symbol && <span className="revision-item__symbol">{revision.symbol}</span>}
      </div>
      <div className="revision-item__meta">
        {formatDateTime(revision.createdAt)}
        {revision.createdByName && ` · ${t.by(revision.createdByName)}`}
      </div>
      {people && <div className="revision-item__people">{t.editsBy(people)}</div>}
      {revision.note && <p className="revision-item__note">{revision.note}</p>}
      {published && (
        <div className="revision-item__hash" title={`SHA-256 ${revision.hash}`}>
          sha256 {revision.hash.slice(0, 4)}…{revision.hash.slice(-4)}
        </div>
      )}
      <div className="revision-item__actions">
        <button type="button" className="link-button" onClick={() => onShow(revision)}>
          {t.show}
        </button>
        <button type="button" className="link-button" onClick={() => onCompare(revision.id)}>
          {t.compareWithCurrent}
        </button>
        {canRevise && (
          <button
            type="button"
            className="link-button"
            data-testid="restore-revision"
            onClick={() => onRestore(revision)}
          >
            {t.restore}
          </button>
        )}
      </div>
    </li>
  )
}
