/**
 * DOCX import: mammoth gives the text as HTML (tracked insertions kept, deletions dropped, comment
 * references marked), which becomes TipTap JSON; typed paragraph numbers become derived ones; the
 * Word comments, read from the package, become plans of threads anchored by their quoted words.
 * Nothing is stored here: the route creates the document and threads.
 */
import {
  type JSONNode,
  jsonTextUnits,
  kindLabels,
  type ProposalAction,
  type ThreadKind,
} from '@plenary/shared'
import type Mammoth from 'mammoth'
import { type CommentRef, HtmlToContent } from './html.ts'
import { deriveNumbers, untab } from './numbers.ts'
import { InvalidDocxError, readWordFile, UnpackedTooLargeError, type WordComment } from './wordFile.ts'

export { InvalidDocxError, UnpackedTooLargeError }

const STYLE_MAP = [
  'comment-reference => sup',
  'u => u',
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='Title'] => p:fresh",
  "p[style-name='Subtitle'] => p:fresh",
  "p[style-name='Plenary Title'] => p:fresh",
  "p[style-name='Plenary Header Line'] => p:fresh",
  "p[style-name='Plenary Note'] => p.plenary-note:fresh",
  "p[style-name='Plenary Compilation'] => p.plenary-compilation:fresh",
  "p[style-name='Plenary Compilation Group'] => p.plenary-compilation:fresh",
]

export type ThreadPlan = {
  /** Index of the textblock (in `jsonTextUnits` order) the comment is on, or null for the document. */
  block: number | null
  quote: string
  kind: ThreadKind
  proposal: { action: ProposalAction; text: string } | null
  author: string
  date: string | null
  body: string
  replies: { author: string; date: string | null; body: string }[]
}

export type ImportSummary = {
  imported: {
    headings: number
    paragraphs: number
    numberedParagraphs: number
    lists: number
    listItems: number
    tables: number
    quotes: number
    links: number
    comments: number
    replies: number
  }
  numbering: { prefixes: string[]; renumbered: number }
  dropped: {
    images: number
    footnotes: number
    endnotes: number
    fields: number
    /** Tracked changes in the file: insertions are kept as text (accepted), deletions dropped (accepted). */
    trackedInsertionsAccepted: number
    trackedDeletionsAccepted: number
    compilation: boolean
    notes: number
  }
  warnings: string[]
}

export type ImportedDocx = {
  content: JSONNode
  title: string | null
  threads: ThreadPlan[]
  summary: ImportSummary
}

const KIND_BY_LABEL = new Map(Object.entries(kindLabels).map(([kind, label]) => [label, kind as ThreadKind]))

/** Reads a comment written by Plenary's export back (kind line, proposal); any other comment is kept as it is. */
function parseComment(paragraphs: string[]): Pick<ThreadPlan, 'kind' | 'proposal' | 'body'> {
  const lines = paragraphs.map((p) => p.trim()).filter(Boolean)
  let kind: ThreadKind = 'comment'
  const meta = /^(.+?) · .+$/.exec(lines[0] ?? '')
  if (meta && KIND_BY_LABEL.has(meta[1])) {
    kind = KIND_BY_LABEL.get(meta[1]) as ThreadKind
    lines.shift()
  }
  let proposal: ThreadPlan['proposal'] = null
  const body: string[] = []
  for (const line of lines) {
    const wording =
      /^Proposal: (insert|replace these words with) “([\s\S]*)”( \(applied to the text on [^)]*\))?$/.exec(
        line,
      )
    if (wording) {
      proposal = { action: wording[1] === 'insert' ? 'insert' : 'replace', text: wording[2] }
    } else if (/^Proposal: delete these words/.test(line)) {
      proposal = { action: 'delete', text: '' }
    } else if (
      /^Receipt acknowledged on .+\.$/.test(line) ||
      /^\(The words commented on are no longer in the text: /.test(line)
    ) {
      // State of the thread in the exporting room, not words of the comment.
    } else {
      body.push(line)
    }
  }
  if (kind === 'proposal' && !proposal) kind = 'comment'
  if (kind !== 'proposal') proposal = null
  return { kind, proposal, body: body.join('\n') || '(no text)' }
}

