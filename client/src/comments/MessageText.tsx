import { useMemo } from 'react'
import { tokenizeMessage } from './messageText.ts'

/** A message body as plain text: line breaks kept, http(s) links followed, @mentions marked. */
export function MessageText({ text, labels }: { text: string; labels: readonly string[] }) {
  const tokens = useMemo(() => tokenizeMessage(text, labels), [text, labels])
  return (
    <p className="message-text">
      {tokens.map((token, index) => {
        const key = `${index}-${token.type}`
        if (token.type === 'link') {
          return (
            <a key={key} href={token.href} target="_blank" rel="noopener noreferrer">
              {token.text}
            </a>
          )
        }
        if (token.type === 'mention') {
          return (
            <span key={key} className="mention">
              {token.text}
            </span>
          )
        }
        return token.text
      })}
    </p>
  )
}
