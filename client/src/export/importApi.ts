/**
 * DOCX import (`POST /api/documents/import`, secretariat only): multipart with the file in the
 * field `file` and an optional `title`. XMLHttpRequest rather than fetch, for upload progress.
 */
import type { DocumentDTO } from '@plenary/shared/api'
import type { ErrorBody } from '@plenary/shared/errors'
import { Limits } from '@plenary/shared/limits'
import { ApiError } from '../api/ApiError.ts'

/** The server's limit for an uploaded file (server `IMPORT_MAX_BYTES`). */
export const IMPORT_MAX_BYTES = Limits.maxUploadBytes
export const IMPORT_MAX_MB = IMPORT_MAX_BYTES / 1024 / 1024

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/** What the server imported and what it left out (server `import/docx.ts`, `ImportSummary`). */
export type ImportSummary = {
  imported: {
    headings: number
    paragraphs: number
    numberedParagraphs: number
    lists: number
    listItems: number
    tables: number
    quotes: number
    links: number
    comments: number
    replies: number
    /** Comments whose quoted words were found: their threads sit on those words. */
    commentsOnWords?: number
  }
  numbering: { prefixes: string[]; renumbered: number }
  dropped: {
    images: number
    footnotes: number
    endnotes: number
    fields: number
    trackedInsertionsAccepted: number
    trackedDeletionsAccepted: number
    compilation: boolean
    notes: number
  }
  warnings: string[]
}

export type ImportResult = { document: DocumentDTO; summary: ImportSummary }

export type UploadProgress = { phase: 'uploading'; percent: number } | { phase: 'reading' }

/** Why a chosen file will not be sent, or null when it may be. */
export function refuseFile(file: File): 'notDocx' | 'tooLarge' | null {
  if (!/\.docx$/i.test(file.name) && file.type !== DOCX_TYPE) return 'notDocx'
  if (file.size > IMPORT_MAX_BYTES) return 'tooLarge'
  return null
}

function failure(status: number, text: string): ApiError {
  let body: ErrorBody | null = null
  try {
    body = JSON.parse(text) as ErrorBody
  } catch {
    body = null
  }
  if (body?.error && typeof body.error.code === 'string') {
    return new ApiError(status, body.error.code, body.error.message)
  }
  if (status === 413) return new ApiError(status, 'payload_too_large', 'the file is too large')
  return new ApiError(status, 'unexpected', `${status}`)
}

/** Uploads the file; resolves with the new document and the summary, rejects with an ApiError. */
export function uploadDocx(
  file: File,
  title: string,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/documents/import')
    xhr.setRequestHeader('accept', 'application/json')
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress({ phase: 'uploading', percent: Math.round((event.loaded / event.total) * 100) })
      }
    }
    // Sent: the server now reads the file and creates the document.
    xhr.upload.onload = () => onProgress({ phase: 'reading' })
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as ImportResult)
        } catch {
          reject(new ApiError(xhr.status, 'unexpected', 'the answer cannot be read'))
        }
      } else {
        reject(failure(xhr.status, xhr.responseText))
      }
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload failed'))
    xhr.onabort = () => reject(new DOMException('The upload was stopped', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    const form = new FormData()
    if (title) form.append('title', title)
    form.append('file', file, file.name)
    onProgress({ phase: 'uploading', percent: 0 })
    xhr.send(form)
  })
}
