import type { Editor } from '@tiptap/core'
import { useEffect, useState } from 'react'
import { type BlockPlace, blockPlaces } from './blockPlaces.ts'

export type BlockIndex = { list: BlockPlace[]; byId: Map<string, BlockPlace> }

const empty: BlockIndex = { list: [], byId: new Map() }

/** The document's textblocks and where each sits, kept current (recomputed at most every 250 ms). */
export function useBlockPlaces(editor: Editor | null): BlockIndex {
  const [index, setIndex] = useState<BlockIndex>(empty)
  useEffect(() => {
    if (!editor) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const compute = () => {
      timer = undefined
      if (editor.isDestroyed) return
      const list = blockPlaces(editor.state.doc)
      setIndex({ list, byId: new Map(list.map((place) => [place.id, place])) })
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
