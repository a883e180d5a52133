/**
 * What mammoth does not tell: the Word comments of a DOCX with their authors, dates, replies and
 * the words each one covers (mammoth only keeps the reference mark), and counts of what the
 * conversion drops or accepts (tracked changes, fields, notes, images). Read straight from the
 * package's XML with a small scanner: these parts are machine-written and regular.
 */
import type JSZip from 'jszip'

export type WordComment = {
  id: string
  author: string
  initials: string
  date: string | null
  paragraphs: string[]
  /** The comment this one replies to (Word's threaded replies, from commentsExtended.xml). */
  parentId: string | null
  done: boolean
  /** The words between the comment's range start and end, within the paragraph where it starts. */
  quote: string
}

export type WordFacts = {
  /** The package for mammoth: simple fields replaced by the results they showed (mammoth drops them). */
  buffer: Buffer
  comments: WordComment[]
  title: string | null
  counts: {
    insertions: number
    deletions: number
    fields: number
    footnotes: number
    endnotes: number
    images: number
  }
}

export class InvalidDocxError extends Error {
  override name = 'InvalidDocxError'
}

/** A package that unpacks to more than this is refused before anything is inflated (zip bombs). */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024

export class UnpackedTooLargeError extends Error {
  override name = 'UnpackedTooLargeError'
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

export function decodeXml(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return ENTITIES[name] ?? whole
  })
}

const attr = (tag: string, name: string): string | null => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)
  return match ? decodeXml(match[1]) : null
}

const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length

/** Text of the runs in a fragment of WordprocessingML: text, tabs and breaks, not deleted text. */
const TOKEN =
  /<w:p[\s>]|<\/w:p>|<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>|<w:comment(RangeStart|RangeEnd)\s[^>]*\/>/g

function paragraphsOf(xml: string): string[] {
  const out: string[] = []
  let current: string | null = null
  for (const match of xml.matchAll(TOKEN)) {
    const token = match[0]
    if (token.startsWith('<w:p')) current = ''
    else if (token === '</w:p>') {
      if (current !== null) out.push(current)
      current = null
    } else if (current !== null) {
      if (match[1] !== undefined) current += decodeXml(match[1])
      else if (token === '<w:tab/>') current += '\t'
      else if (token === '<w:br/>') current += '\n'
    }
  }
  return out
}

/** The words each comment range covers, clipped to the paragraph where the range starts. */
function commentQuotes(documentXml: string): Map<string, string> {
  const open = new Map<string, string>()
  const done = new Map<string, string>()
  const finish = (id: string) => {
    if (!done.has(id)) done.set(id, open.get(id) ?? '')
    open.delete(id)
  }
  for (const match of documentXml.matchAll(TOKEN)) {
    const token = match[0]
    if (match[2] === 'RangeStart') {
      const id = attr(token, 'w:id')
      if (id !== null) open.set(id, '')
    } else if (match[2] === 'RangeEnd') {
      const id = attr(token, 'w:id')
      if (id !== null) finish(id)
    } else if (token === '</w:p>') {
      // A range over several paragraphs keeps its first paragraph's words (or the next, if none).
      for (const [id, text] of open) if (text.trim()) finish(id)
    } else if (match[1] !== undefined || token === '<w:tab/>' || token === '<w:br/>') {
      const text = match[1] !== undefined ? decodeXml(match[1]) : token === '<w:tab/>' ? '\t' : '\n'
      for (const [id, sofar] of open) open.set(id, sofar + text)
    }
  }
  for (const id of [...open.keys()]) finish(id)
  return done
}

/** Document.xml without deleted text and field instructions, which are not words of the text. */
const visibleXml = (xml: string) =>
  xml.replace(/<w:delText[\s\S]*?<\/w:delText>/g, '').replace(/<w:instrText[\s\S]*?<\/w:instrText>/g, '')

