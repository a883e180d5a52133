import type { ParticipantRef } from '@plenary/shared/api'
import { roleLabels } from '@plenary/shared/roles'
import { strings } from '../strings.ts'
import { Link } from './Link.tsx'
import { MentionsMenu } from './MentionsMenu.tsx'

type HeaderProps = {
  participant: ParticipantRef | null
  onSignOut?: () => void
  signingOut?: boolean
  signOutError?: string | null
}

export function Header({ participant, onSignOut, signingOut = false, signOutError = null }: HeaderProps) {
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {strings.skipToContent}
      </a>
      <div className="app-header__inner">
        {participant ? (
          <Link href="/" className="wordmark">
            {strings.appName}
          </Link>
        ) : (
          <span className="wordmark">{strings.appName}</span>
        )}
        {participant && (
          <nav aria-label={strings.header.navLabel} className="app-header__nav">
            <Link href="/">{strings.header.documents}</Link>
          </nav>
        )}
        {participant && (
          <div className="app-header__identity">
            <MentionsMenu />
            <p className="identity" data-testid="me">
              <span className="visually-hidden">{strings.header.signedInAs} </span>
              <span className="identity__name">{participant.name}</span>
              <span className="identity__details">
                {participant.organisation} · {roleLabels[participant.role]}
              </span>
            </p>
            <button
              type="button"
              className="button button--on-dark"
              data-testid="sign-out"
              onClick={onSignOut}
              disabled={signingOut}
            >
              {signingOut ? strings.header.signingOut : strings.header.signOut}
            </button>
          </div>
        )}
      </div>
      {signOutError && (
        <p className="app-header__error" role="alert">
          {signOutError}
        </p>
      )}
    </header>
  )
}
