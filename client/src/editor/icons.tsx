/** Toolbar icons: 20×20 strokes in the current colour, hidden from assistive technology. */
import type { ReactNode } from 'react'

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      className="icon"
      width="20"
      height="20"
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  )
}

export const BulletListIcon = () => (
  <Icon>
    <circle cx="4" cy="5.5" r="1.2" fill="currentColor" stroke="none" />
    <circle cx="4" cy="10" r="1.2" fill="currentColor" stroke="none" />
    <circle cx="4" cy="14.5" r="1.2" fill="currentColor" stroke="none" />
    <path d="M8 5.5h9M8 10h9M8 14.5h9" />
  </Icon>
)

export const OrderedListIcon = () => (
  <Icon>
    <path d="M3 4l1.5-1v5M2.8 8h3.2" strokeWidth="1.3" />
    <path d="M3 12.2c.3-.8 2.8-.9 2.6.6-.2 1-2.6 2.2-2.7 3.2h2.9" strokeWidth="1.3" />
    <path d="M9 5.5h8M9 10h8M9 14.5h8" />
  </Icon>
)

export const QuoteIcon = () => (
  <Icon>
    <path d="M4 6h4v4c0 2.2-1.2 3.6-3.2 4M12 6h4v4c0 2.2-1.2 3.6-3.2 4" />
  </Icon>
)

export const TableIcon = () => (
  <Icon>
    <rect x="2.5" y="3.5" width="15" height="13" rx="1" />
    <path d="M2.5 7.8h15M2.5 12.2h15M7.5 3.5v13M12.5 3.5v13" />
  </Icon>
)

export const LinkIcon = () => (
  <Icon>
    <path d="M8.5 11.5a3.2 3.2 0 0 0 4.6.2l2.6-2.6a3.2 3.2 0 0 0-4.6-4.6l-1 1" />
    <path d="M11.5 8.5a3.2 3.2 0 0 0-4.6-.2l-2.6 2.6a3.2 3.2 0 0 0 4.6 4.6l1-1" />
  </Icon>
)

export const UnlinkIcon = () => (
  <Icon>
    <path d="M11 5.5l.6-.6a3.2 3.2 0 0 1 4.6 4.6l-1.4 1.4" />
    <path d="M9 14.5l-.6.6a3.2 3.2 0 0 1-4.6-4.6l1.4-1.4" />
    <path d="M3 3l14 14" />
  </Icon>
)

export const UndoIcon = () => (
  <Icon>
    <path d="M7 4L3.5 7.5 7 11" />
    <path d="M3.5 7.5h8a4.5 4.5 0 0 1 0 9H9" />
  </Icon>
)

export const RedoIcon = () => (
  <Icon>
    <path d="M13 4l3.5 3.5L13 11" />
    <path d="M16.5 7.5h-8a4.5 4.5 0 0 0 0 9H11" />
  </Icon>
)
