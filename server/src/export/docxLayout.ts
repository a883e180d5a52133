/**
 * Page set-up and styles of every DOCX that Plenary writes: A4, UN-document margins (2.5 cm top
 * and bottom, 2.2 cm at the sides), Times New Roman, the symbol in the header of every page but the
 * first, and "Page X of Y" in the footer.
 */
import {
  AlignmentType,
  Footer,
  Header,
  type ISectionOptions,
  type IStylesOptions,
  LevelFormat,
  type NumberingDefinition,
  PageNumber,
  PageOrientation,
  Paragraph,
  TextRun,
} from 'docx'

/** A4 in twentieths of a point. */
export const A4 = { width: 11906, height: 16838 }
export const MARGIN = { top: 1417, bottom: 1417, left: 1247, right: 1247, header: 709, footer: 709 }
export const TEXT_WIDTH = {
  portrait: A4.width - MARGIN.left - MARGIN.right,
  landscape: A4.height - MARGIN.left - MARGIN.right,
}
/** The hanging indent of numbered paragraphs: the number, a tab, then the text. */
export const NUMBER_INDENT = 680

/** Paragraph style ids; the names are what Word shows and what import recognises. */
export const Styles = {
  title: 'PlenaryTitle',
  header: 'PlenaryHeaderLine',
  note: 'PlenaryNote',
  quote: 'Quote',
  compilation: 'PlenaryCompilation',
  compilationGroup: 'PlenaryCompilationGroup',
} as const

export const StyleNames = {
  title: 'Plenary Title',
  note: 'Plenary Note',
  compilation: 'Plenary Compilation',
} as const

const FONT = 'Times New Roman'

export function documentStyles(): IStylesOptions {
  const heading = (size: number, before: number) => ({
    run: { font: FONT, size, bold: true, color: '000000' },
    paragraph: { spacing: { before, after: 120 }, keepNext: true, keepLines: true },
  })
  return {
    default: {
      document: { run: { font: FONT, size: 22 }, paragraph: { spacing: { after: 120, line: 260 } } },
      heading1: heading(28, 360),
      heading2: heading(24, 240),
      heading3: {
        ...heading(22, 200),
        run: { font: FONT, size: 22, bold: true, italics: true, color: '000000' },
      },
      listParagraph: { paragraph: { spacing: { after: 60 } } },
    },
    paragraphStyles: [
      {
        id: Styles.title,
        name: StyleNames.title,
        basedOn: 'Normal',
        next: 'Normal',
        run: { size: 28, bold: true },
        paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 360, after: 240 }, keepNext: true },
      },
      {
        id: Styles.header,
        name: 'Plenary Header Line',
        basedOn: 'Normal',
        paragraph: { spacing: { after: 0 } },
      },
      {
        id: Styles.note,
        name: StyleNames.note,
        basedOn: 'Normal',
        run: { italics: true, size: 20 },
        paragraph: { spacing: { before: 120, after: 240 } },
      },
      {
        id: Styles.quote,
        name: 'Quote',
        basedOn: 'Normal',
        paragraph: { indent: { left: 720, right: 720 } },
      },
      {
        id: Styles.compilation,
        name: StyleNames.compilation,
        basedOn: 'Normal',
        run: { size: 28, bold: true },
        paragraph: { spacing: { after: 120 }, keepNext: true },
      },
      {
        id: Styles.compilationGroup,
        name: 'Plenary Compilation Group',
        basedOn: 'Normal',
        run: { size: 24, bold: true },
        paragraph: { spacing: { before: 240, after: 120 }, keepNext: true },
      },
    ],
  }
}

const levels = (format: 'bullet' | 'decimal', start = 1) =>
  Array.from({ length: 4 }, (_, level) => ({
    level,
    format: format === 'bullet' ? LevelFormat.BULLET : LevelFormat.DECIMAL,
    text: format === 'bullet' ? ['•', '–', '◦', '·'][level] : `%${level + 1}.`,
    start: format === 'bullet' ? 1 : start,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: NUMBER_INDENT + 360 * (level + 1), hanging: 360 } } },
  }))

export const BULLETS = 'plenary-bullets'
export const orderedReference = (start: number) => `plenary-ordered-${start}`

export function listDefinitions(starts: Iterable<number>): NumberingDefinition[] {
  return [
    { reference: BULLETS, levels: levels('bullet') },
    ...[...new Set(starts)].map((start) => ({
      reference: orderedReference(start),
      levels: levels('decimal', start),
    })),
  ]
}

const small = (text: string) => new TextRun({ text, size: 18 })

function footer(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({ size: 18, children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  })
}

/** Section properties: A4 portrait or landscape, the symbol at the top of every page after the first. */
export function section(
  orientation: 'portrait' | 'landscape',
  symbol: string | null,
  children: ISectionOptions['children'],
  firstPageHeader = true,
): ISectionOptions {
  const running = new Header({
    children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: symbol ? [small(symbol)] : [] })],
  })
  return {
    properties: {
      titlePage: firstPageHeader,
      page: {
        size: {
          width: A4.width,
          height: A4.height,
          orientation: orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
        },
        margin: MARGIN,
      },
    },
    headers: firstPageHeader
      ? { default: running, first: new Header({ children: [new Paragraph({})] }) }
      : { default: running },
    footers: { default: footer(), first: footer() },
    children,
  }
}
