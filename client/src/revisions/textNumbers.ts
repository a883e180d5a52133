import { type JSONNode, jsonDocBlocks } from '@plenary/shared/blocks'

/**
 * The paragraph number of every numbered textblock of a TipTap JSON document, from the shared
 * `jsonDocBlocks` (the same numbering as the editor margin, the API and the exports). Textblocks
 * are visited in the order `jsonTextUnits` visits them, so the n-th one gets the n-th number.
 */
export function paragraphNumbersOf(doc: JSONNode): WeakMap<JSONNode, string> {
  const blocks = jsonDocBlocks(doc)
  const numbers = new WeakMap<JSONNode, string>()
  let index = 0
  const walk = (parent: JSONNode) => {
    for (const child of parent.content ?? []) {
      if (child.type === 'paragraph' || child.type === 'heading') {
        const number = blocks[index++]?.number
        if (number) numbers.set(child, number)
      } else if (child.type !== 'text' && child.type !== 'hardBreak') {
        walk(child)
      }
    }
  }
  walk(doc)
  return numbers
}
