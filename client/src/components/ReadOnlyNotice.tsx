import type { DocumentDTO } from '@plenary/shared/api'
import { strings } from '../strings.ts'

/** Shown instead of the toolbar to those who do not hold the pen. */
export function ReadOnlyNotice({ document }: { document: DocumentDTO }) {
  const names = document.penHolderNames.map((person) => person.name)
  return (
    <p className="read-only-notice" data-testid="read-only">
      {names.length > 0
        ? strings.document.readOnly(strings.document.namesJoin(names))
        : strings.document.readOnlyNobody}
    </p>
  )
}
