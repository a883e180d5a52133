/**
 * DOCX import: a Word draft with typed paragraph numbers, an annex numbered A1, A2…, a table, a
 * list, Word comments (one by a known participant, one by a stranger, a threaded reply), tracked
 * changes, an image, a footnote and a field becomes a document with derived numbers and threads;
 * bad files, oversize files and non-secretariat importers are refused with nothing created.
 */
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InsertedTextRun,
  Packer,
  Paragraph,
  SimpleField,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, createParticipant, startServer, type TestParticipant, type TestServer } from './helpers.ts'

let server: TestServer
let secretariat: TestParticipant
let delegate: TestParticipant

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

const numbered = (
  number: string,
  ...children: (
    | TextRun
    | CommentRangeStart
    | CommentRangeEnd
    | InsertedTextRun
    | DeletedTextRun
    | FootnoteReferenceRun
    | ImageRun
    | SimpleField
  )[]
) => new Paragraph({ children: [new TextRun(number), new TextRun({ children: [new Tab()] }), ...children] })

async function wordDraft(): Promise<Buffer> {
  const date = '2021-02-15T10:00:00Z'
  const doc = new Document({
    title: 'Draft workplan from Word',
    footnotes: { 1: { children: [new Paragraph('A footnote.')] } },
    comments: {
      children: [
        {
          id: 0,
          author: 'Maria Delegate',
          initials: 'MD',
          date: new Date(date),
          children: [new Paragraph('Is this binding?')],
        },
        {
          id: 1,
          author: 'Jan Stranger',
          initials: 'JS',
          date: new Date(date),
          children: [new Paragraph('Please add a table.')],
        },
        {
          id: 2,
          author: 'Maria Delegate',
          initials: 'MD',
          date: new Date(date),
          parentId: 0,
          children: [new Paragraph('A reply.')],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [new TextRun('ATT/CSP7.WGETI/2021/TEST/Draft')],
          }),
          new Paragraph('29 January 2021'),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Part I. General' }),
          numbered(
            '1.',
            new TextRun('The workplans are '),
            new CommentRangeStart(0),
            new CommentRangeStart(2),
            new TextRun('living documents'),
            new CommentRangeEnd(0),
            new CommentRangeEnd(2),
            new TextRun({ children: [new CommentReference(0)] }),
            new TextRun({ children: [new CommentReference(2)] }),
            new TextRun(' of a voluntary nature.'),
          ),
          numbered(
            '2.',
            new TextRun('Meetings '),
            new DeletedTextRun({ text: 'may ', id: 10, author: 'Editor', date }),
            new InsertedTextRun({ text: 'will ', id: 11, author: 'Editor', date }),
            new TextRun({ text: 'take place', bold: true }),
            new TextRun(' in Geneva.'),
            new FootnoteReferenceRun(1),
          ),
          new Paragraph({ text: 'in person;', bullet: { level: 0 } }),
          new Paragraph({ text: 'virtual.', bullet: { level: 0 } }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Annex A. Articles 6 and 7' }),
          numbered(
            'A1.',
            new TextRun('The objectives of the sub-working group'),
            new ImageRun({ type: 'png', data: PNG, transformation: { width: 10, height: 10 } }),
            new TextRun('.'),
          ),
          numbered(
            'A2.',
            new CommentRangeStart(1),
            new TextRun('The timeline'),
            new CommentRangeEnd(1),
            new TextRun({ children: [new CommentReference(1)] }),
            new TextRun(' is on page '),
            new SimpleField('PAGE', '3'),
            new TextRun('.'),
          ),
          new Table({
            rows: [
              new TableRow({
                tableHeader: true,
                children: [
                  new TableCell({ children: [new Paragraph('Stage')] }),
                  new TableCell({ children: [new Paragraph('Series')] }),
                ],
              }),
              new TableRow({
                children: [
                  new TableCell({ children: [new Paragraph('Stage 1')] }),
                  new TableCell({ children: [new Paragraph('First')] }),
                ],
              }),
            ],
          }),
          new Paragraph('A closing note without a number.'),
        ],
      },
    ],
  })
  return Packer.toBuffer(doc)
}

