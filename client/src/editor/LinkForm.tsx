import { isSafeHref } from '@plenary/shared/schema'
import type { Editor } from '@tiptap/core'
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { strings } from '../strings.ts'

/** Applies a link to the selection; only http, https and mailto addresses are accepted. */
export function applyLink(editor: Editor, href: string): void {
  const { empty } = editor.state.selection
  if (empty && !editor.isActive('link')) {
    editor
      .chain()
      .focus()
      .insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] })
      .run()
    return
  }
  editor.chain().focus().extendMarkRange('link').setLink({ href }).run()
}

type LinkFormProps = { editor: Editor; onClose: () => void }

/** A small inline form under the toolbar, instead of a browser prompt. */
export function LinkForm({ editor, onClose }: LinkFormProps) {
  const ids = useId()
  const input = useRef<HTMLInputElement>(null)
  const [href, setHref] = useState(() => (editor.getAttributes('link').href as string | undefined) ?? '')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])

  const close = () => {
    onClose()
    editor.commands.focus()
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const value = href.trim()
    if (!value) {
      setError(strings.link.empty)
      return
    }
    if (!isSafeHref(value)) {
      setError(strings.link.invalid)
      return
    }
    applyLink(editor, value)
    onClose()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
    }
  }

  return (
    <form className="link-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <label htmlFor={`${ids}-href`}>{strings.link.label}</label>
      <input
        ref={input}
        id={`${ids}-href`}
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder={strings.link.placeholder}
        value={href}
        onChange={(event) => {
          setHref(event.target.value)
          setError(null)
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${ids}-error` : undefined}
      />
      <button type="submit" className="button button--primary button--small">
        {strings.link.apply}
      </button>
      <button type="button" className="button button--small" onClick={close}>
        {strings.cancel}
      </button>
      {error && (
        <p id={`${ids}-error`} className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
