/**
 * Acknowledgements of receipt in the form of a note verbale: third person, quoting the sender's
 * reference and date, as secretariats answer notes in kind.
 */
import { isState, type OrganisationKind } from '@plenary/shared'

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso))

/** "the Permanent Mission of Mexico" for a State, the organisation's own name otherwise. */
export function addressee(organisation: string, kind: OrganisationKind | null): string {
  return kind && isState(kind)
    ? `the Permanent Mission of ${organisation}`
    : organisation.startsWith('the ')
      ? organisation
      : `the ${organisation}`
}

export function acknowledgementText(input: {
  secretariat: string
  organisation: string
  organisationKind: OrganisationKind | null
  channel: string
  reference: string
  sentAt: string
  documentTitle: string
  subject?: string
}): string {
  const to = addressee(input.organisation, input.organisationKind)
  const what =
    input.channel === 'note_verbale' ? 'note verbale' : input.channel === 'email' ? 'message' : 'letter'
  const reference = input.reference ? ` ${input.reference}` : ''
  const subject = input.subject ? `, in particular ${input.subject},` : ''
  return [
    `The ${input.secretariat} presents its compliments to ${to} and has the honour to acknowledge receipt of its ${what}${reference} dated ${longDate(input.sentAt)}${subject} concerning the "${input.documentTitle}".`,
    `The comments it contains have been transmitted to the facilitators concerned and will be reflected in the compilation of comments received, without prejudice.`,
    `The ${input.secretariat} avails itself of this opportunity to renew to ${to} the assurances of its highest consideration.`,
  ].join('\n\n')
}
