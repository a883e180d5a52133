import { isState, type OrganisationKind } from '@plenary/shared/roles'
import type { ThreadDTO, ThreadKind, ThreadStatus } from '@plenary/shared/threads'

/** States are kept apart from civil society and industry (DOMAIN.md). */
export const OrganisationGroups = ['states', 'igo', 'civil_society', 'industry', 'secretariat'] as const
export type OrganisationGroup = (typeof OrganisationGroups)[number]

export function organisationGroup(kind: OrganisationKind): OrganisationGroup {
  if (isState(kind)) return 'states'
  return kind as Exclude<OrganisationKind, 'state_party' | 'signatory_state' | 'observer_state'>
}

export type ThreadFilter = {
  status: ThreadStatus | 'active' | ''
  kind: ThreadKind | ''
  organisation: string
  group: OrganisationGroup | ''
}

export const noFilter: ThreadFilter = { status: '', kind: '', organisation: '', group: '' }

export const isFiltered = (filter: ThreadFilter) =>
  filter.status !== '' || filter.kind !== '' || filter.organisation !== '' || filter.group !== ''

export function matchesFilter(thread: ThreadDTO, filter: ThreadFilter): boolean {
  if (filter.status === 'active') {
    if (thread.status !== 'open' && thread.status !== 'under_consideration') return false
  } else if (filter.status && thread.status !== filter.status) return false
  if (filter.kind && thread.kind !== filter.kind) return false
  if (filter.organisation && thread.author.organisation !== filter.organisation) return false
  if (filter.group && organisationGroup(thread.author.organisationKind) !== filter.group) return false
  return true
}

/** The organisations that wrote the threads, for the filter's options. */
export function organisationsOf(threads: ThreadDTO[]): string[] {
  return [...new Set(threads.map((t) => t.author.organisation).filter(Boolean))].sort((a, b) =>
    a.localeCompare(b),
  )
}
