/**
 * Fetching exports: files come as blobs so that a refusal (`{error: {code, message}}`) can be shown
 * in the menu instead of the browser navigating to JSON.
 */
import type { ErrorBody } from '@plenary/shared/errors'
import type { RevisionDTO } from '@plenary/shared/revisions'
import { ApiError } from '../api/ApiError.ts'
import { request } from '../api/request.ts'
import type { RevisionChoice } from './exportOptions.ts'

/** The published revisions of a document, oldest first (checkpoints are never offered). */
export async function listPublishedRevisions(documentId: string, signal?: AbortSignal) {
  const { revisions } = await request<{ revisions: RevisionDTO[] }>(
    'GET',
    `/api/documents/${encodeURIComponent(documentId)}/revisions`,
    undefined,
    signal,
  )
  return revisions
    .filter((r) => r.kind === 'published')
    .map(({ id, label, symbol, createdAt }): RevisionChoice => ({ id, label, symbol, createdAt }))
}

export type ExportFile = { blob: Blob; fileName: string }

/** The name the server gives the file (`filename*=UTF-8''…` first), else the last part of the path. */
export function fileNameOf(disposition: string | null, path: string): string {
  const extended = disposition && /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (extended) {
    try {
      return decodeURIComponent(extended[1])
    } catch {
      // a malformed name: fall through
    }
  }
  const plain = disposition && /filename="([^"]+)"/i.exec(disposition)
  if (plain) return plain[1]
  return path.split('?')[0].split('/').pop() ?? 'export'
}

/** Rejects with an ApiError carrying the server's code when the export is refused. */
export async function fetchExport(path: string, signal?: AbortSignal): Promise<ExportFile> {
  let response: Response
  try {
    response = await fetch(path, { credentials: 'same-origin', signal })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiError(0, 'network', (error as Error).message)
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null
    if (body?.error && typeof body.error.code === 'string') {
      throw new ApiError(response.status, body.error.code, body.error.message)
    }
    throw new ApiError(response.status, 'unexpected', `${response.status} ${response.statusText}`)
  }
  const blob = await response.blob()
  return { blob, fileName: fileNameOf(response.headers.get('content-disposition'), path) }
}

/** Saves a file through a temporary `<a download>`. */
export function saveFile({ blob, fileName }: ExportFile): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked later: some browsers read the object URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** The server's own policy for its HTML export, kept when the page is shown from a blob. */
const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/**
 * Shows an HTML export in a tab opened beforehand (a tab opened after the download would be
 * blocked as a pop-up). The export has no script; the policy makes sure none would run.
 */
export async function showHtml(tab: Window, file: ExportFile): Promise<void> {
  const html = await file.blob.text()
  const meta = `<meta http-equiv="Content-Security-Policy" content="${HTML_POLICY}">`
  const head = /<head(\s[^>]*)?>/i
  const guarded = head.test(html) ? html.replace(head, (tag) => `${tag}${meta}`) : meta + html
  const url = URL.createObjectURL(new Blob([guarded], { type: 'text/html;charset=utf-8' }))
  tab.location.href = url
  setTimeout(() => URL.revokeObjectURL(url), 10 * 60_000)
}
