import type { ErrorBody } from '@plenary/shared/errors'
import { ApiError } from './ApiError.ts'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error
  return typeof error === 'object' && error !== null && typeof error.code === 'string'
}

/**
 * JSON over fetch, with the session cookie. Resolves with the parsed body; rejects with an
 * ApiError carrying the server's code (or `network` / `unexpected`).
 */
export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiError(0, 'network', (error as Error).message)
  }
  const text = await response.text()
  let parsed: unknown = null
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = null
    }
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) throw new ApiError(response.status, parsed.error.code, parsed.error.message)
    throw new ApiError(response.status, 'unexpected', `${response.status} ${response.statusText}`)
  }
  return parsed as T
}
