import type { ThreadDTO } from '@plenary/shared/threads'
import { strings } from '../strings.ts'
import type { BlockPlace } from './blockPlaces.ts'

const t = strings.comments.place

/** Where a block is, as delegations cite it: "¶ C13", "Table after ¶ C17", "Heading". */
export function blockLabel(place: BlockPlace): string {
  if (place.number) return t.paragraph(place.number)
  const what =
    place.container === 'heading'
      ? t.heading
      : place.container === 'list'
        ? t.list
        : place.container === 'table'
          ? t.table
          : place.container === 'quote'
            ? t.quote
            : t.unnumbered
  return place.after && place.container !== 'heading' ? t.after(what, place.after) : what
}

/** Where a thread is: its paragraph's number as the server gave it, else where its block sits. */
export function threadPlace(thread: ThreadDTO, places: Map<string, BlockPlace>): string {
  const { anchor } = thread
  if (anchor.state === 'document') return t.document
  if (anchor.number) return t.paragraph(anchor.number)
  const place = anchor.blockId ? places.get(anchor.blockId) : undefined
  if (place) return blockLabel(place)
  return anchor.state === 'orphaned' ? t.gone : t.unnumbered
}

/** Names and organisations that messages may mention, for marking @mentions. */
export function mentionLabels(threads: readonly ThreadDTO[], extra: readonly string[] = []): string[] {
  const labels = new Set(extra)
  for (const thread of threads) {
    labels.add(thread.author.name)
    labels.add(thread.author.organisation)
    for (const message of thread.messages) {
      labels.add(message.author.name)
      labels.add(message.author.organisation)
      for (const mention of message.mentions) if (mention.organisation) labels.add(mention.organisation)
    }
  }
  labels.delete('')
  return [...labels]
}
