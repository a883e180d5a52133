/** One error shape for every route: `{error: {code, message}}`, 5xx details hidden. */
import { type ErrorBody, ErrorCode } from '@plenary/shared'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
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

/**
 * Errors the router raises before any route or hook runs (Fastify's `frameworkErrors` option): a
 * URL that cannot be decoded, a path parameter longer than the router takes. They answer in the
 * API's shape too; and a websocket upgrade refused here has its socket closed, since nothing else
 * would close it (the websocket plugin's hooks do not run) and it would stay open for good.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.headers.upgrade) {
    const socket = request.raw.socket
    reply.raw.once('finish', () => socket.destroy())
    reply.header('connection', 'close')
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.code(414).send(errorBody(ErrorCode.invalidId, 'a path segment is too long'))
  } else if (error.code === 'FST_ERR_BAD_URL') {
    reply.code(400).send(errorBody(ErrorCode.invalidRequest, 'the URL cannot be decoded'))
  } else {
    reply.code(400).send(errorBody(ErrorCode.invalidRequest, 'the request cannot be routed'))
  }
}

/**
 * Errors on an open websocket (the websocket plugin's `errorHandler`). A frame that breaks the
 * websocket protocol or the size limit is an error of ws's receiver, which has already started
 * the closing handshake with the code that says why (1002, 1007, 1008, 1009): the socket is left
 * to finish it, so that the client reads that code. (The plugin's default terminated the socket
 * at once, and the close frame was lost behind whatever was still being sent: the client saw
 * 1006.) Anything else ends the socket. Logged at info: it is the client's fault, not the server's.
 */
export function websocketErrorHandler(
  error: Error & { code?: string },
  socket: { readyState: number; CLOSING: number; CLOSED: number; terminate(): void },
  request: FastifyRequest,
): void {
  request.log.info({ reason: error.message, code: error.code }, 'websocket error')
  if (socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED) return
  socket.terminate()
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
