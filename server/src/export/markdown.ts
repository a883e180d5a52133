/**
 * The Markdown export (GitHub-flavoured): paragraph numbers as `**C13.**` prefixes, marks as
 * `<ins>`/`<del>` or `**`/`~~` as asked, comments as footnotes, the compilation as tables. Text is
 * escaped so that nothing in it becomes markup (or raw HTML) by accident.
 */
import { isSafeHref } from '@plenary/shared'
import type { Compilation } from './compilation.ts'
import { longDate } from './format.ts'
import type { ExportBlock, ExportComment, ExportModel, TextBlock } from './model.ts'
import type { Run } from './runs.ts'

export const MARKDOWN_TYPE = 'text/markdown; charset=utf-8'

/**
 * Escapes what would be markup inside a line: emphasis, code, links, tables, strikethrough, and
 * `<` and `&` as entities so no raw HTML gets through. Line starts are `escapeLineStart`'s.
 */
export function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_[\]<>|~&]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : `\\${c}`))
}

/** A paragraph that starts like a heading, a list item or a quote must not become one. */
const escapeLineStart = (md: string) => md.replace(/^([#+-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2')

/** Wraps text in a marker pair, keeping edge spaces outside (`** x**` would not parse). */
const wrap = (value: string, open: string, close = open) => {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(value)
  if (!match?.[2]) return value
  return `${match[1]}${open}${match[2]}${close}${match[3]}`
}

class MarkdownWriter {
  constructor(private readonly model: ExportModel) {}

  runs(runs: Run[]): string {
    let out = ''
    for (const run of runs) {
      if (run.kind === 'commentStart') continue
      if (run.kind === 'commentEnd') {
        out += `[^${run.comment + 1}]`
        continue
      }
      let md = escapeMarkdown(run.text).replace(/\n/g, '<br>')
      if (run.style.bold) md = wrap(md, '**')
      if (run.style.italic) md = wrap(md, '*')
      if (run.style.underline) md = wrap(md, '<u>', '</u>')
      if (run.style.strike) md = wrap(md, '~~')
      if (run.style.href && isSafeHref(run.style.href))
        md = `[${md}](<${run.style.href.replace(/[<>\s]/g, encodeURIComponent)}>)`
      if (run.change) md = this.mark(md, run.change)
      out += md
    }
    return out
  }

  mark(md: string, change: 'insert' | 'delete'): string {
    if (this.model.marked?.mode === 'bold') return wrap(md, change === 'insert' ? '**' : '~~')
    return change === 'insert' ? `<ins>${md}</ins>` : `<del>${md}</del>`
  }

  private textBlock(block: TextBlock): string {
    const content = this.runs(block.runs)
    const change = block.change === 'added' ? 'insert' : block.change === 'removed' ? 'delete' : null
    if (block.node === 'heading') {
      const level = Math.min(Math.max(block.level, 1), 3) + 1
      return `${'#'.repeat(level)} ${change ? this.mark(content, change) : content}`
    }
    if (block.number) {
      const number = `**${escapeMarkdown(block.number)}.**`
      return `${change ? this.mark(number, change) : number} ${content}`
    }
    if (block.role === 'title') return `# ${content}`
    return escapeLineStart(content)
  }

  blocks(blocks: ExportBlock[]): string[] {
    const out: string[] = []
    blocks.forEach((block, k) => {
      if (block.kind === 'text') {
        out.push(this.textBlock(block))
        const next = blocks[k + 1]
        const inHeader = block.role !== 'body' && block.role !== 'title'
        if (inHeader && (next?.kind !== 'text' || next.role === 'body' || next.role === 'title'))
          out.push('---')
        if (block.role === 'title' && this.model.marked) out.push(this.markedNote())
      } else if (block.kind === 'list') {
        block.items.forEach((item, i) => {
          const marker = block.ordered ? `${block.start + i}.` : '-'
          const indent = ' '.repeat(marker.length + 1)
          const body = this.blocks(item).join('\n\n').split('\n')
          out.push(
            body
              .map((line, n) => (n === 0 ? `${marker} ${line}` : line ? `${indent}${line}` : ''))
              .join('\n'),
          )
        })
      } else if (block.kind === 'quote') {
        out.push(
          this.blocks(block.children)
            .join('\n\n')
            .split('\n')
            .map((line) => `> ${line}`.trimEnd())
            .join('\n'),
        )
      } else {
        const cells = block.rows.map((row) =>
          row.map((cell) =>
            this.blocks(cell.children).join('<br>').replace(/\n/g, '<br>').replace(/\|/g, '\\|'),
          ),
        )
        const width = Math.max(1, ...cells.map((r) => r.length))
        const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`
        const [head, ...rest] = cells
        out.push([line(head ?? []), `|${' --- |'.repeat(width)}`, ...rest.map(line)].join('\n'))
      }
    })
    return out
  }

  markedNote(): string {
    const m = this.model.marked
    if (!m) return ''
    return m.mode === 'bold'
      ? `*Changes since ${escapeMarkdown(m.against)}: insertions in bold, deletions struck through.*`
      : `*Changes since ${escapeMarkdown(m.against)} are shown as <ins>insertions</ins> and <del>deletions</del>.*`
  }

  footnotes(comments: ExportComment[]): string[] {
    return comments.map((c) => {
      const entries = c.entries.map((e) => {
        const lines = e.lines.map(
          (l) => `${l.label ? `**${escapeMarkdown(l.label)}**` : ''}${escapeMarkdown(l.text)}`,
        )
        return `**${escapeMarkdown(e.author)}**, ${escapeMarkdown(longDate(e.date))}: ${lines.join('<br>')}`
      })
      return `[^${c.n}]: ${entries.join('\n\n    ')}`
    })
  }
}

export function compilationMarkdown(c: Compilation): string[] {
  const cell = (value: string) => escapeMarkdown(value).replace(/\n/g, '<br>')
  const out = [
    `## ${cell(c.title)}`,
    `**${cell(c.documentTitle)}** (${cell(c.versionLabel)}), ${cell(longDate(c.date))}`,
    `*${cell(c.note)}*`,
  ]
  if (c.count === 0) return [...out, 'No comments have been received.']
  for (const group of c.groups) {
    out.push(`### ${cell(group.label)}`)
    const rows = group.sections.flatMap((s) =>
      s.rows.map((r) =>
        [
          cell(r.paragraph),
          `**${cell(r.organisation)}**${r.person ? `<br>*${cell(r.person)}*` : ''}`,
          `${cell(r.kind)}<br>*${cell(r.status)}*`,
          `${cell(r.comment)}${r.proposal ? `<br>**Proposal:** ${cell(r.proposal)}` : ''}`,
          r.replies.map(cell).join('<br>'),
          [r.disposition ? `**${cell(r.disposition)}**` : '', cell(r.response)].filter(Boolean).join('<br>'),
          `Received ${cell(r.received)}${r.acknowledged ? `<br>Acknowledged ${cell(r.acknowledged)}` : ''}`,
        ].join(' | '),
      ),
    )
    out.push(
      [
        '| Para. | Delegation | Kind | Comment or proposed wording | Replies | Disposition and response | Dates |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows.map((r) => `| ${r} |`),
      ].join('\n'),
    )
  }
  return out
}

export function renderMarkdown(model: ExportModel): string {
  const writer = new MarkdownWriter(model)
  const parts = writer.blocks(model.blocks)
  if (model.compilation) parts.push(...compilationMarkdown(model.compilation))
  if (model.comments.length > 0) parts.push(...writer.footnotes(model.comments))
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`
}
