/**
 * The header block of a UN-style document (DOMAIN.md: symbol, date, issuer, "Original: English"),
 * found in the document's first unnumbered paragraphs: the lines up to the last one that reads
 * as a symbol, a date, a distribution or an original-language line. The rest of those lines name
 * the issuer. The paragraph that repeats the document's title is the title.
 */
import { type JSONNode, jsonBlockText } from '@plenary/shared'

export type HeaderRole = 'issuer' | 'symbol' | 'date' | 'distribution' | 'original'
export type BlockRole = HeaderRole | 'title' | 'body'

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December'
const SYMBOL = /^[A-Z][A-Za-z0-9.-]*(\/[A-Za-z0-9.()-]+){2,}$/
const DATE = new RegExp(
  `^([A-Z][a-z]+, )?(\\d{1,2} (${MONTHS}) \\d{4}|(${MONTHS}) \\d{1,2}, \\d{4}|\\d{4}-\\d{2}-\\d{2})$`,
)
const ORIGINAL = /^Original:\s*\S/i
const DISTRIBUTION = /^Distr(\.|ibution)?:\s*\S/i

export function headerRoleOf(text: string): HeaderRole | null {
  const line = text.trim()
  if (SYMBOL.test(line)) return 'symbol'
  if (DATE.test(line)) return 'date'
  if (ORIGINAL.test(line)) return 'original'
  if (DISTRIBUTION.test(line)) return 'distribution'
  return null
}

/** At most this many leading lines are looked at: a header block is short. */
const MAX_HEADER_LINES = 10

/**
 * Roles of the document's top-level nodes, by index: header lines, the title, and nothing for the
 * rest. `titleIndex` is -1 when no leading paragraph repeats the title.
 */
export function headerRoles(
  content: JSONNode,
  title: string,
): { roles: Map<number, BlockRole>; titleIndex: number; headerEnd: number } {
  const nodes = content.content ?? []
  const leading: number[] = []
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]
    if (node.type !== 'paragraph' || node.attrs?.numbered !== false) break
    leading.push(i)
  }
  const roles = new Map<number, BlockRole>()
  const candidates = leading.slice(0, MAX_HEADER_LINES)
  let last = -1
  candidates.forEach((index, k) => {
    if (headerRoleOf(jsonBlockText(nodes[index]))) last = k
  })
  for (let k = 0; k <= last; k++) {
    const index = candidates[k]
    roles.set(index, headerRoleOf(jsonBlockText(nodes[index])) ?? 'issuer')
  }
  const wanted = title.trim().toLowerCase()
  const titleIndex = leading.find(
    (i) => !roles.has(i) && jsonBlockText(nodes[i]).trim().toLowerCase() === wanted,
  )
  if (titleIndex !== undefined) roles.set(titleIndex, 'title')
  return { roles, titleIndex: titleIndex ?? -1, headerEnd: last >= 0 ? candidates[last] + 1 : 0 }
}
