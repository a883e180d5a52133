/**
 * The document schema as headless TipTap extensions: the editor, the server and every export
 * build the same ProseMirror schema from this one list, so they cannot drift.
 */
import { type AnyExtension, Extension, getSchema } from '@tiptap/core'
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table'
import StarterKit from '@tiptap/starter-kit'

/** Node types that carry a stable `id` attribute. */
export const BLOCK_NODE_TYPES = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
] as const
export type BlockNodeType = (typeof BLOCK_NODE_TYPES)[number]

export const isBlockNodeType = (name: string): name is BlockNodeType =>
  (BLOCK_NODE_TYPES as readonly string[]).includes(name)

/** The Y.XmlFragment of the shared Y.Doc that holds the text (TipTap Collaboration's default). */
export const YDOC_FIELD = 'default'

/** Links may only point to these protocols (no javascript:, data:, …). */
export const SAFE_LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const

export function isSafeHref(href: unknown): href is string {
  if (typeof href !== 'string' || href.length > 2048) return false
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(href.trim())
  if (!match) return false
  return (SAFE_LINK_PROTOCOLS as readonly string[]).includes(match[1].toLowerCase())
}

/** Adds `id` to every block node, `numbered` to paragraphs and `numberPrefix` to headings. */
export const BlockAttributes = Extension.create({
  name: 'plenaryBlockAttributes',
  addGlobalAttributes() {
    return [
      {
        types: [...BLOCK_NODE_TYPES],
        attributes: {
          id: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element) => element.getAttribute('data-id'),
            renderHTML: (attributes) => (attributes.id ? { 'data-id': attributes.id } : {}),
          },
        },
      },
      {
        types: ['paragraph'],
        attributes: {
          numbered: {
            default: true,
            parseHTML: (element) => element.getAttribute('data-numbered') !== 'false',
            renderHTML: (attributes) => (attributes.numbered === false ? { 'data-numbered': 'false' } : {}),
          },
        },
      },
      {
        types: ['heading'],
        attributes: {
          numberPrefix: {
            default: null,
            parseHTML: (element) => element.getAttribute('data-number-prefix'),
            renderHTML: (attributes) =>
              typeof attributes.numberPrefix === 'string'
                ? { 'data-number-prefix': attributes.numberPrefix }
                : {},
          },
        },
      },
    ]
  },
})

/**
 * The schema's extensions. The editor adds its interactive ones (collaboration, carets) on top;
 * nothing here needs a DOM.
 */
export function plenaryExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      trailingNode: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        protocols: [],
        defaultProtocol: 'https',
        isAllowedUri: (url) => isSafeHref(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
    BlockAttributes,
  ]
}

let cachedSchema: ReturnType<typeof getSchema> | undefined

/** The ProseMirror schema of a Plenary document. */
export function plenarySchema() {
  cachedSchema ??= getSchema(plenaryExtensions())
  return cachedSchema
}
