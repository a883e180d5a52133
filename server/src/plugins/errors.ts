/** One error shape for every route: `{error: {code, message}}`, 5xx details hidden. */
import { type ErrorBody, ErrorCode } from '@plenary/shared'
import type { FastifyError, FastifyInstance } from 'fastify'
import { ZodError } from 'zod'

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export const errorBody = (code: ErrorCode, message: string): ErrorBody => ({ error: { code, message } })

function describeZod(error: ZodError, context: string | undefined): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = [context, ...issue.path.map(String)].filter(Boolean).join('.')
      return where ? `${where}: ${issue.message}` : issue.message
    })
    .join('; ')
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validationContext?: string }, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send(errorBody(error.code, error.message))
    }
    if (error instanceof ZodError || error.code === 'FST_ERR_VALIDATION') {
      const message = error instanceof ZodError ? describeZod(error, error.validationContext) : error.message
      const code = error.validationContext === 'params' ? ErrorCode.invalidId : ErrorCode.invalidRequest
      return reply.code(400).send(errorBody(code, message))
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody(ErrorCode.unsupportedMediaType, 'send JSON (application/json)'))
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody(ErrorCode.payloadTooLarge, 'request body too large'))
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.code(400).send(errorBody(ErrorCode.invalidJson, 'the body is not valid JSON'))
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return reply.code(400).send(errorBody(ErrorCode.invalidJson, 'the body is not valid JSON'))
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody(ErrorCode.invalidRequest, error.message))
    }
    request.log.error({ err: error }, 'request failed')
    return reply.code(500).send(errorBody(ErrorCode.internal, 'something went wrong on the server'))
  })
}
