import type { ReactNode } from 'react'

type NoticeProps = {
  tone: 'info' | 'warning' | 'error'
  children: ReactNode
  /** Errors interrupt (role=alert); the rest wait their turn (role=status). */
  action?: ReactNode
}

export function Notice({ tone, children, action }: NoticeProps) {
  return (
    <div className={`notice notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <p>{children}</p>
      {action}
    </div>
  )
}
