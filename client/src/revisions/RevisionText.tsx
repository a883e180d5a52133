import type { JSONNode } from '@plenary/shared/blocks'
import { isSafeHref } from '@plenary/shared/schema'
import { type ReactNode, useMemo } from 'react'
import { paragraphNumbersOf } from './textNumbers.ts'

type Mark = NonNullable<JSONNode['marks']>[number]

/** One text run with its marks, outermost first; links only to http, https and mailto. */
function markedText(text: string, marks: readonly Mark[], key: string): ReactNode {
  let node: ReactNode = text
  for (let i = marks.length - 1; i >= 0; i--) {
    const mark = marks[i]
    switch (mark.type) {
      case 'bold':
        node = <strong>{node}</strong>
        break
      case 'italic':
        node = <em>{node}</em>
        break
      case 'underline':
        node = <u>{node}</u>
        break
      case 'strike':
        node = <s>{node}</s>
        break
      case 'link': {
        const href = mark.attrs?.href
        if (isSafeHref(href)) {
          node = (
            <a href={href} target="_blank" rel="noopener noreferrer nofollow">
              {node}
            </a>
          )
        }
        break
      }
    }
  }
  return <span key={key}>{node}</span>
}

const cellSpan = (value: unknown) => (typeof value === 'number' && value > 1 ? value : undefined)

/**
 * A revision's text, read only, from its TipTap JSON: headings, numbered paragraphs, lists, block
 * quotes, tables, marks and safe links. No editor is needed to read a text as it was.
 */
export function RevisionText({ content }: { content: JSONNode }) {
  const numbers = useMemo(() => paragraphNumbersOf(content), [content])

  const children = (node: JSONNode, key: string): ReactNode[] =>
    (node.content ?? []).map((child, i) => render(child, `${key}.${i}`))

  const render = (node: JSONNode, key: string): ReactNode => {
    switch (node.type) {
      case 'text':
        return markedText(node.text ?? '', node.marks ?? [], key)
      case 'hardBreak':
        return <br key={key} />
      case 'paragraph': {
        const number = numbers.get(node)
        return (
          <p key={key} className={number ? 'revision-text__numbered' : undefined}>
            {number && <span className="revision-text__number" data-number={number} aria-hidden="true" />}
            {children(node, key)}
          </p>
        )
      }
      case 'heading': {
        const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), 3)
        // The dialog's own title is the h2: the text's headings sit below it.
        const Tag = (['h3', 'h4', 'h5'] as const)[level - 1]
        return (
          <Tag key={key} className={`revision-text__h${level}`}>
            {children(node, key)}
          </Tag>
        )
      }
      case 'bulletList':
        return <ul key={key}>{children(node, key)}</ul>
      case 'orderedList': {
        const start = Number(node.attrs?.start)
        return (
          <ol key={key} start={Number.isFinite(start) && start !== 1 ? start : undefined}>
            {children(node, key)}
          </ol>
        )
      }
      case 'listItem':
        return <li key={key}>{children(node, key)}</li>
      case 'blockquote':
        return <blockquote key={key}>{children(node, key)}</blockquote>
      case 'table':
        return (
          <div key={key} className="revision-text__table">
            <table>
              <tbody>{children(node, key)}</tbody>
            </table>
          </div>
        )
      case 'tableRow':
        return <tr key={key}>{children(node, key)}</tr>
      case 'tableCell':
      case 'tableHeader': {
        const Cell = node.type === 'tableHeader' ? 'th' : 'td'
        return (
          <Cell key={key} colSpan={cellSpan(node.attrs?.colspan)} rowSpan={cellSpan(node.attrs?.rowspan)}>
            {children(node, key)}
          </Cell>
        )
      }
      default:
        // Unknown nodes keep their text, whatever they are.
        return node.content ? <div key={key}>{children(node, key)}</div> : null
    }
  }

  return <div className="revision-text">{children(content, 'n')}</div>
}
