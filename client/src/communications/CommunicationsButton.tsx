import type { CommunicationDTO } from '@plenary/shared/threads'
import type { Ref } from 'react'
import { strings } from '../strings.ts'

type CommunicationsButtonProps = {
  ref?: Ref<HTMLButtonElement>
  open: boolean
  communications: CommunicationDTO[] | null
  onToggle: () => void
}

/** Opens the secretariat's drawer of communications; says how many await acknowledgement. */
export function CommunicationsButton({ ref, open, communications, onToggle }: CommunicationsButtonProps) {
  const awaiting = (communications ?? []).filter((c) => !c.acknowledgedAt).length
  return (
    <button
      ref={ref}
      type="button"
      className="doc-bar__button"
      data-testid="communications-toggle"
      aria-expanded={open}
      aria-label={awaiting > 0 ? strings.communications.openWithCount(awaiting) : strings.communications.open}
      onClick={onToggle}
    >
      {strings.communications.open}
      {awaiting > 0 && (
        <span className="count-badge" aria-hidden="true">
          {awaiting}
        </span>
      )}
    </button>
  )
}
