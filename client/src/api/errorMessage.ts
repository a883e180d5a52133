import { strings } from '../strings.ts'
import { ApiError } from './ApiError.ts'

/** A sentence for the person in front of the screen, from any error the API client throws. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return strings.errors.network
    const known = strings.errors[error.code]
    if (known) return known
    if (error.message && error.code !== 'unexpected') return error.message
  }
  return strings.errors.unexpected
}