export async function readWordFile(buffer: Buffer): Promise<WordFacts> {
  // Loaded by the first import, not at start.
  const { default: Zip } = await import('jszip')
  let zip: JSZip
  try {
    zip = await Zip.loadAsync(buffer)
  } catch {
    throw new InvalidDocxError('the file is not a DOCX (not a zip package)')
  }
  // The sizes the package declares; a package that lies about them still fails in mammoth's reader.
  let unpacked = 0
  for (const entry of Object.values(zip.files)) {
    unpacked += (entry as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0
  }
  if (unpacked > MAX_UNPACKED_BYTES) {
    throw new UnpackedTooLargeError(`the DOCX unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB`)
  }
  const documentFile = zip.file('word/document.xml')
  if (!documentFile) throw new InvalidDocxError('the file is not a DOCX (no word/document.xml)')
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
  let documentXml: string
  try {
    documentXml = await documentFile.async('string')
  } catch {
    throw new InvalidDocxError('the DOCX is damaged (word/document.xml cannot be read)')
  }
  if (!/<w:document[\s>]/.test(documentXml)) throw new InvalidDocxError('the DOCX has no Word document body')
  const [commentsXml, extendedXml, coreXml] = await Promise.all([
    read('word/comments.xml'),
    read('word/commentsExtended.xml'),
    read('docProps/core.xml'),
  ])

  const parents = new Map<string, { parent: string | null; done: boolean }>()
  for (const match of extendedXml.matchAll(/<w15:commentEx\s[^>]*\/>/g)) {
    const paraId = attr(match[0], 'w15:paraId')
    if (paraId)
      parents.set(paraId, {
        parent: attr(match[0], 'w15:paraIdParent'),
        done: attr(match[0], 'w15:done') === '1',
      })
  }
  const quotes = commentQuotes(visibleXml(documentXml))
  const byParaId = new Map<string, string>()
  const comments: WordComment[] = []
  for (const match of commentsXml.matchAll(/<w:comment\s([^>]*)>([\s\S]*?)<\/w:comment>/g)) {
    const tag = ` ${match[1]}`
    const id = attr(tag, 'w:id')
    if (id === null) continue
    const body = match[2]
    const paraIds = [...body.matchAll(/<w:p\s[^>]*w14:paraId="([^"]+)"/g)].map((m) => m[1])
    const lastParaId = paraIds.at(-1)
    if (lastParaId) byParaId.set(lastParaId, id)
    comments.push({
      id,
      author: attr(tag, 'w:author') ?? '',
      initials: attr(tag, 'w:initials') ?? '',
      date: attr(tag, 'w:date'),
      paragraphs: paragraphsOf(visibleXml(body)),
      parentId: lastParaId ?? null,
      done: lastParaId ? (parents.get(lastParaId)?.done ?? false) : false,
      quote: quotes.get(id) ?? '',
    })
  }
  // Replace the paraId placeholders by the id of the comment replied to.
  for (const comment of comments) {
    const paraId = comment.parentId
    const parentParaId = paraId ? parents.get(paraId)?.parent : null
    comment.parentId = parentParaId ? (byParaId.get(parentParaId) ?? null) : null
  }

  const title = /<dc:title>([^<]*)<\/dc:title>/.exec(coreXml)?.[1]
  let flattened = documentXml
  for (let pass = 0; pass < 5 && /<w:fldSimple[\s>]/.test(flattened); pass++) {
    flattened = flattened
      .replace(/<w:fldSimple\s[^>]*\/>/g, '')
      .replace(/<w:fldSimple\s[^>]*>((?:(?!<w:fldSimple[\s>])[\s\S])*?)<\/w:fldSimple>/g, '$1')
  }
  if (flattened !== documentXml) zip.file('word/document.xml', flattened)
  return {
    buffer: flattened === documentXml ? buffer : await zip.generateAsync({ type: 'nodebuffer' }),
    comments,
    title: title ? decodeXml(title).trim() || null : null,
    counts: {
      insertions: count(documentXml, /<w:ins\s/g),
      deletions: count(documentXml, /<w:del\s/g),
      fields: count(documentXml, /<w:fldSimple\s|<w:fldChar\s[^>]*w:fldCharType="begin"/g),
      footnotes: count(documentXml, /<w:footnoteReference\s/g),
      endnotes: count(documentXml, /<w:endnoteReference\s/g),
      images: count(documentXml, /<w:drawing>|<w:pict>|<w:pict\s/g),
    },
  }
}
