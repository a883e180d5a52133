/**
 * The compilation as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads accents),
 * RFC 4180 quoting and CRLF line ends, one header row. A cell that a spreadsheet would take for a
 * formula (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe.
 */
import { type Compilation, compilationRows } from './compilation.ts'

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function compilationCsv(compilation: Compilation): string {
  const withNames = compilation.attribution
  const header = [
    'Group',
    'Paragraph',
    'Paragraph text',
    'Organisation',
    'Organisation type',
    ...(withNames ? ['Person'] : []),
    'Kind',
    'Status',
    'Comment',
    'Proposed wording',
    'Replies',
    'Disposition',
    'Response',
    'Received',
    'Acknowledged',
  ]
  const lines = [header.map(csvCell).join(',')]
  for (const { group, row } of compilationRows(compilation)) {
    const cells = [
      group,
      row.paragraph,
      row.paragraphText,
      row.organisation,
      row.organisationKind,
      ...(withNames ? [row.person ?? ''] : []),
      row.kind,
      row.status,
      row.comment,
      row.proposal,
      row.replies.join('\n'),
      row.disposition,
      row.response,
      row.received,
      row.acknowledged,
    ]
    lines.push(cells.map(csvCell).join(','))
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
