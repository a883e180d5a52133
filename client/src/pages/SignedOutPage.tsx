import { useEffect } from 'react'
import { Header } from '../components/Header.tsx'
import { strings } from '../strings.ts'

/** What a visitor without a session sees: how to get in, and nothing else. */
export function SignedOutPage() {
  useEffect(() => {
    document.title = strings.appName
  }, [])
  return (
    <>
      <Header participant={null} />
      <main id="main" className="page page--narrow signed-out">
        <h1>{strings.signedOut.title}</h1>
        <p className="lead">{strings.signedOut.lead}</p>
        <div className="panel">
          <p>{strings.signedOut.howToEnter}</p>
          <p className="quiet">{strings.signedOut.noLink}</p>
        </div>
      </main>
    </>
  )
}
