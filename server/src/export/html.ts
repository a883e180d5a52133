/**
 * The print-ready HTML export: one self-contained page (A4 page rules, serif body, no script),
 * every text escaped and only http, https and mailto links kept. Comments are numbered notes after
 * the text; the compilation is a table on a new page.
 */
import { isSafeHref } from '@plenary/shared'
import type { Compilation } from './compilation.ts'
import { longDate } from './format.ts'
import type { ExportBlock, ExportComment, ExportModel, TextBlock } from './model.ts'
import type { Run } from './runs.ts'

export const HTML_TYPE = 'text/html; charset=utf-8'

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const text = (value: string) => escapeHtml(value).replace(/\n/g, '<br>')

const CSS = `
@page { size: A4; margin: 2.5cm 2.2cm; }
html { font-family: "Times New Roman", Times, "Liberation Serif", serif; font-size: 11pt; line-height: 1.4; color: #000; }
body { max-width: 16.6cm; margin: 1.5cm auto; }
@media print { body { max-width: none; margin: 0; } a { color: inherit; } }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
h1.title { text-align: center; font-size: 14pt; margin: 1.2em 0 1em; }
h2 { font-size: 13pt; } h3 { font-size: 12pt; } h4 { font-size: 11pt; font-style: italic; }
p { margin: 0 0 0.6em; orphans: 2; widows: 2; }
p.numbered { padding-left: 1.2cm; text-indent: -1.2cm; }
p.numbered .num { display: inline-block; min-width: 1.2cm; text-indent: 0; }
.hdr { margin: 0; } .hdr.right { text-align: right; } .hdr.symbol { font-weight: bold; }
hr.header-end { border: 0; border-top: 1px solid #000; margin: 0.4em 0 1.2em; }
.note { font-style: italic; font-size: 10pt; }
blockquote { margin: 0 1.2cm 0.6em; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1em; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { background: #e7e6e6; }
ins { color: #1b5e20; text-decoration: underline; }
del, .removed { color: #a50000; text-decoration: line-through; }
.removed ins, .removed del { color: inherit; }
strong.ins { font-weight: bold; }
sup.comment-ref { font-size: 8pt; }
section.comments, section.compilation { break-before: page; page-break-before: always; }
section.comments li { margin-bottom: 0.6em; }
.entry-author { font-weight: bold; }
tr.section td { background: #f2f2f2; font-weight: bold; }
@page landscape { size: A4 landscape; margin: 2cm 2.2cm; }
section.compilation { page: landscape; }
section.compilation table { font-size: 9pt; table-layout: fixed; }
td, th { overflow-wrap: break-word; }
`.trim()

class HtmlWriter {
  constructor(private readonly model: ExportModel) {}

  runs(runs: Run[]): string {
    let out = ''
    for (const run of runs) {
      if (run.kind === 'commentStart') continue
      if (run.kind === 'commentEnd') {
        const n = run.comment + 1
        out += `<sup class="comment-ref"><a href="#comment-${n}" id="comment-ref-${n}">[${n}]</a></sup>`
        continue
      }
      let html = text(run.text)
      if (run.style.bold) html = `<strong>${html}</strong>`
      if (run.style.italic) html = `<em>${html}</em>`
      if (run.style.underline) html = `<u>${html}</u>`
      if (run.style.strike) html = `<s>${html}</s>`
      if (run.style.href && isSafeHref(run.style.href)) {
        html = `<a href="${escapeHtml(run.style.href)}" rel="noopener noreferrer">${html}</a>`
      }
      if (run.change) html = this.mark(html, run.change, run.author?.name)
      out += html
    }
    return out
  }

  private mark(html: string, change: 'insert' | 'delete', author?: string): string {
    const bold = this.model.marked?.mode === 'bold'
    const title = author ? ` title="${escapeHtml(author)}"` : ''
    if (change === 'insert')
      return bold ? `<strong class="ins">${html}</strong>` : `<ins${title}>${html}</ins>`
    return bold ? `<s class="del">${html}</s>` : `<del${title}>${html}</del>`
  }

  private textBlock(block: TextBlock): string {
    const content = this.runs(block.runs)
    const removed = block.change === 'removed' ? ' removed' : ''
    const added = block.change === 'added'
    if (block.node === 'heading') {
      const level = Math.min(Math.max(block.level, 1), 3) + 1
      const cls = removed ? ' class="removed"' : ''
      return `<h${level}${cls}>${added ? this.mark(content, 'insert') : content}</h${level}>`
    }
    if (block.number) {
      const number = `<span class="num">${escapeHtml(block.number)}.</span>`
      const marked = added
        ? this.mark(number, 'insert')
        : block.change === 'removed'
          ? this.mark(number, 'delete')
          : number
      return `<p class="numbered${removed}">${marked}${content}</p>`
    }
    switch (block.role) {
      case 'title':
        return `<h1 class="title">${content}</h1>`
      case 'issuer':
        return `<p class="hdr issuer">${content}</p>`
      case 'symbol':
        return `<p class="hdr right symbol">${content}</p>`
      case 'date':
      case 'distribution':
      case 'original':
        return `<p class="hdr right ${block.role}">${content}</p>`
      default:
        return removed ? `<p class="removed">${content}</p>` : `<p>${content}</p>`
    }
  }

