import type { DocumentDTO } from '@plenary/shared/api'
import { documentPath } from '../navigation/routes.ts'
import { strings } from '../strings.ts'
import { formatDateTime } from './dates.ts'
import { Link } from './Link.tsx'

function penHolderText(document: DocumentDTO): string {
  if (document.penHolderNames.length === 0) return strings.home.noPenHolders
  return document.penHolderNames.map((person) => `${person.name} (${person.organisation})`).join('; ')
}

function DocumentItem({ document }: { document: DocumentDTO }) {
  const when = formatDateTime(document.updatedAt)
  const lastChange = document.lastChangeBy
    ? strings.home.lastChangeBy(when, `${document.lastChangeBy.name} (${document.lastChangeBy.organisation})`)
    : when
  return (
    <li className="document-item">
      <div className="document-item__head">
        <h2 className="document-item__title">
          <Link href={documentPath(document.id)} data-testid="document-link">
            {document.title}
          </Link>
        </h2>
        {document.canEdit && <span className="badge badge--pen">{strings.home.youHoldThePen}</span>}
      </div>
      <dl className="document-item__meta">
        <div>
          <dt>{strings.home.penHolders}</dt>
          <dd>{penHolderText(document)}</dd>
        </div>
        <div>
          <dt>{strings.home.lastChange}</dt>
          <dd>
            <time dateTime={document.updatedAt}>{lastChange}</time>
          </dd>
        </div>
      </dl>
    </li>
  )
}

export function DocumentList({ documents, emptyText }: { documents: DocumentDTO[]; emptyText: string }) {
  if (documents.length === 0) return <p className="empty">{emptyText}</p>
  return (
    <ul className="document-list" aria-label={strings.home.listLabel}>
      {documents.map((document) => (
        <DocumentItem key={document.id} document={document} />
      ))}
    </ul>
  )
}
