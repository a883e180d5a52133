/**
 * Mammoth's HTML as TipTap JSON for the subset Plenary keeps: headings, paragraphs, lists, tables,
 * quotes, bold, italic, underline, strike, hard breaks and safe links. Mammoth writes well-formed,
 * attribute-poor HTML, so a small tokenizer is enough (no DOM on the server). Comment reference
 * marks are taken out of the text and remembered with their block and offset; images and note
 * references are counted and dropped.
 */
import { isSafeHref, type JSONNode } from '@plenary/shared'
import { decodeXml } from './wordFile.ts'

type Element = { tag: string; attrs: Record<string, string>; children: HtmlNode[] }
type HtmlNode = Element | { text: string }

const VOID = new Set(['br', 'img', 'hr', 'col', 'meta', 'input'])

export function parseHtml(html: string): HtmlNode[] {
  const root: Element = { tag: '#root', attrs: {}, children: [] }
  const stack: Element[] = [root]
  for (const match of html.matchAll(
    /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>|([^<]+)|</g,
  )) {
    const top = stack[stack.length - 1]
    if (match[5] !== undefined || match[2] === undefined) {
      top.children.push({ text: decodeXml(match[5] ?? '<') })
      continue
    }
    const tag = match[2].toLowerCase()
    if (match[1]) {
      const at = stack.map((e) => e.tag).lastIndexOf(tag)
      if (at > 0) stack.length = at
      continue
    }
    const attrs: Record<string, string> = {}
    for (const a of (match[3] ?? '').matchAll(/([^\s=>/]+)(?:="([^"]*)")?/g))
      attrs[a[1].toLowerCase()] = decodeXml(a[2] ?? '')
    const element: Element = { tag, attrs, children: [] }
    top.children.push(element)
    if (!VOID.has(tag) && !match[4]) stack.push(element)
  }
  return root.children
}

type Mark = NonNullable<JSONNode['marks']>[number]

export type CommentRef = { commentId: string; block: number; offset: number }

export type HtmlCounts = {
  images: number
  footnoteRefs: number
  compilationDropped: boolean
  notesDropped: number
}

const isElement = (node: HtmlNode): node is Element => 'tag' in node

const MARK_TAGS: Record<string, string> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  u: 'underline',
  s: 'strike',
  del: 'strike',
  strike: 'strike',
}

export class HtmlToContent {
  /** Paragraphs and headings made so far, in document order (as `jsonTextUnits` counts them). */
  private textblocks = 0
  private stopped = false
  readonly refs: CommentRef[] = []
  readonly counts: HtmlCounts = { images: 0, footnoteRefs: 0, compilationDropped: false, notesDropped: 0 }

  convert(html: string): JSONNode {
    const content = this.blocks(parseHtml(html))
    return { type: 'doc', content: content.length > 0 ? content : [{ type: 'paragraph' }] }
  }

  private textblock(
    type: 'paragraph' | 'heading',
    children: HtmlNode[],
    attrs?: Record<string, unknown>,
  ): JSONNode {
    const block = this.textblocks++
    const content: JSONNode[] = []
    this.inline(children, [], content, block)
    return { type, ...(attrs ? { attrs } : {}), ...(content.length > 0 ? { content } : {}) }
  }

  private blocks(nodes: HtmlNode[]): JSONNode[] {
    const out: JSONNode[] = []
    let loose: HtmlNode[] = []
    const flushLoose = () => {
      if (loose.some((n) => (!isElement(n) ? n.text.trim() : true)))
        out.push(this.textblock('paragraph', loose))
      loose = []
    }
    for (const node of nodes) {
      if (this.stopped) break
      if (!isElement(node)) {
        loose.push(node)
        continue
      }
      const tag = node.tag
      const cls = node.attrs.class ?? ''
      if (/^h[1-6]$/.test(tag) || ['p', 'ul', 'ol', 'table', 'blockquote', 'dl', 'hr', 'div'].includes(tag))
        flushLoose()
      if (cls.includes('plenary-compilation')) {
        // A compilation appended by Plenary's export is not part of the text.
        this.counts.compilationDropped = true
        this.stopped = true
        break
      }
      if (cls.includes('plenary-note')) {
        this.counts.notesDropped++
        continue
      }
      if (tag === 'p') out.push(this.textblock('paragraph', node.children))
      else if (/^h[1-6]$/.test(tag))
        out.push(this.textblock('heading', node.children, { level: Math.min(Number(tag[1]), 3) }))
      else if (tag === 'ul' || tag === 'ol') {
        const list = this.list(node)
        if (list) out.push(list)
      } else if (tag === 'table') {
        const table = this.table(node)
        if (table) out.push(table)
      } else if (tag === 'blockquote') {
        const children = this.blocks(node.children)
        if (children.length > 0) out.push({ type: 'blockquote', content: children })
      } else if (tag === 'dl' || tag === 'hr') {
        // Mammoth's list of comment texts: read from the package instead.
      } else if (tag === 'img') {
        this.counts.images++
      } else if (tag === 'div' || tag === 'section' || tag === 'article') {
        out.push(...this.blocks(node.children))
      } else {
        loose.push(node)
      }
    }
    flushLoose()
    return out
  }