  blocks(blocks: ExportBlock[]): string {
    const out: string[] = []
    blocks.forEach((block, k) => {
      if (block.kind === 'text') {
        out.push(this.textBlock(block))
        const next = blocks[k + 1]
        const inHeader = block.role !== 'body' && block.role !== 'title'
        if (inHeader && (next?.kind !== 'text' || next.role === 'body' || next.role === 'title')) {
          out.push('<hr class="header-end">')
        }
        if (block.role === 'title' && this.model.marked) out.push(this.markedNote())
      } else if (block.kind === 'list') {
        const tag = block.ordered ? 'ol' : 'ul'
        const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : ''
        out.push(
          `<${tag}${start}>${block.items.map((item) => `<li>${this.blocks(item)}</li>`).join('')}</${tag}>`,
        )
      } else if (block.kind === 'quote') {
        out.push(`<blockquote>${this.blocks(block.children)}</blockquote>`)
      } else {
        const rows = block.rows.map((row) => {
          const cells = row.map((cell) => {
            const tag = cell.header ? 'th' : 'td'
            const span = `${cell.colspan > 1 ? ` colspan="${cell.colspan}"` : ''}${cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : ''}`
            return `<${tag}${span}>${this.blocks(cell.children)}</${tag}>`
          })
          return { header: row.length > 0 && row.every((c) => c.header), html: `<tr>${cells.join('')}</tr>` }
        })
        const head = rows.filter((r, i) => r.header && rows.slice(0, i).every((p) => p.header))
        const body = rows.slice(head.length)
        out.push(
          `<table>${head.length ? `<thead>${head.map((r) => r.html).join('')}</thead>` : ''}<tbody>${body.map((r) => r.html).join('')}</tbody></table>`,
        )
      }
    })
    return out.join('\n')
  }

  markedNote(): string {
    const m = this.model.marked
    if (!m) return ''
    return m.mode === 'bold'
      ? `<p class="note">Changes since ${escapeHtml(m.against)}: insertions are shown in bold and deletions struck through.</p>`
      : `<p class="note">Changes since ${escapeHtml(m.against)} are shown as <ins>insertions</ins> and <del>deletions</del>.</p>`
  }

  comments(comments: ExportComment[]): string {
    if (comments.length === 0) return ''
    const items = comments.map((c) => {
      const where = c.number
        ? `Paragraph ${escapeHtml(c.number)}`
        : c.placement === 'document'
          ? 'The document as a whole'
          : 'Title'
      const entries = c.entries.map((e) => {
        const lines = e.lines
          .map((l) => `${l.label ? `<strong>${text(l.label)}</strong>` : ''}${text(l.text)}`)
          .join('<br>')
        return `<p><span class="entry-author">${text(e.author)}</span>, ${escapeHtml(longDate(e.date))}: ${lines}</p>`
      })
      return `<li id="comment-${c.n}"><p><a href="#comment-ref-${c.n}">↑</a> ${where}</p>${entries.join('')}</li>`
    })
    return `<section class="comments"><h2>Comments</h2><ol>${items.join('')}</ol></section>`
  }
}

export function compilationHtml(c: Compilation): string {
  const header = [
    'Para.',
    'Delegation',
    'Kind',
    'Comment or proposed wording',
    'Replies',
    'Disposition and response',
    'Dates',
  ]
  const groups = c.groups.map((g) => {
    const rows = g.sections.flatMap((s) => [
      `<tr class="section"><td colspan="${header.length}">${text(s.label)}</td></tr>`,
      ...s.rows.map((r) =>
        [
          '<tr>',
          `<td>${text(r.paragraph)}</td>`,
          `<td><strong>${text(r.organisation)}</strong>${r.person ? `<br><em>${text(r.person)}</em>` : ''}</td>`,
          `<td>${text(r.kind)}<br><em>${text(r.status)}</em></td>`,
          `<td>${text(r.comment)}${r.proposal ? `<br><strong>Proposal:</strong> ${text(r.proposal)}` : ''}</td>`,
          `<td>${r.replies.map(text).join('<br>')}</td>`,
          `<td>${r.disposition ? `<strong>${text(r.disposition)}</strong><br>` : ''}${text(r.response)}</td>`,
          `<td>Received ${text(r.received)}${r.acknowledged ? `<br>Acknowledged ${text(r.acknowledged)}` : ''}</td>`,
          '</tr>',
        ].join(''),
      ),
    ])
    const cols = [8, 14, 9, 28, 16, 15, 10].map((w) => `<col style="width: ${w}%">`).join('')
    return `<h3>${text(g.label)}</h3><table><colgroup>${cols}</colgroup><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
  })
  return [
    '<section class="compilation">',
    `<h2>${text(c.title)}</h2>`,
    `<p><strong>${text(c.documentTitle)}</strong> (${text(c.versionLabel)}), ${escapeHtml(longDate(c.date))}</p>`,
    `<p class="note">${text(c.note)}</p>`,
    c.count === 0 ? '<p>No comments have been received.</p>' : groups.join('\n'),
    '</section>',
  ].join('\n')
}

export function renderHtml(model: ExportModel): string {
  const writer = new HtmlWriter(model)
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${model.title} (${model.versionLabel})`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    writer.blocks(model.blocks),
    '</main>',
    writer.comments(model.comments),
    model.compilation ? compilationHtml(model.compilation) : '',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
