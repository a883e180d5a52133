/**
 * Stable error codes, shared by server responses (`{error: {code, message}}`) and client messages.
 */
export const ErrorCode = {
  invalidRequest: 'invalid_request',
  invalidJson: 'invalid_json',
  unsupportedMediaType: 'unsupported_media_type',
  invalidId: 'invalid_id',
  invalidContent: 'invalid_content',
  /** An uploaded file that is not what the route takes (a DOCX for import), or is damaged. */
  invalidFile: 'invalid_file',
  notSignedIn: 'not_signed_in',
  invalidToken: 'invalid_token',
  forbidden: 'forbidden',
  notFound: 'not_found',
  documentNotFound: 'document_not_found',
  participantNotFound: 'participant_not_found',
  conflict: 'conflict',
  revisionNotFound: 'revision_not_found',
  revisionMismatch: 'revision_mismatch',
  noRevision: 'no_revision',
  payloadTooLarge: 'payload_too_large',
  documentTooLarge: 'document_too_large',
  tooManyRequests: 'too_many_requests',
  storageUnavailable: 'storage_unavailable',
  internal: 'internal_error',
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export type ErrorBody = { error: { code: ErrorCode; message: string } }
