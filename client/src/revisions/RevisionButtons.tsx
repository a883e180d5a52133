import { strings } from '../strings.ts'
import type { RevisionRoom } from './useRevisionRoom.ts'

const t = strings.revisions

/** "History" and "Compare" in the document bar. */
export function RevisionButtons({ room }: { room: RevisionRoom }) {
  return (
    <>
      <button
        ref={room.historyButton}
        type="button"
        className="doc-bar__button"
        data-testid="open-history"
        aria-expanded={room.historyOpen}
        onClick={room.toggleHistory}
      >
        {t.historyButton}
      </button>
      <button
        ref={room.compareButton}
        type="button"
        className="doc-bar__button"
        data-testid="open-compare"
        aria-haspopup="dialog"
        title={t.compareButtonLabel}
        onClick={() => room.openView({ kind: 'compare', from: null, to: 'current' })}
      >
        {t.compareButton}
      </button>
    </>
  )
}
