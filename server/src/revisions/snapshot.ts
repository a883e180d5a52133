/** A revision's record made from a document's text at one moment: state, content, content hash. */
import { createHash } from 'node:crypto'
import { yDocToContent } from '@plenary/shared'
import * as Y from 'yjs'
import { newId } from '../ids.ts'
import type { RevisionRecord } from '../storage/Store.ts'

/** JSON with object keys sorted, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export function contentHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex')
}

export function revisionOf(
  doc: Y.Doc,
  fields: Pick<
    RevisionRecord,
    'documentId' | 'kind' | 'label' | 'symbol' | 'note' | 'createdBy' | 'contributors'
  >,
): RevisionRecord {
  const content = yDocToContent(doc)
  return {
    id: newId(),
    ...fields,
    state: Y.encodeStateAsUpdate(doc),
    content,
    hash: contentHash(content),
    createdAt: new Date().toISOString(),
  }
}
