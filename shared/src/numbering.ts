/**
 * Paragraph numbers are derived, never stored. Top-level paragraphs are numbered in document
 * order unless they carry `numbered: false`; a top-level heading with a `numberPrefix` restarts
 * the count with that prefix (`''` for plain 1, 2, 3…, `'C'` for C1, C2…). Everything else
 * (headings, list items, table cells, quotes) has no number. The editor margin, the API and
 * every export call this one function.
 */
export type NumberingUnit = {
  type: string
  /** A direct child of the document. */
  topLevel: boolean
  numbered?: boolean | null
  numberPrefix?: string | null
}

export function paragraphNumbers(units: readonly NumberingUnit[]): (string | null)[] {
  let prefix = ''
  let counter = 0
  return units.map((unit) => {
    if (!unit.topLevel) return null
    if (unit.type === 'heading') {
      if (typeof unit.numberPrefix === 'string') {
        prefix = unit.numberPrefix
        counter = 0
      }
      return null
    }
    if (unit.type !== 'paragraph' || unit.numbered === false) return null
    counter += 1
    return `${prefix}${counter}`
  })
}
