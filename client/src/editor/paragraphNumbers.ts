/**
 * Paragraph numbers in the left margin, computed with the shared `paragraphNumbers` (the same
 * function numbers the API and every export) and drawn as widgets, so they are never part of
 * the text. They follow every local and remote change.
 */
import { paragraphNumbers } from '@plenary/shared/numbering'
import { Extension } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { diffMapping, documentDiff } from './changeMapping.ts'

export const paragraphNumbersKey = new PluginKey<NumberState>('paragraphNumbers')

function numberWidget(number: string): HTMLElement {
  const element = document.createElement('span')
  element.className = 'paragraph-number'
  element.dataset.number = number
  element.contentEditable = 'false'
  element.setAttribute('aria-hidden', 'true')
  // Drawn by CSS from data-number, so the number is never part of the text's textContent,
  // innerText or a copied selection.
  return element
}

type Unit = Parameters<typeof paragraphNumbers>[0][number]

/** The paragraph numbers of a document and the decorations that draw them. */
export type NumberState = {
  doc: ProseMirrorNode
  /** The numbers of its top-level nodes (null: not numbered). */
  numbers: readonly (string | null)[]
  decorations: DecorationSet
}

const unitOf = (node: ProseMirrorNode): Unit => ({
  type: node.type.name,
  topLevel: true,
  numbered: node.attrs.numbered as boolean | null | undefined,
  numberPrefix: node.attrs.numberPrefix as string | null | undefined,
})

function topLevel(doc: ProseMirrorNode) {
  const nodes: ProseMirrorNode[] = []
  doc.forEach((node) => {
    nodes.push(node)
  })
  return { nodes, numbers: paragraphNumbers(nodes.map(unitOf)) }
}

function widget(offset: number, number: string): Decoration {
  return Decoration.widget(offset + 1, () => numberWidget(number), {
    side: -1,
    key: `paragraph-number:${number}`,
    ignoreSelection: true,
  })
}

function widgets(
  nodes: readonly ProseMirrorNode[],
  numbers: readonly (string | null)[],
  from: number,
  to: number,
  offset: number,
) {
  const out: Decoration[] = []
  for (let i = from; i < to; i++) {
    const number = numbers[i]
    if (number !== null) out.push(widget(offset, number))
    offset += nodes[i].nodeSize
  }
  return out
}

export function initialNumbers(doc: ProseMirrorNode): NumberState {
  const { nodes, numbers } = topLevel(doc)
  return { doc, numbers, decorations: DecorationSet.create(doc, widgets(nodes, numbers, 0, nodes.length, 0)) }
}

/**
 * The numbers after a change, redrawing only what changed. Where the old and new documents differ
 * is found by comparing them (not from the transaction's steps: y-tiptap applies every change from
 * another person as a replacement of the whole document, with every node built anew); the
 * top-level nodes before and after that stretch whose numbers did not change keep their widgets,
 * moved to where they now sit, and only the others are drawn again. Typing in one paragraph of a
 * 2,000-paragraph draft redraws one number, not 2,000. Always equal to `initialNumbers(doc)`.
 */
export function nextNumbers(previous: NumberState, doc: ProseMirrorNode): NumberState {
  const { nodes, numbers } = topLevel(doc)
  const diff = documentDiff(previous.doc, doc)
  if (diff === null) return { doc, numbers, decorations: previous.decorations }
  const { start, endB } = diff
  const old = previous.numbers
  // Nodes wholly before the change, and wholly after it, that kept their numbers.
  let prefix = 0
  let from = 0
  // Numbers depend only on the nodes before, so those before the change kept theirs.
  while (prefix < nodes.length && from + nodes[prefix].nodeSize <= start) {
    from += nodes[prefix].nodeSize
    prefix++
  }
  let suffix = 0
  let to = doc.content.size
  while (
    suffix < Math.min(nodes.length, old.length) - prefix &&
    to - nodes[nodes.length - 1 - suffix].nodeSize >= endB &&
    old[old.length - 1 - suffix] === numbers[nodes.length - 1 - suffix]
  ) {
    to -= nodes[nodes.length - 1 - suffix].nodeSize
    suffix++
  }
  let decorations = previous.decorations.map(diffMapping(diff), doc)
  // Widgets sit one past the start of their node, so the kept ones are all outside [from, to].
  const stale = decorations.find(from, to)
  if (stale.length > 0) decorations = decorations.remove(stale)
  const fresh = widgets(nodes, numbers, prefix, nodes.length - suffix, from)
  if (fresh.length > 0) decorations = decorations.add(doc, fresh)
  return { doc, numbers, decorations }
}

export const ParagraphNumbers = Extension.create({
  name: 'paragraphNumbers',
  addProseMirrorPlugins() {
    return [
      new Plugin<NumberState>({
        key: paragraphNumbersKey,
        state: {
          init: (_config, state) => initialNumbers(state.doc),
          apply: (tr, previous) => (tr.docChanged ? nextNumbers(previous, tr.doc) : previous),
        },
        props: {
          decorations: (state) => paragraphNumbersKey.getState(state)?.decorations,
        },
      }),
    ]
  },
})
