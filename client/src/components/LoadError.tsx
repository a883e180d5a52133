import { strings } from '../strings.ts'

/** An error that stopped a page from loading, with a way to try again. */
export function LoadError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="notice notice--error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {strings.retry}
        </button>
      )}
    </div>
  )
}
