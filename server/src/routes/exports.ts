/**
 * Exports (DOCX, HTML, Markdown; the compilation of comments as DOCX or CSV) and DOCX import.
 * Anyone signed in may export, seeing the threads they may see; only the secretariat imports.
 */
import fastifyMultipart from '@fastify/multipart'
import {
  contentToYDoc,
  ErrorCode,
  IdParams,
  InvalidContentError,
  Limits,
  normalizeContent,
} from '@plenary/shared'
import type { FastifyInstance, FastifyReply } from 'fastify'
import * as Y from 'yjs'
import type { z } from 'zod'
import { compilationCsv } from '../export/csv.ts'
import { HTML_TYPE, renderHtml } from '../export/html.ts'
import { loadExport } from '../export/load.ts'
import { MARKDOWN_TYPE, renderMarkdown } from '../export/markdown.ts'
import {
  CompilationFormats,
  CompilationQuery,
  ExportFormats,
  ExportQuery,
  exportOptions,
} from '../export/query.ts'
import { newId } from '../ids.ts'
import { createImportedThreads } from '../import/threads.ts'
import { requireParticipant, requireRole } from '../plugins/auth.ts'
import { HttpError } from '../plugins/errors.ts'
import { documentDTO } from './documents.ts'

/**
 * The Word modules are evaluated by the first request that needs them, not at start; the Word
 * import's libraries (mammoth, JSZip, about 0.15 s of a start) are loaded then too. The `docx`
 * package the exports write with still loads at start: the bundle imports its externals first.
 */
const wordExport = () => import('../export/docx.ts')
const wordCompilation = () => import('../export/docxCompilation.ts')
const wordImport = () => import('../import/docx.ts')

function send(reply: FastifyReply, type: string, fileName: string, body: string | Buffer) {
  return reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    )
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    .send(body)
}

