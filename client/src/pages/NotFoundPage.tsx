import { useEffect } from 'react'
import { Link } from '../components/Link.tsx'
import { strings } from '../strings.ts'

export function NotFoundPage() {
  useEffect(() => {
    document.title = `${strings.notFound.title} · ${strings.appName}`
  }, [])
  return (
    <main id="main" className="page page--narrow">
      <h1>{strings.notFound.title}</h1>
      <p>{strings.notFound.body}</p>
      <p>
        <Link href="/">{strings.document.backToDocuments}</Link>
      </p>
    </main>
  )
}
