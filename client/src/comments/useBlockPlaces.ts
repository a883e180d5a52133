import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'
import { type BlockPlace, blockPlaces } from './blockPlaces.ts'

type Places = { list: BlockPlace[]; byId: Map<string, BlockPlace> }

export type BlockIndex = Places & {
  /**
   * The same places, but the same objects until a block is added, removed, moved or renumbered:
   * typing does not change them, so what only labels or orders by paragraph (every card in the
   * margin) is not drawn again at each keystroke. Their `text` may be older than the text.
   */
  stable: Places
}

const none: Places = { list: [], byId: new Map() }
const empty: BlockIndex = { ...none, stable: none }

const signature = (list: readonly BlockPlace[]) =>
  list.map((p) => `${p.id}\u0000${p.number}\u0000${p.container}\u0000${p.after}`).join('\u0001')

/** The document's textblocks and where each sits, kept current (recomputed at most every 250 ms). */
export function useBlockPlaces(editor: Editor | null): BlockIndex {
  const [index, setIndex] = useState<BlockIndex>(empty)
  useEffect(() => {
    if (!editor) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let stableSignature: string | null = null
    const compute = () => {
      timer = undefined
      if (editor.isDestroyed) return
      const list = blockPlaces(editor.state.doc)
      const places = { list, byId: new Map(list.map((place) => [place.id, place])) }
      const nextSignature = signature(list)
      setIndex((current) => {
        const same = nextSignature === stableSignature
        stableSignature = nextSignature
        return { ...places, stable: same ? current.stable : places }
      })
    }
    const schedule = () => {
      timer ??= setTimeout(compute, 250)
    }
    compute()
    editor.on('update', schedule)
    return () => {
      if (timer !== undefined) clearTimeout(timer)
      editor.off('update', schedule)
    }
  }, [editor])
  return index
}