export async function exportRoutes(app: FastifyInstance): Promise<void> {
  const { store, rooms } = app.services

  for (const format of ExportFormats) {
    app.get(
      `/api/documents/:id/export.${format}`,
      { schema: { params: IdParams, querystring: ExportQuery } },
      async (request, reply) => {
        const viewer = requireParticipant(request)
        const { id } = request.params as z.infer<typeof IdParams>
        const options = exportOptions(request.query as ExportQuery)
        const { model, fileBase } = await loadExport({ store, rooms }, id, viewer, options)
        if (format === 'docx') {
          const { DOCX_TYPE, renderDocx } = await wordExport()
          return send(reply, DOCX_TYPE, `${fileBase}.docx`, await renderDocx(model))
        }
        if (format === 'html') return send(reply, HTML_TYPE, `${fileBase}.html`, renderHtml(model))
        return send(reply, MARKDOWN_TYPE, `${fileBase}.md`, renderMarkdown(model))
      },
    )
  }

  for (const format of CompilationFormats) {
    app.get(
      `/api/documents/:id/compilation.${format}`,
      { schema: { params: IdParams, querystring: CompilationQuery } },
      async (request, reply) => {
        const viewer = requireParticipant(request)
        const { id } = request.params as z.infer<typeof IdParams>
        const options = exportOptions(request.query as CompilationQuery, true)
        const { model, fileBase } = await loadExport({ store, rooms }, id, viewer, options)
        const compilation = model.compilation
        if (!compilation) throw new Error('the compilation was not built')
        const name = `${fileBase}_compilation`
        if (format === 'csv')
          return send(reply, 'text/csv; charset=utf-8', `${name}.csv`, compilationCsv(compilation))
        const [{ DOCX_TYPE }, { renderCompilationDocx }] = await Promise.all([
          wordExport(),
          wordCompilation(),
        ])
        return send(reply, DOCX_TYPE, `${name}.docx`, await renderCompilationDocx(compilation, model.symbol))
      },
    )
  }

  // Multipart only in this plugin's scope: the rest of the API stays JSON-only.
  await app.register(fastifyMultipart, {
    limits: { fileSize: Limits.maxUploadBytes, files: 1, fields: 4, fieldSize: 2000, parts: 6 },
  })

  app.post('/api/documents/import', async (request, reply) => {
    const actor = requireRole(request, 'secretariat')
    if (!request.isMultipart()) {
      throw new HttpError(
        415,
        ErrorCode.unsupportedMediaType,
        'send multipart/form-data with a DOCX in the field "file"',
      )
    }
    let file: { buffer: Buffer; name: string } | null = null
    let title: string | undefined
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || file) {
            await part.toBuffer()
            throw new HttpError(400, ErrorCode.invalidRequest, 'send one file, in the field "file"')
          }
          file = { buffer: await part.toBuffer(), name: part.filename ?? '' }
        } else if (part.fieldname === 'title') {
          title = String(part.value).trim() || undefined
        } else {
          throw new HttpError(400, ErrorCode.invalidRequest, `unknown field ${part.fieldname}`)
        }
      }
    } catch (error) {
      if (error instanceof HttpError) throw error
      const code = (error as { code?: string }).code
      if (
        code === 'FST_REQ_FILE_TOO_LARGE' ||
        code === 'FST_FIELDS_LIMIT' ||
        code === 'FST_PARTS_LIMIT' ||
        code === 'FST_FILES_LIMIT'
      ) {
        throw new HttpError(
          code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : 400,
          code === 'FST_REQ_FILE_TOO_LARGE' ? ErrorCode.payloadTooLarge : ErrorCode.invalidRequest,
          code === 'FST_REQ_FILE_TOO_LARGE'
            ? `the file is larger than ${Limits.maxUploadBytes / 1024 / 1024} MB`
            : 'send one file, in the field "file", and at most a title',
        )
      }
      throw new HttpError(400, ErrorCode.invalidRequest, 'the multipart body cannot be read')
    }
    if (!file || file.buffer.length === 0)
      throw new HttpError(400, ErrorCode.invalidFile, 'no file: send a DOCX in the field "file"')
    if (title && title.length > 300)
      throw new HttpError(400, ErrorCode.invalidRequest, 'title: at most 300 characters')

    const { InvalidDocxError, importDocx, UnpackedTooLargeError } = await wordImport()
    let imported: Awaited<ReturnType<typeof importDocx>>
    let content: ReturnType<typeof normalizeContent>
    try {
      imported = await importDocx(file.buffer)
      content = normalizeContent(imported.content)
    } catch (error) {
      if (error instanceof UnpackedTooLargeError)
        throw new HttpError(413, ErrorCode.payloadTooLarge, error.message)
      if (error instanceof InvalidDocxError || error instanceof InvalidContentError) {
        throw new HttpError(400, ErrorCode.invalidFile, error.message)
      }
      throw error
    }
    const doc = contentToYDoc(content)
    try {
      const initialState = Y.encodeStateAsUpdate(doc)
      if (initialState.length > app.services.config.limits.documentMaxBytes) {
        throw new HttpError(
          413,
          ErrorCode.documentTooLarge,
          'the text is larger than the document size limit',
        )
      }
      const fromName = file.name.replace(/\.docx$/i, '').trim()
      const record = await store.createDocument({
        id: newId(),
        title: (title ?? imported.title ?? (fromName || 'Imported document')).slice(0, 300),
        penHolders: [],
        createdBy: actor.id,
        initialState,
      })
      const created = await createImportedThreads(store, doc, record, actor, imported.threads)
      const people = new Map((await store.listParticipants()).map((p) => [p.id, p]))
      const summary = {
        ...imported.summary,
        imported: { ...imported.summary.imported, commentsOnWords: created.onWords },
      }
      return reply.code(201).send({ document: documentDTO(record, people, actor), summary })
    } finally {
      doc.destroy()
    }
  })
}
