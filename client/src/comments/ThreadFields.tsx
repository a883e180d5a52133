import { type ProposalAction, ProposalActions, type ThreadKind, ThreadKinds } from '@plenary/shared/threads'
import { strings } from '../strings.ts'

const t = strings.comments.composer

export type ThreadFieldValues = {
  kind: ThreadKind
  proposalAction: ProposalAction
  proposalText: string
}

export const initialFields: ThreadFieldValues = {
  kind: 'comment',
  proposalAction: 'insert',
  proposalText: '',
}

type ThreadFieldsProps = {
  idPrefix: string
  values: ThreadFieldValues
  onChange: (values: ThreadFieldValues) => void
  invalidProposal?: boolean
}

/** The kind of a new thread and, for proposed wording, the change and its words. */
export function ThreadFields({ idPrefix, values, onChange, invalidProposal = false }: ThreadFieldsProps) {
  return (
    <>
      <div className="field field--compact">
        <label htmlFor={`${idPrefix}-kind`}>{t.kind}</label>
        <select
          id={`${idPrefix}-kind`}
          name="kind"
          className="select"
          value={values.kind}
          onChange={(event) => onChange({ ...values, kind: event.target.value as ThreadKind })}
        >
          {ThreadKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t.kindOptions[kind]}
            </option>
          ))}
        </select>
      </div>
      {values.kind === 'proposal' && (
        <fieldset className="proposal-fields">
          <div className="field field--compact">
            <label htmlFor={`${idPrefix}-action`}>{t.proposalAction}</label>
            <select
              id={`${idPrefix}-action`}
              name="proposalAction"
              className="select"
              value={values.proposalAction}
              onChange={(event) =>
                onChange({ ...values, proposalAction: event.target.value as ProposalAction })
              }
            >
              {ProposalActions.map((action) => (
                <option key={action} value={action}>
                  {t.actions[action]}
                </option>
              ))}
            </select>
          </div>
          {values.proposalAction !== 'delete' && (
            <div className="field field--compact">
              <label htmlFor={`${idPrefix}-wording`}>{t.proposalText}</label>
              <textarea
                id={`${idPrefix}-wording`}
                name="proposalText"
                className="textarea textarea--wording"
                rows={3}
                value={values.proposalText}
                aria-invalid={invalidProposal ? true : undefined}
                onChange={(event) => onChange({ ...values, proposalText: event.target.value })}
              />
            </div>
          )}
        </fieldset>
      )}
    </>
  )
}

/** The proposal part of a request body, or a message saying what is missing. */
export function proposalOf(values: ThreadFieldValues): { action: ProposalAction; text: string } | undefined {
  if (values.kind !== 'proposal') return undefined
  // As typed: the leading space of an insertion is part of the wording.
  return {
    action: values.proposalAction,
    text: values.proposalAction === 'delete' ? '' : values.proposalText,
  }
}

export const proposalMissing = (values: ThreadFieldValues) =>
  values.kind === 'proposal' && values.proposalAction !== 'delete' && values.proposalText.trim() === ''
