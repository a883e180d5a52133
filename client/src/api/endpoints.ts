/** The HTTP routes the client uses, typed with the shared DTOs (see shared DESIGN.md). */
import type {
  CreateDocumentBody,
  DocumentResponse,
  DocumentsResponse,
  MeResponse,
  ParticipantsResponse,
} from '@plenary/shared/api'
import { request } from './request.ts'

export const getMe = (signal?: AbortSignal) => request<MeResponse>('GET', '/api/me', undefined, signal)

export const logout = () => request<unknown>('POST', '/api/logout', {})

export const listDocuments = (signal?: AbortSignal) =>
  request<DocumentsResponse>('GET', '/api/documents', undefined, signal)

export const getDocument = (id: string, signal?: AbortSignal) =>
  request<DocumentResponse>('GET', `/api/documents/${encodeURIComponent(id)}`, undefined, signal)

export const createDocument = (body: CreateDocumentBody) =>
  request<DocumentResponse>('POST', '/api/documents', body)

/** Secretariat only. */
export const listParticipants = (signal?: AbortSignal) =>
  request<ParticipantsResponse>('GET', '/api/participants', undefined, signal)
