import { strings } from '../strings.ts'
import type { RevisionNotice as Notice } from './useRevisionRoom.ts'

const t = strings.revisions.notice

type RevisionNoticeProps = {
  notice: Notice | null
  onDismiss: () => void
  onShow: () => void
}

/**
 * "Rev.1 published by Park Ji-hoon", "Ana Facilitator restored Draft": a brief notice at the foot
 * of the page for everyone on the document. The live region is always there, so screen readers
 * hear each new notice, politely.
 */
export function RevisionNotice({ notice, onDismiss, onShow }: RevisionNoticeProps) {
  return (
    <div className={`revision-notice${notice ? ' revision-notice--shown' : ''}`}>
      <p className="revision-notice__text" role="status" aria-live="polite" data-testid="revision-notice">
        {notice?.text}
      </p>
      {notice && (
        <span className="revision-notice__actions">
          <button type="button" className="revision-notice__show" onClick={onShow}>
            {t.open}
          </button>
          <button
            type="button"
            className="revision-notice__dismiss"
            aria-label={t.dismiss}
            onClick={onDismiss}
          >
            <span aria-hidden="true">×</span>
          </button>
        </span>
      )}
    </div>
  )
}
