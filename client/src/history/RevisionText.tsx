import { type JSONNode, jsonDocBlocks } from '@plenary/shared/blocks'
import { useEffect, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import { request } from '../api/request.ts'
import { strings } from '../strings.ts'

/** A revision's text as it was, read-only, each paragraph with the number it had then. */
export function RevisionText({ documentId, revisionId }: { documentId: string; revisionId: string }) {
  const [blocks, setBlocks] = useState<ReturnType<typeof jsonDocBlocks> | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    request<{ content: JSONNode }>('GET', `/api/documents/${documentId}/revisions/${revisionId}/content`)
      .then((body) => setBlocks(jsonDocBlocks(body.content)))
      .catch((caught) => setError(errorMessage(caught)))
  }, [documentId, revisionId])
  if (error) return <p className="error-text">{error}</p>
  if (!blocks) return <p className="hint">{strings.history.loading}</p>
  return (
    <div className="revision-text" data-testid="revision-text">
      {blocks.map((block, index) => {
        const Tag = block.type === 'heading' ? 'h3' : 'p'
        return (
          <Tag key={block.id ?? index} className={`revision-text__block revision-text__block--${block.type}`}>
            {block.number && <span className="revision-text__number">{block.number}</span>}
            {block.text}
          </Tag>
        )
      })}
    </div>
  )
}
