/**
 * The browser's offline copies of documents (y-indexeddb databases). Only participants who can
 * edit keep one; signing out deletes every copy this app made on the device.
 */
const PREFIX = 'plenary:'

export function offlineCopyName(participantId: string, documentId: string): string {
  return `${PREFIX}${participantId}:${documentId}`
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => resolve()
    // A tab that still has the copy open delays the deletion until it closes; do not wait on it.
    request.onblocked = () => setTimeout(resolve, 1000)
  })
}

/** Deletes every IndexedDB database whose name starts with `plenary:`. */
export async function deleteOfflineCopies(): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return
  const databases = await indexedDB.databases().catch(() => [])
  await Promise.all(
    databases
      .map((database) => database.name)
      .filter((name): name is string => typeof name === 'string' && name.startsWith(PREFIX))
      .map(deleteDatabase),
  )
}