  private list(node: Element): JSONNode | null {
    // Mammoth appends footnotes and endnotes as a list of `li#footnote-n`: not part of the text.
    const items = node.children.filter(isElement).filter((c) => c.tag === 'li')
    if (items.length > 0 && items.every((li) => /^(footnote|endnote)-/.test(li.attrs.id ?? ''))) return null
    const content: JSONNode[] = []
    for (const li of items) {
      const inline = li.children.filter((c) => !isElement(c) || !['ul', 'ol', 'p', 'table'].includes(c.tag))
      const nested = li.children.filter(isElement).filter((c) => ['ul', 'ol', 'p', 'table'].includes(c.tag))
      const children: JSONNode[] = [this.textblock('paragraph', inline)]
      children.push(...this.blocks(nested))
      content.push({ type: 'listItem', content: children })
    }
    if (content.length === 0) return null
    const start = Number(node.attrs.start)
    return {
      type: node.tag === 'ol' ? 'orderedList' : 'bulletList',
      ...(node.tag === 'ol' && Number.isInteger(start) && start > 1 ? { attrs: { start } } : {}),
      content,
    }
  }

  private table(node: Element): JSONNode | null {
    const rows: Element[] = []
    const collect = (el: Element) => {
      for (const child of el.children.filter(isElement)) {
        if (child.tag === 'tr') rows.push(child)
        else if (['thead', 'tbody', 'tfoot'].includes(child.tag)) collect(child)
      }
    }
    collect(node)
    const content = rows
      .map((tr) => {
        const cells = tr.children.filter(isElement).filter((c) => c.tag === 'td' || c.tag === 'th')
        return {
          type: 'tableRow',
          content: cells.map((cell) => {
            const blocks = this.blocks(cell.children)
            const colspan = Math.max(1, Number(cell.attrs.colspan) || 1)
            const rowspan = Math.max(1, Number(cell.attrs.rowspan) || 1)
            return {
              type: cell.tag === 'th' ? 'tableHeader' : 'tableCell',
              attrs: { colspan, rowspan, colwidth: null },
              content: blocks.length > 0 ? blocks : [this.textblock('paragraph', [])],
            }
          }),
        }
      })
      .filter((row) => row.content.length > 0)
    return content.length > 0 ? { type: 'table', content } : null
  }

  private inline(nodes: HtmlNode[], marks: Mark[], out: JSONNode[], block: number): void {
    const length = () => out.reduce((n, c) => n + (c.type === 'text' ? (c.text ?? '').length : 1), 0)
    for (const node of nodes) {
      if (!isElement(node)) {
        const text = node.text.replace(/\r?\n/g, ' ')
        if (!text) continue
        const last = out.at(-1)
        if (last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(marks))
          last.text += text
        else out.push({ type: 'text', text, ...(marks.length > 0 ? { marks: [...marks] } : {}) })
        continue
      }
      const href = node.attrs.href ?? ''
      if (node.tag === 'br') out.push({ type: 'hardBreak' })
      else if (node.tag === 'img') this.counts.images++
      else if (node.tag === 'a' && /^#comment-\d+$/.test(href) && /^comment-ref-/.test(node.attrs.id ?? '')) {
        this.refs.push({ commentId: href.slice('#comment-'.length), block, offset: length() })
      } else if (node.tag === 'a' && /^#(footnote|endnote)-/.test(href)) {
        this.counts.footnoteRefs++
      } else if (node.tag === 'a') {
        const link = isSafeHref(href) ? [...marks, { type: 'link', attrs: { href } }] : marks
        this.inline(node.children, link, out, block)
      } else if (MARK_TAGS[node.tag]) {
        const type = MARK_TAGS[node.tag]
        this.inline(
          node.children,
          marks.some((m) => m.type === type) ? marks : [...marks, { type }],
          out,
          block,
        )
      } else {
        // Anything else (sup, sub, span, or blocks mammoth should not put here): keep the words.
        this.inline(node.children, marks, out, block)
      }
    }
  }
}