const numberPrefixOf = /^[A-Z]{0,2}\d{1,3}\.?\t+/

export async function importDocx(buffer: Buffer): Promise<ImportedDocx> {
  const facts = await readWordFile(buffer)
  let images = 0
  // Loaded here, not at start: the server starts about 0.15 s sooner without it.
  const { default: mammoth } = await import('mammoth')
  let result: Awaited<ReturnType<typeof Mammoth.convertToHtml>>
  try {
    result = await mammoth.convertToHtml(
      { buffer: facts.buffer },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        convertImage: mammoth.images.imgElement(async () => {
          images++
          return { src: '' }
        }),
      },
    )
  } catch (error) {
    throw new InvalidDocxError(`the DOCX cannot be read: ${(error as Error).message}`)
  }
  const converter = new HtmlToContent()
  const content = converter.convert(result.value)
  const numbering = deriveNumbers(content)

  untab(content)

  const refs = new Map<string, CommentRef>()
  for (const ref of converter.refs) if (!refs.has(ref.commentId)) refs.set(ref.commentId, ref)
  const byId = new Map(facts.comments.map((c) => [c.id, c]))
  const rootOf = (c: WordComment) => {
    let at = c
    for (let hops = 0; at.parentId && byId.has(at.parentId) && hops < 50; hops++)
      at = byId.get(at.parentId) as WordComment
    return at
  }
  const threads: ThreadPlan[] = []
  const plans = new Map<string, ThreadPlan>()
  for (const comment of facts.comments) {
    const root = rootOf(comment)
    if (root !== comment) continue
    const ref = refs.get(comment.id)
    const parsed = parseComment(comment.paragraphs)
    const plan: ThreadPlan = {
      block: ref ? ref.block : null,
      quote: comment.quote.replace(numberPrefixOf, '').replace(/\t+/g, ' '),
      ...parsed,
      author: comment.author,
      date: comment.date,
      replies: [],
    }
    threads.push(plan)
    plans.set(comment.id, plan)
  }
  let replies = 0
  for (const comment of facts.comments) {
    const root = rootOf(comment)
    if (root === comment) continue
    const body = comment.paragraphs
      .map((p) => p.trim())
      .filter(Boolean)
      .join('\n')
    plans
      .get(root.id)
      ?.replies.push({ author: comment.author, date: comment.date, body: body || '(no text)' })
    replies++
  }

  const units = jsonTextUnits(content)
  let lists = 0
  let listItems = 0
  let tables = 0
  let quotes = 0
  let links = 0
  const walk = (node: JSONNode) => {
    if (node.type === 'bulletList' || node.type === 'orderedList') lists++
    if (node.type === 'listItem') listItems++
    if (node.type === 'table') tables++
    if (node.type === 'blockquote') quotes++
    if (node.marks?.some((m) => m.type === 'link')) links++
    for (const child of node.content ?? []) walk(child)
  }
  walk(content)

  const warnings = [...new Set(result.messages.map((m) => m.message))].slice(0, 20)
  return {
    content,
    title: facts.title,
    threads,
    summary: {
      imported: {
        headings: units.filter((u) => u.type === 'heading').length,
        paragraphs: units.filter((u) => u.type === 'paragraph').length,
        numberedParagraphs: numbering.numbered,
        lists,
        listItems,
        tables,
        quotes,
        links,
        comments: threads.length,
        replies,
      },
      numbering: { prefixes: numbering.prefixes, renumbered: numbering.renumbered },
      dropped: {
        images: Math.max(images, facts.counts.images, converter.counts.images),
        footnotes: facts.counts.footnotes,
        endnotes: facts.counts.endnotes,
        fields: facts.counts.fields,
        trackedInsertionsAccepted: facts.counts.insertions,
        trackedDeletionsAccepted: facts.counts.deletions,
        compilation: converter.counts.compilationDropped,
        notes: converter.counts.notesDropped,
      },
      warnings,
    },
  }
}
