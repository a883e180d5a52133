import { ApiError } from '../api/ApiError.ts'
import { errorMessage } from '../api/errorMessage.ts'

/** A sentence for a refused request: this feature's own wording for a code first, else the app's. */
export function errorText(error: unknown, known: Record<string, string>): string {
  if (error instanceof ApiError && error.status !== 0 && known[error.code]) return known[error.code]
  return errorMessage(error)
}
