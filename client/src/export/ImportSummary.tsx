import { useEffect, useRef } from 'react'
import { Link } from '../components/Link.tsx'
import { documentPath } from '../navigation/routes.ts'
import { strings } from '../strings.ts'
import type { ImportResult } from './importApi.ts'

const t = strings.importDocument

/** What an import brought in: counts, numbering, what was left out, the converter's notes. */
export function ImportSummary({ result, onAnother }: { result: ImportResult; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null)
  const { document, summary } = result
  const { imported, numbering, dropped } = summary

  // Said at once to screen readers, and the next Tab reaches the link to the new document.
  useEffect(() => heading.current?.focus(), [])

  const kept = [
    imported.headings > 0 && t.count.headings(imported.headings),
    imported.paragraphs > 0 && t.count.paragraphs(imported.paragraphs, imported.numberedParagraphs),
    imported.lists > 0 && t.count.lists(imported.lists, imported.listItems),
    imported.tables > 0 && t.count.tables(imported.tables),
    imported.quotes > 0 && t.count.quotes(imported.quotes),
    imported.links > 0 && t.count.links(imported.links),
    imported.comments > 0 &&
      t.count.comments(imported.comments, imported.commentsOnWords ?? imported.comments, imported.replies),
    imported.numberedParagraphs > 0 && t.count.prefixes(numbering.prefixes),
    numbering.renumbered > 0 && t.count.renumbered(numbering.renumbered),
  ].filter((line): line is string => Boolean(line))

  const left = [
    dropped.images > 0 && t.dropped.images(dropped.images),
    dropped.footnotes > 0 && t.dropped.footnotes(dropped.footnotes),
    dropped.endnotes > 0 && t.dropped.endnotes(dropped.endnotes),
    dropped.fields > 0 && t.dropped.fields(dropped.fields),
    dropped.trackedInsertionsAccepted > 0 && t.dropped.insertions(dropped.trackedInsertionsAccepted),
    dropped.trackedDeletionsAccepted > 0 && t.dropped.deletions(dropped.trackedDeletionsAccepted),
    dropped.compilation && t.dropped.compilation,
    dropped.notes > 0 && t.dropped.notes(dropped.notes),
  ].filter((line): line is string => Boolean(line))

  return (
    <div className="import-summary" data-testid="import-summary">
      <h3 ref={heading} className="import-summary__title" tabIndex={-1}>
        {t.done(document.title)}
      </h3>
      <h4 className="import-summary__heading">{t.importedHeading}</h4>
      {kept.length > 0 ? (
        <ul className="import-summary__list">
          {kept.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="quiet">{t.nothingImported}</p>
      )}
      <h4 className="import-summary__heading">{t.droppedHeading}</h4>
      {left.length > 0 ? (
        <ul className="import-summary__list import-summary__list--dropped">
          {left.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="quiet">{t.nothingDropped}</p>
      )}
      {summary.warnings.length > 0 && (
        <details className="import-summary__warnings">
          <summary>{t.warningsHeading}</summary>
          <ul>
            {summary.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </details>
      )}
      <div className="import-summary__actions">
        <Link
          href={documentPath(document.id)}
          className="button button--primary"
          data-testid="import-open-document"
        >
          {t.openDocument}
        </Link>
        <button type="button" className="button" onClick={onAnother}>
          {t.another}
        </button>
      </div>
    </div>
  )
}
