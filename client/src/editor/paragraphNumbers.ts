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

export const paragraphNumbersKey = new PluginKey<DecorationSet>('paragraphNumbers')

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

export function numberDecorations(doc: ProseMirrorNode): DecorationSet {
  const offsets: number[] = []
  const units: Parameters<typeof paragraphNumbers>[0][number][] = []
  doc.forEach((node, offset) => {
    offsets.push(offset)
    units.push({
      type: node.type.name,
      topLevel: true,
      numbered: node.attrs.numbered as boolean | null | undefined,
      numberPrefix: node.attrs.numberPrefix as string | null | undefined,
    })
  })
  const decorations: Decoration[] = []
  paragraphNumbers(units).forEach((number, index) => {
    if (number === null) return
    decorations.push(
      Decoration.widget(offsets[index] + 1, () => numberWidget(number), {
        side: -1,
        key: `paragraph-number:${number}`,
        ignoreSelection: true,
      }),
    )
  })
  return DecorationSet.create(doc, decorations)
}

export const ParagraphNumbers = Extension.create({
  name: 'paragraphNumbers',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: paragraphNumbersKey,
        state: {
          init: (_config, state) => numberDecorations(state.doc),
          apply: (tr, previous) => (tr.docChanged ? numberDecorations(tr.doc) : previous),
        },
        props: {
          decorations: (state) => paragraphNumbersKey.getState(state),
        },
      }),
    ]
  },
})
