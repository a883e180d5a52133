/**
 * The DOCX export: the header block, the title, headings, paragraphs numbered as in the editor (the
 * number written as text with a hanging indent, never Word's auto-numbering, so it cannot drift),
 * lists, tables and quotes; marked text as Word tracked changes or as bold and strikethrough; threads
 * as Word comments with their replies; the compilation of comments in a landscape section.
 */
import {
  AlignmentType,
  BorderStyle,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  type FileChild,
  HeadingLevel,
  type ICommentOptions,
  InsertedTextRun,
  Packer,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from 'docx'
import type { ChangeAuthor } from './attribution.ts'
import type { CommentLine } from './comments.ts'
import { compilationChildren } from './docxCompilation.ts'
import {
  BULLETS,
  documentStyles,
  listDefinitions,
  NUMBER_INDENT,
  orderedReference,
  Styles,
  section,
  TEXT_WIDTH,
} from './docxLayout.ts'
import { xmlSafe } from './format.ts'
import type { ExportBlock, ExportModel, TextBlock } from './model.ts'
import type { Run } from './runs.ts'

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

const lineParagraph = (line: CommentLine) =>
  new Paragraph({
    children: [
      ...(line.label ? [new TextRun({ text: xmlSafe(line.label), bold: true })] : []),
      new TextRun({ text: xmlSafe(line.text) }),
    ],
  })

class DocxWriter {
  /** Word comment ids of each model comment: the opening comment, then its replies. */
  private readonly wordIds: number[][] = []
  readonly comments: ICommentOptions[] = []
  private nextChange: number
  private readonly tracked: boolean
  private readonly bold: boolean
  readonly orderedStarts = new Set<number>([1])

  constructor(private readonly model: ExportModel) {
    let id = 0
    for (const comment of model.comments) {
      const ids: number[] = []
      comment.entries.forEach((entry, k) => {
        ids.push(id)
        this.comments.push({
          id,
          author: xmlSafe(entry.author),
          initials: xmlSafe(entry.initials),
          date: new Date(entry.date),
          children: (entry.lines.length > 0 ? entry.lines : [{ text: '' }]).map(lineParagraph),
          ...(k > 0 ? { parentId: ids[0] } : {}),
          ...(k === 0 && comment.thread.status === 'closed' ? { resolved: true } : {}),
        })
        id += 1
      })
      this.wordIds.push(ids)
    }
    this.nextChange = id + 1
    this.tracked = model.marked?.mode === 'tracked'
    this.bold = model.marked?.mode === 'bold'
  }

  private change(author: ChangeAuthor | null) {
    return {
      id: this.nextChange++,
      author: xmlSafe(author?.name || 'Plenary'),
      // Word writes revision dates to the second.
      date: (author?.date || this.model.date).replace(/\.\d+Z$/, 'Z'),
    }
  }

  /** Runs of text with their style and marks; comment ranges and references around them. */
  runs(runs: Run[], extra: { bold?: boolean } = {}): ParagraphChild[] {
    const out: ParagraphChild[] = []
    for (const run of runs) {
      if (run.kind === 'commentStart') {
        for (const id of this.wordIds[run.comment] ?? []) out.push(new CommentRangeStart(id))
        continue
      }
      if (run.kind === 'commentEnd') {
        const ids = this.wordIds[run.comment] ?? []
        for (const id of ids) out.push(new CommentRangeEnd(id))
        for (const id of ids) out.push(new TextRun({ children: [new CommentReference(id)] }))
        continue
      }
      const pieces = xmlSafe(run.text).split('\n')
      const made = pieces.map((text, k) => {
        const options = {
          text,
          break: k > 0 ? 1 : undefined,
          bold: run.style.bold || extra.bold || (this.bold && run.change === 'insert') || undefined,
          italics: run.style.italic,
          underline: run.style.underline ? {} : undefined,
          strike: run.style.strike || (this.bold && run.change === 'delete') || undefined,
          style: run.style.href ? 'Hyperlink' : undefined,
        }
        if (this.tracked && run.change === 'insert')
          return new InsertedTextRun({ ...options, ...this.change(run.author) })
        if (this.tracked && run.change === 'delete')
          return new DeletedTextRun({ ...options, ...this.change(run.author) })
        return new TextRun(options)
      })
      if (run.style.href) out.push(new ExternalHyperlink({ link: run.style.href, children: made }))
      else out.push(...made)
    }
    return out
  }

  /** The paragraph number as text, marked like its paragraph when that was added or removed. */
  private numberRuns(block: TextBlock): ParagraphChild[] {
    const change = block.change === 'added' ? 'insert' : block.change === 'removed' ? 'delete' : null
    const number: Run = { kind: 'text', text: `${block.number}.`, style: {}, change, author: block.author }
    return [...this.runs([number]), new TextRun({ children: [new Tab()] })]
  }

  paragraph(
    block: TextBlock,
    list?: { reference: string; level: number; instance?: number },
    quoted = false,
  ): Paragraph {
    const whole = this.tracked && (block.change === 'added' || block.change === 'removed')
    const mark = whole
      ? {
          run:
            block.change === 'added'
              ? { insertion: this.change(block.author) }
              : { deletion: this.change(block.author) },
        }
      : {}
    const children = this.runs(block.runs)
    if (block.node === 'heading') {
      return new Paragraph({
        heading: HEADINGS[Math.min(Math.max(block.level, 1), 3) - 1],
        children,
        ...mark,
      })
    }
    if (list) return new Paragraph({ numbering: list, children, ...mark })
    if (block.number) {
      return new Paragraph({
        indent: { left: NUMBER_INDENT, hanging: NUMBER_INDENT },
        tabStops: [{ type: TabStopType.LEFT, position: NUMBER_INDENT }],
        children: [...this.numberRuns(block), ...children],
        ...mark,
      })
    }
    switch (block.role) {
      case 'title':
        return new Paragraph({ style: Styles.title, children, ...mark })
      case 'issuer':
        return new Paragraph({ style: Styles.header, children, ...mark })
      case 'symbol':
        return new Paragraph({
          style: Styles.header,
          alignment: AlignmentType.RIGHT,
          children: this.runs(block.runs, { bold: true }),
          ...mark,
        })
      case 'date':
      case 'distribution':
      case 'original':
        return new Paragraph({ style: Styles.header, alignment: AlignmentType.RIGHT, children, ...mark })
      default:
        return new Paragraph({ style: quoted ? Styles.quote : undefined, children, ...mark })
    }
  }

  /** Quotes are paragraphs in the Quote style (indented), which import reads back as quotes. */
  blocks(blocks: ExportBlock[], depth = 0, quoted = false): FileChild[] {
    const out: FileChild[] = []
    blocks.forEach((block, k) => {
      if (block.kind === 'text') {
        const paragraph = this.paragraph(block, undefined, quoted)
        out.push(paragraph)
        // A rule under the header block, as on UN documents.
        const next = blocks[k + 1]
        if (
          block.role !== 'body' &&
          block.role !== 'title' &&
          (next?.kind !== 'text' || next.role === 'body' || next.role === 'title')
        ) {
          out.push(
            new Paragraph({
              border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
              spacing: { after: 240 },
            }),
          )
        }
        if (block.role === 'title' && this.model.marked) out.push(this.markedNote())
      } else if (block.kind === 'list') {
        out.push(...this.list(block, depth))
      } else if (block.kind === 'quote') {
        out.push(...this.blocks(block.children, depth, true))
      } else {
        out.push(this.table(block))
      }
    })
    return out
  }

  private listInstance = 0

  private list(block: Extract<ExportBlock, { kind: 'list' }>, depth: number): FileChild[] {
    const reference = block.ordered ? orderedReference(block.start) : BULLETS
    if (block.ordered) this.orderedStarts.add(block.start)
    const instance = ++this.listInstance
    const out: FileChild[] = []
    for (const item of block.items) {
      item.forEach((child, k) => {
        if (child.kind === 'text' && k === 0) {
          out.push(this.paragraph(child, { reference, level: Math.min(depth, 3), instance }))
        } else if (child.kind === 'list') {
          out.push(...this.list(child, depth + 1))
        } else if (child.kind === 'text') {
          out.push(
            new Paragraph({
              indent: { left: NUMBER_INDENT + 360 * (Math.min(depth, 3) + 1) },
              children: this.runs(child.runs),
            }),
          )
        } else {
          out.push(...this.blocks([child], depth + 1))
        }
      })
    }
    return out
  }

  private table(block: Extract<ExportBlock, { kind: 'table' }>): Table {
    const columns = Math.max(1, ...block.rows.map((row) => row.reduce((n, c) => n + c.colspan, 0)))
    const width = Math.floor(TEXT_WIDTH.portrait / columns)
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      columnWidths: Array.from({ length: columns }, () => width),
      rows: block.rows.map(
        (row) =>
          new TableRow({
            tableHeader: row.length > 0 && row.every((c) => c.header) ? true : undefined,
            cantSplit: true,
            // A row whose every cell was removed is a deleted row: accepting the changes drops it.
            ...(this.tracked && removedRow(row) ? { deletion: this.change(removedRow(row)) } : {}),
            children: row.map((cell) => {
              const children = this.blocks(cell.children).filter(
                (c): c is Paragraph | Table => c instanceof Paragraph || c instanceof Table,
              )
              return new TableCell({
                columnSpan: cell.colspan > 1 ? cell.colspan : undefined,
                rowSpan: cell.rowspan > 1 ? cell.rowspan : undefined,
                margins: { top: 60, bottom: 60, left: 100, right: 100 },
                shading: cell.header ? { type: ShadingType.CLEAR, fill: 'E7E6E6', color: 'auto' } : undefined,
                children: children.length > 0 ? children : [new Paragraph({})],
              })
            }),
          }),
      ),
    })
  }

  private markedNote(): Paragraph {
    const marked = this.model.marked
    const text =
      marked?.mode === 'bold'
        ? `Changes since ${marked.against}: insertions are shown in bold and deletions struck through.`
        : `Changes since ${marked?.against} are shown as tracked changes.`
    return new Paragraph({ style: Styles.note, children: [new TextRun(text)] })
  }
}

/** The author of a row whose cells all hold removed text only, else null. */
function removedRow(row: { children: ExportBlock[] }[]): ChangeAuthor | null {
  const blocks = row.flatMap((cell) => cell.children)
  const removed = blocks.length > 0 && blocks.every((b) => b.kind === 'text' && b.change === 'removed')
  return removed ? ((blocks[0] as TextBlock).author ?? { name: 'Plenary', date: '' }) : null
}

export async function renderDocx(model: ExportModel): Promise<Buffer> {
  const writer = new DocxWriter(model)
  const body = writer.blocks(model.blocks)
  const sections = [section('portrait', model.symbol, body)]
  if (model.compilation) {
    sections.push(section('landscape', model.symbol, compilationChildren(model.compilation), false))
  }
  const document = new Document({
    creator: 'Plenary',
    title: xmlSafe(model.title),
    description: xmlSafe(`${model.title} (${model.versionLabel})`),
    styles: documentStyles(),
    numbering: { config: listDefinitions(writer.orderedStarts) },
    comments: { children: writer.comments },
    sections,
  })
  return Packer.toBuffer(document)
}
