/** Who takes part, and what each role may do. */
export const Roles = ['secretariat', 'facilitator', 'delegate', 'reader'] as const
export type Role = (typeof Roles)[number]

export const OrganisationKinds = [
  'state_party',
  'signatory_state',
  'observer_state',
  'igo',
  'civil_society',
  'industry',
  'secretariat',
] as const
export type OrganisationKind = (typeof OrganisationKinds)[number]

/** States are kept apart from civil society and industry in lists and compilations. */
export function isState(kind: OrganisationKind): boolean {
  return kind === 'state_party' || kind === 'signatory_state' || kind === 'observer_state'
}

export type Participant = {
  id: string
  name: string
  organisation: string
  organisationKind: OrganisationKind
  role: Role
}

/** May this participant change the text of a document with these pen holders? */
export function canEditDocument(
  participant: Pick<Participant, 'id' | 'role'>,
  penHolders: readonly string[],
): boolean {
  if (participant.role === 'secretariat') return true
  if (participant.role === 'facilitator') return penHolders.includes(participant.id)
  return false
}

export const roleLabels: Record<Role, string> = {
  secretariat: 'Secretariat',
  facilitator: 'Facilitator',
  delegate: 'Delegate',
  reader: 'Reader',
}

export const organisationKindLabels: Record<OrganisationKind, string> = {
  state_party: 'State Party',
  signatory_state: 'Signatory State',
  observer_state: 'Observer State',
  igo: 'International organisation',
  civil_society: 'Civil society',
  industry: 'Industry',
  secretariat: 'Secretariat',
}
