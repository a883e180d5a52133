/** An HTTP error as the server reports it: `{error: {code, message}}` with a status. */
export class ApiError extends Error {
  override name = 'ApiError'

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** Stable snake_case code shared with the server (`@plenary/shared/errors`). */
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}
