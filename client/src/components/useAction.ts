import { useCallback, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'

/** One request at a time from a form or button: whether it is under way, and its error if any. */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true)
    setError(null)
    try {
      return await action()
    } catch (failure) {
      setError(errorMessage(failure))
      return undefined
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, setError, run }
}
