/**
 * The compilation of comments as DOCX: a landscape table per group (States, then civil society,
 * industry and international organisations), a shaded row naming each paragraph (or
 * organisation), one row per thread.
 */
import {
  AlignmentType,
  Document,
  type FileChild,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { Compilation, CompilationRow } from './compilation.ts'
import { documentStyles, listDefinitions, Styles, section, TEXT_WIDTH } from './docxLayout.ts'
import { longDate, xmlSafe } from './format.ts'

const COLUMNS = [
  { title: 'Para.', width: 0.08 },
  { title: 'Delegation', width: 0.14 },
  { title: 'Kind', width: 0.09 },
  { title: 'Comment or proposed wording', width: 0.29 },
  { title: 'Replies', width: 0.16 },
  { title: 'Disposition and response', width: 0.15 },
  { title: 'Dates', width: 0.09 },
]

const widths = COLUMNS.map((c) => Math.floor(c.width * TEXT_WIDTH.landscape))

const text = (value: string, options: { bold?: boolean; italics?: boolean; size?: number } = {}) =>
  value
    .split('\n')
    .map((line, k) => new TextRun({ text: line, break: k > 0 ? 1 : undefined, size: 18, ...options }))

const cell = (paragraphs: Paragraph[], options: { span?: number; shade?: string } = {}) =>
  new TableCell({
    columnSpan: options.span,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    shading: options.shade ? { type: ShadingType.CLEAR, fill: options.shade, color: 'auto' } : undefined,
    children: paragraphs.length > 0 ? paragraphs : [new Paragraph({})],
  })

const para = (runs: TextRun[]) => new Paragraph({ spacing: { after: 40 }, children: runs })

function rowCells(row: CompilationRow): TableCell[] {
  const comment = [para(text(row.comment))]
  if (row.proposal)
    comment.push(para([new TextRun({ text: 'Proposal: ', bold: true, size: 18 }), ...text(row.proposal)]))
  const delegation = [para(text(row.organisation, { bold: true }))]
  if (row.person) delegation.push(para(text(row.person, { italics: true })))
  const disposition = row.disposition ? [para(text(row.disposition, { bold: true }))] : []
  if (row.response) disposition.push(para(text(row.response)))
  return [
    cell([para(text(row.paragraph, { bold: true }))]),
    cell(delegation),
    cell([para(text(row.kind)), para(text(row.status, { italics: true }))]),
    cell(comment),
    cell(row.replies.map((r) => para(text(r)))),
    cell(disposition),
    cell([
      para(text(`Received ${row.received}`)),
      ...(row.acknowledged ? [para(text(`Acknowledged ${row.acknowledged}`))] : []),
    ]),
  ]
}

/** The compilation's title, note and tables, to end a document or to stand alone. */
export function compilationChildren(compilation: Compilation): FileChild[] {
  const out: FileChild[] = [
    new Paragraph({ style: Styles.compilation, children: [new TextRun(compilation.title)] }),
    new Paragraph({
      children: [
        new TextRun({ text: xmlSafe(compilation.documentTitle), bold: true }),
        new TextRun(` (${compilation.versionLabel}), ${longDate(compilation.date)}`),
      ],
    }),
    new Paragraph({ style: Styles.note, children: [new TextRun(compilation.note)] }),
  ]
  if (compilation.count === 0) {
    out.push(new Paragraph({ children: [new TextRun('No comments have been received.')] }))
    return out
  }
  for (const group of compilation.groups) {
    out.push(new Paragraph({ style: Styles.compilationGroup, children: [new TextRun(xmlSafe(group.label))] }))
    const header = new TableRow({
      tableHeader: true,
      children: COLUMNS.map((c) => cell([para(text(c.title, { bold: true }))], { shade: 'D9D9D9' })),
    })
    const rows = [header]
    for (const s of group.sections) {
      rows.push(
        new TableRow({
          cantSplit: true,
          keepNext: true,
          children: [cell([para(text(s.label, { bold: true }))], { span: COLUMNS.length, shade: 'F2F2F2' })],
        }),
      )
      for (const row of s.rows) rows.push(new TableRow({ cantSplit: true, children: rowCells(row) }))
    }
    out.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, columnWidths: widths, rows }))
  }
  out.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { before: 240 },
      children: text(`${compilation.count} comment${compilation.count === 1 ? '' : 's'}`, { italics: true }),
    }),
  )
  return out
}

/** The compilation on its own, as a landscape DOCX. */
export async function renderCompilationDocx(
  compilation: Compilation,
  symbol: string | null,
): Promise<Buffer> {
  const document = new Document({
    creator: 'Plenary',
    title: xmlSafe(`${compilation.title}: ${compilation.documentTitle}`),
    styles: documentStyles(),
    numbering: { config: listDefinitions([1]) },
    sections: [section('landscape', symbol, compilationChildren(compilation))],
  })
  return Packer.toBuffer(document)
}
