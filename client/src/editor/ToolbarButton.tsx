import type { ReactNode } from 'react'
import { shortcut } from './shortcuts.ts'

type ToolbarButtonProps = {
  label: string
  /** e.g. `Mod+B`: announced with `aria-keyshortcuts` and shown in the tooltip. */
  keys?: string
  /** For toggles (marks, lists): announced as pressed or not. Omit for plain actions. */
  pressed?: boolean
  disabled?: boolean
  onClick: () => void
  children: ReactNode
  wide?: boolean
}

export function ToolbarButton({
  label,
  keys,
  pressed,
  disabled,
  onClick,
  children,
  wide,
}: ToolbarButtonProps) {
  const keyInfo = keys ? shortcut(keys) : null
  return (
    <button
      type="button"
      className={wide ? 'toolbar__button toolbar__button--wide' : 'toolbar__button'}
      aria-label={label}
      aria-pressed={pressed}
      aria-keyshortcuts={keyInfo?.aria}
      title={keyInfo ? `${label} (${keyInfo.label})` : label}
      disabled={disabled}
      // A mouse click must not take focus (and the selection) away from the text.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      {children}
    </button>
  )
}
