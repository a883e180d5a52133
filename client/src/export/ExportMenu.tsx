import { useCallback, useRef, useState } from 'react'
import { strings } from '../strings.ts'
import { ExportDialog } from './ExportDialog.tsx'

/** The "Export" button of the document bar and its dialog; focus comes back to the button. */
export function ExportMenu({ documentId }: { documentId: string }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const closed = useCallback(() => {
    setOpen(false)
    button.current?.focus()
  }, [])
  return (
    <>
      <button
        ref={button}
        type="button"
        className="doc-bar__button"
        data-testid="open-export"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
      >
        {strings.exportMenu.open}
      </button>
      {open && <ExportDialog documentId={documentId} onClose={closed} />}
    </>
  )
}
