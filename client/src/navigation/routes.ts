/** The pages of the app, matched from the path. */
export type Route = { page: 'home' } | { page: 'document'; documentId: string } | { page: 'notFound' }

export function matchRoute(path: string): Route {
  if (path === '/' || path === '') return { page: 'home' }
  const document = /^\/documents\/([A-Za-z0-9_-]{1,64})\/?$/.exec(path)
  if (document) return { page: 'document', documentId: document[1] }
  return { page: 'notFound' }
}

export const documentPath = (id: string) => `/documents/${encodeURIComponent(id)}`
