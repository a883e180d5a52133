import { Channels, type CommunicationDTO } from '@plenary/shared/threads'
import { type FormEvent, useId, useState } from 'react'
import { createCommunication } from '../api/communications.ts'
import { useAction } from '../components/useAction.ts'
import { strings } from '../strings.ts'

const t = strings.communications.form
const today = () => new Date().toISOString().slice(0, 10)

type CommunicationFormProps = {
  documentId: string
  organisations: string[]
  onLogged: (communication: CommunicationDTO) => void
  onCancel: () => void
}

/** Logs a communication as received: who, reference, dates, channel and the text itself. */
export function CommunicationForm({ documentId, organisations, onLogged, onCancel }: CommunicationFormProps) {
  const ids = useId()
  const [organisation, setOrganisation] = useState('')
  const [reference, setReference] = useState('')
  const [sentAt, setSentAt] = useState(today)
  const [receivedAt, setReceivedAt] = useState(today)
  const [channel, setChannel] = useState<(typeof Channels)[number]>('note_verbale')
  const [text, setText] = useState('')
  const action = useAction()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!organisation.trim() || !sentAt || !receivedAt || !text.trim()) {
      action.setError(t.required)
      return
    }
    if (receivedAt < sentAt) {
      action.setError(t.order)
      return
    }
    const result = await action.run(() =>
      createCommunication({
        organisation: organisation.trim(),
        reference: reference.trim(),
        sentAt,
        receivedAt,
        channel,
        text: text.trim(),
        documentId,
      }),
    )
    if (result) onLogged(result.communication)
  }

  return (
    <form className="communication-form" onSubmit={submit} noValidate aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`} className="communication-form__heading">
        {t.heading}
      </h3>
      <div className="field field--compact">
        <label htmlFor={`${ids}-org`}>{t.organisation}</label>
        <input
          id={`${ids}-org`}
          name="organisation"
          type="text"
          list={`${ids}-orgs`}
          autoComplete="off"
          value={organisation}
          onChange={(event) => setOrganisation(event.target.value)}
        />
        <datalist id={`${ids}-orgs`}>
          {organisations.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <div className="field-grid">
        <div className="field field--compact">
          <label htmlFor={`${ids}-ref`}>{t.reference}</label>
          <input
            id={`${ids}-ref`}
            name="reference"
            type="text"
            value={reference}
            onChange={(event) => setReference(event.target.value)}
          />
        </div>
        <div className="field field--compact">
          <label htmlFor={`${ids}-channel`}>{t.channel}</label>
          <select
            id={`${ids}-channel`}
            name="channel"
            className="select"
            value={channel}
            onChange={(event) => setChannel(event.target.value as (typeof Channels)[number])}
          >
            {Channels.map((value) => (
              <option key={value} value={value}>
                {strings.communications.channels[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--compact">
          <label htmlFor={`${ids}-sent`}>{t.sentAt}</label>
          <input
            id={`${ids}-sent`}
            name="sentAt"
            type="date"
            className="input"
            value={sentAt}
            onChange={(event) => setSentAt(event.target.value)}
          />
        </div>
        <div className="field field--compact">
          <label htmlFor={`${ids}-received`}>{t.receivedAt}</label>
          <input
            id={`${ids}-received`}
            name="receivedAt"
            type="date"
            className="input"
            value={receivedAt}
            onChange={(event) => setReceivedAt(event.target.value)}
          />
        </div>
      </div>
      <div className="field field--compact">
        <label htmlFor={`${ids}-text`}>{t.text}</label>
        <textarea
          id={`${ids}-text`}
          name="text"
          className="textarea"
          rows={6}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      {action.error && (
        <p className="error-text" role="alert">
          {action.error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button--primary button--small" disabled={action.busy}>
          {action.busy ? t.submitting : t.submit}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          {strings.cancel}
        </button>
      </div>
    </form>
  )
}
