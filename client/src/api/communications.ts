/** Written communications (secretariat only) and mentions of the signed-in participant. */
import type { CommunicationDTO, CreateCommunicationBody } from '@plenary/shared/threads'
import { request } from './request.ts'

export const listCommunications = (signal?: AbortSignal) =>
  request<{ communications: CommunicationDTO[] }>('GET', '/api/communications', undefined, signal)

export const createCommunication = (body: CreateCommunicationBody) =>
  request<{ communication: CommunicationDTO }>('POST', '/api/communications', body)

export const acknowledgeCommunication = (communicationId: string) =>
  request<{ communication: CommunicationDTO; acknowledgement: string }>(
    'POST',
    `/api/communications/${encodeURIComponent(communicationId)}/acknowledge`,
    {},
  )
