/**
 * The participants of the demo. Every person is invented and marked (DEMO); so are the delegations
 * and organisations that do not exist. Keys are stable slugs that the other demo modules refer to.
 */

export type DemoParticipant = {
  key: string
  name: string
  organisation: string
  organisationKind:
    | 'state_party'
    | 'signatory_state'
    | 'observer_state'
    | 'igo'
    | 'civil_society'
    | 'industry'
    | 'secretariat'
  role: 'secretariat' | 'facilitator' | 'delegate' | 'reader'
  /** Holds the pen on the demo draft (may edit its text). */
  penHolder: boolean
}

export const demoParticipants: DemoParticipant[] = [
  {
    key: 'secretariat',
    name: 'Helena Marchetti (DEMO)',
    organisation: 'ATT Secretariat',
    organisationKind: 'secretariat',
    role: 'secretariat',
    penHolder: false,
  },
  {
    key: 'chair',
    name: 'Ambassador Niamh Corrigan (DEMO), WGETI Chair',
    organisation: 'Ireland',
    organisationKind: 'state_party',
    role: 'facilitator',
    penHolder: true,
  },
  {
    key: 'facilitator-a',
    name: 'Tomas Whitaker (DEMO), facilitator, Articles 6 and 7',
    organisation: 'New Zealand',
    organisationKind: 'state_party',
    role: 'facilitator',
    penHolder: true,
  },
  {
    key: 'facilitator-b',
    name: 'Abena Mensah-Owusu (DEMO), facilitator, Article 9',
    organisation: 'Ghana',
    organisationKind: 'state_party',
    role: 'facilitator',
    penHolder: true,
  },
  {
    key: 'facilitator-c',
    name: 'Park Ji-hoon (DEMO), facilitator, Article 11',
    organisation: 'Republic of Korea',
    organisationKind: 'state_party',
    role: 'facilitator',
    penHolder: true,
  },
  {
    key: 'mexico',
    name: 'Lucía Herrera Campos (DEMO)',
    organisation: 'Mexico',
    organisationKind: 'state_party',
    role: 'delegate',
    penHolder: false,
  },
  {
    key: 'norland',
    name: 'Aleksander Varga (DEMO)',
    organisation: 'Republic of Norland (DEMO)',
    organisationKind: 'state_party',
    role: 'delegate',
    penHolder: false,
  },
  {
    key: 'civil-society',
    name: 'Ruth Adeyemi (DEMO)',
    organisation: 'Arms Transfer Transparency Network (DEMO)',
    organisationKind: 'civil_society',
    role: 'delegate',
    penHolder: false,
  },
  {
    key: 'industry',
    name: 'Jonas Keller (DEMO)',
    organisation: 'Defence Export Compliance Association (DEMO)',
    organisationKind: 'industry',
    role: 'delegate',
    penHolder: false,
  },
  {
    key: 'igo',
    name: 'Sofia Marquez (DEMO)',
    organisation: 'Inter-Regional Arms Control Centre (DEMO)',
    organisationKind: 'igo',
    role: 'delegate',
    penHolder: false,
  },
  {
    key: 'reader',
    name: 'Daniel Osei (DEMO)',
    organisation: 'Republic of Estoria (DEMO)',
    organisationKind: 'observer_state',
    role: 'reader',
    penHolder: false,
  },
]
