import { textblockText } from '@plenary/shared/blockOffsets'
import { paragraphNumbers } from '@plenary/shared/numbering'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

export type BlockContainer = 'paragraph' | 'heading' | 'list' | 'table' | 'quote'

/** Where a textblock sits, in the words delegations cite: its number, or what holds it. */
export type BlockPlace = {
  id: string
  /** "C13" for a numbered paragraph, else null. */
  number: string | null
  container: BlockContainer
  /** The number of the last numbered paragraph before it (for unnumbered blocks). */
  after: string | null
  text: string
}

const containers: Record<string, BlockContainer> = {
  heading: 'heading',
  bulletList: 'list',
  orderedList: 'list',
  table: 'table',
  blockquote: 'quote',
}

/** Every textblock with an id, in document order, with the same numbers as the margin. */
export function blockPlaces(doc: ProseMirrorNode): BlockPlace[] {
  const tops: ProseMirrorNode[] = []
  doc.forEach((node) => {
    tops.push(node)
  })
  const numbers = paragraphNumbers(
    tops.map((node) => ({
      type: node.type.name,
      topLevel: true,
      numbered: node.attrs.numbered as boolean | null | undefined,
      numberPrefix: node.attrs.numberPrefix as string | null | undefined,
    })),
  )
  const places: BlockPlace[] = []
  let last: string | null = null
  tops.forEach((top, index) => {
    const number = numbers[index]
    const container = containers[top.type.name] ?? 'paragraph'
    const add = (node: ProseMirrorNode, own: string | null) => {
      const id = node.attrs.id
      if (typeof id !== 'string' || !id) return
      places.push({ id, number: own, container, after: last, text: textblockText(node) })
    }
    if (top.isTextblock) add(top, number)
    else
      top.descendants((node) => {
        if (node.isTextblock) {
          add(node, null)
          return false
        }
        return true
      })
    if (number !== null) last = number
  })
  return places
}
