import type { Editor } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { useEffect, useState } from 'react'

export type OutlineEntry = { key: string; pos: number; level: number; text: string }

export function outlineOf(doc: ProseMirrorNode): OutlineEntry[] {
  const entries: OutlineEntry[] = []
  const keys = new Set<string>()
  doc.descendants((node, pos) => {
    if (node.type.name === 'heading') {
      // Ids are unique once the server has repaired them; until then, fall back to the position.
      const id = typeof node.attrs.id === 'string' ? node.attrs.id : ''
      const key = id && !keys.has(id) ? id : `pos-${pos}`
      keys.add(key)
      entries.push({
        key,
        pos,
        level: Number(node.attrs.level) || 1,
        text: node.textContent.trim(),
      })
      return false
    }
    // Headings sit in blocks, never inside text.
    return !node.isTextblock
  })
  return entries
}

const sameOutline = (a: OutlineEntry[], b: OutlineEntry[]) =>
  a.length === b.length &&
  a.every(
    (entry, i) =>
      entry.key === b[i].key &&
      entry.pos === b[i].pos &&
      entry.level === b[i].level &&
      entry.text === b[i].text,
  )

/** The headings of the text, kept current as anyone edits (recomputed at most every 150 ms). */
export function useOutline(editor: Editor | null): OutlineEntry[] {
  const [entries, setEntries] = useState<OutlineEntry[]>([])
  useEffect(() => {
    if (!editor) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const compute = () => {
      timer = undefined
      if (editor.isDestroyed) return
      const next = outlineOf(editor.state.doc)
      setEntries((current) => (sameOutline(current, next) ? current : next))
    }
    const schedule = () => {
      timer ??= setTimeout(compute, 150)
    }
    compute()
    editor.on('update', schedule)
    editor.on('create', schedule)
    return () => {
      if (timer !== undefined) clearTimeout(timer)
      editor.off('update', schedule)
      editor.off('create', schedule)
    }
  }, [editor])
  return entries
}