async function upload(
  body: Buffer | null,
  token = secretariat.token,
  fields: Record<string, string> = {},
  name = 'draft.docx',
) {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  if (body) form.append('file', new Blob([body]), name)
  const response = await fetch(`${server.url}/api/documents/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  })
  const text = await response.text()
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  let json: any = null
  try {
    json = JSON.parse(text)
  } catch {
    json = text
  }
  return { status: response.status, json }
}

const IMPORT_LIMIT = 10 * 1024 * 1024

const documentCount = async () => (await server.store.listDocuments()).length

beforeAll(async () => {
  server = await startServer()
  secretariat = await createParticipant(server.store, 'secretariat', 'Sam Secretariat')
  delegate = await createParticipant(server.store, 'delegate', 'Maria Delegate')
})

afterAll(() => server.close())

describe('DOCX import', () => {
  it('keeps headings, lists and tables, derives typed numbers and turns Word comments into threads', async () => {
    const result = await upload(await wordDraft())
    expect(result.status).toBe(201)
    const { document, summary } = result.json
    expect(document).toMatchObject({
      title: 'Draft workplan from Word',
      penHolders: [],
      createdBy: secretariat.id,
    })
    const blocks = (await api(server.url, 'GET', `/api/documents/${document.id}/blocks`, secretariat.token))
      .json.blocks as {
      id: string
      type: string
      number: string | null
      text: string
    }[]
    expect(blocks.map((b) => [b.type, b.number, b.text])).toEqual([
      ['paragraph', null, 'ATT/CSP7.WGETI/2021/TEST/Draft'],
      ['paragraph', null, '29 January 2021'],
      ['heading', null, 'Part I. General'],
      ['paragraph', '1', 'The workplans are living documents of a voluntary nature.'],
      ['paragraph', '2', 'Meetings will take place in Geneva.'],
      ['listItem', null, 'in person;'],
      ['listItem', null, 'virtual.'],
      ['heading', null, 'Annex A. Articles 6 and 7'],
      ['paragraph', 'A1', 'The objectives of the sub-working group.'],
      ['paragraph', 'A2', 'The timeline is on page 3.'],
      ['tableHeader', null, 'Stage'],
      ['tableHeader', null, 'Series'],
      ['tableCell', null, 'Stage 1'],
      ['tableCell', null, 'First'],
      ['paragraph', null, 'A closing note without a number.'],
    ])
    const content = (await api(server.url, 'GET', `/api/documents/${document.id}/content`, secretariat.token))
      .json.content
    expect(JSON.stringify(content.content[4])).toContain('"text":"take place","marks":[{"type":"bold"')
    expect(content.content[6].attrs.numberPrefix).toBe('A')
    expect(content.content[2].attrs.numberPrefix ?? null).toBe(null)

    expect(summary.imported).toMatchObject({
      headings: 2,
      numberedParagraphs: 4,
      lists: 1,
      listItems: 2,
      tables: 1,
      comments: 2,
      replies: 1,
    })
    expect(summary.numbering).toEqual({ prefixes: ['', 'A'], renumbered: 0 })
    expect(summary.dropped).toMatchObject({
      images: 1,
      footnotes: 1,
      trackedInsertionsAccepted: 1,
      trackedDeletionsAccepted: 1,
    })
    expect(summary.dropped.fields).toBeGreaterThanOrEqual(1)

    const threads = (await api(server.url, 'GET', `/api/documents/${document.id}/threads`, secretariat.token))
      .json.threads
    expect(threads).toHaveLength(2)
    const known = threads.find(
      (t: { messages: { body: string }[] }) => t.messages[0].body === 'Is this binding?',
    )
    expect(known).toMatchObject({
      kind: 'comment',
      author: { participantId: delegate.id },
      anchor: { quote: 'living documents', number: '1', state: 'exact' },
    })
    expect(known.messages.map((m: { body: string }) => m.body)).toEqual(['Is this binding?', 'A reply.'])
    const stranger = threads.find((t: { messages: { body: string }[] }) =>
      t.messages[0].body.includes('Please add a table.'),
    )
    expect(stranger.author.participantId).toBe(secretariat.id)
    expect(stranger.messages[0].body).toBe('[Comment by Jan Stranger] Please add a table.')
    expect(stranger.anchor).toMatchObject({ quote: 'The timeline', number: 'A2' })
  })

  it('takes the title from the form field first', async () => {
    const result = await upload(await wordDraft(), secretariat.token, { title: 'Chosen title' })
    expect(result.status).toBe(201)
    expect(result.json.document.title).toBe('Chosen title')
  })

  it('refuses what is not a DOCX, with nothing created', async () => {
    const before = await documentCount()
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    )
    for (const body of [pdf, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))]) {
      const result = await upload(body)
      expect(result.status).toBe(400)
      expect(result.json.error.code).toBe('invalid_file')
    }
    const zip = new JSZip()
    zip.file('hello.txt', 'not a Word document')
    const notWord = await upload(await zip.generateAsync({ type: 'nodebuffer' }))
    expect(notWord.json.error.code).toBe('invalid_file')
    const damaged = await wordDraft()
    const truncated = await upload(damaged.subarray(0, Math.floor(damaged.length / 2)))
    expect(truncated.json.error.code).toBe('invalid_file')
    const empty = await upload(null)
    expect(empty.json.error.code).toBe('invalid_file')
    expect(await documentCount()).toBe(before)
  })

  it('refuses a file over 10 MB with 413, and anyone but the secretariat with 403', async () => {
    const before = await documentCount()
    const big = await upload(Buffer.alloc(IMPORT_LIMIT + 1024, 1))
    expect(big.status).toBe(413)
    expect(big.json.error.code).toBe('payload_too_large')
    // A small package that would unpack to over 100 MB is refused before it is inflated.
    const bomb = new JSZip()
    bomb.file('word/document.xml', '<w:document>'.padEnd(101 * 1024 * 1024, ' '), { compression: 'DEFLATE' })
    const packed = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
    expect(packed.length).toBeLessThan(IMPORT_LIMIT)
    const unpacked = await upload(packed)
    expect(unpacked.status).toBe(413)
    expect(unpacked.json.error.code).toBe('payload_too_large')
    const forbidden = await upload(await wordDraft(), delegate.token)
    expect(forbidden.status).toBe(403)
    expect(forbidden.json.error.code).toBe('forbidden')
    const json = await api(server.url, 'POST', '/api/documents/import', secretariat.token, { file: 'x' })
    expect(json.status).toBe(415)
    const anonymous = await fetch(`${server.url}/api/documents/import`, {
      method: 'POST',
      body: new FormData(),
    })
    expect(anonymous.status).toBe(401)
    expect(await documentCount()).toBe(before)
  })
})
