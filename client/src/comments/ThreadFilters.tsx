import { kindLabels, statusLabels, ThreadKinds, ThreadStatuses } from '@plenary/shared/threads'
import { useId } from 'react'
import { strings } from '../strings.ts'
import { isFiltered, noFilter, OrganisationGroups, type ThreadFilter } from './filters.ts'

const t = strings.comments.filters

type ThreadFiltersProps = {
  filter: ThreadFilter
  onChange: (filter: ThreadFilter) => void
  organisations: string[]
}

/** Status, kind, organisation and type of organisation (States apart from the others). */
export function ThreadFilters({ filter, onChange, organisations }: ThreadFiltersProps) {
  const ids = useId()
  const field = <K extends keyof ThreadFilter>(key: K, value: ThreadFilter[K]) =>
    onChange({ ...filter, [key]: value })
  return (
    <fieldset className="thread-filters" data-testid="thread-filters">
      <legend className="visually-hidden">{t.label}</legend>
      <label className="thread-filters__field" htmlFor={`${ids}-status`}>
        <span className="thread-filters__label">{t.status}</span>
        <select
          id={`${ids}-status`}
          name="filterStatus"
          className="select select--small"
          value={filter.status}
          onChange={(event) => field('status', event.target.value as ThreadFilter['status'])}
        >
          <option value="">{t.anyStatus}</option>
          <option value="active">{t.active}</option>
          {ThreadStatuses.map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </select>
      </label>
      <label className="thread-filters__field" htmlFor={`${ids}-kind`}>
        <span className="thread-filters__label">{t.kind}</span>
        <select
          id={`${ids}-kind`}
          name="filterKind"
          className="select select--small"
          value={filter.kind}
          onChange={(event) => field('kind', event.target.value as ThreadFilter['kind'])}
        >
          <option value="">{t.anyKind}</option>
          {ThreadKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kindLabels[kind]}
            </option>
          ))}
        </select>
      </label>
      <label className="thread-filters__field" htmlFor={`${ids}-group`}>
        <span className="thread-filters__label">{t.group}</span>
        <select
          id={`${ids}-group`}
          name="filterGroup"
          className="select select--small"
          value={filter.group}
          onChange={(event) => field('group', event.target.value as ThreadFilter['group'])}
        >
          <option value="">{t.anyGroup}</option>
          {OrganisationGroups.map((group) => (
            <option key={group} value={group}>
              {t.groups[group]}
            </option>
          ))}
        </select>
      </label>
      <label className="thread-filters__field" htmlFor={`${ids}-organisation`}>
        <span className="thread-filters__label">{t.organisation}</span>
        <select
          id={`${ids}-organisation`}
          name="filterOrganisation"
          className="select select--small"
          value={filter.organisation}
          onChange={(event) => field('organisation', event.target.value)}
        >
          <option value="">{t.anyOrganisation}</option>
          {organisations.map((organisation) => (
            <option key={organisation} value={organisation}>
              {organisation}
            </option>
          ))}
        </select>
      </label>
      {isFiltered(filter) && (
        <button
          type="button"
          className="link-button thread-filters__clear"
          onClick={() => onChange(noFilter)}
        >
          {t.clear}
        </button>
      )}
    </fieldset>
  )
}
