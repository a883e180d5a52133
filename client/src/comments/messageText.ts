/**
 * A message as plain text with its links and @mentions found: never parsed as HTML. Only http and
 * https addresses become links.
 */
export type TextToken =
  | { type: 'text'; text: string }
  | { type: 'link'; text: string; href: string }
  | { type: 'mention'; text: string }

const URL_PATTERN = /https?:\/\/[^\s<>"'“”‘’]+/gi
const TRAILING = /[.,;:!?]$/
const WORD_CHAR = /[\p{L}\p{N}]/u
const ONE_WORD = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}_'’-]*/u

/** Drops punctuation that ends the sentence rather than the address, and unbalanced brackets. */
function trimUrl(url: string): string {
  let out = url
  for (;;) {
    if (TRAILING.test(out)) out = out.slice(0, -1)
    else if (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0))
      out = out.slice(0, -1)
    else return out
  }
}

function mentions(text: string, labels: readonly string[]): TextToken[] {
  const out: TextToken[] = []
  let plain = ''
  let i = 0
  while (i < text.length) {
    const atWordStart = text[i] === '@' && (i === 0 || !WORD_CHAR.test(text[i - 1]))
    let length = 0
    if (atWordStart) {
      const rest = text.slice(i + 1)
      const lower = rest.toLowerCase()
      const label = labels.find(
        (candidate) =>
          candidate.length > 0 &&
          lower.startsWith(candidate.toLowerCase()) &&
          !WORD_CHAR.test(rest[candidate.length] ?? ''),
      )
      length = label ? label.length : (ONE_WORD.exec(rest)?.[0].length ?? 0)
    }
    if (length > 0) {
      if (plain) out.push({ type: 'text', text: plain })
      plain = ''
      out.push({ type: 'mention', text: text.slice(i, i + 1 + length) })
      i += 1 + length
    } else {
      plain += text[i]
      i += 1
    }
  }
  if (plain) out.push({ type: 'text', text: plain })
  return out
}

/**
 * Splits a message into text, links and mentions. `labels` are the names and organisations that
 * may be mentioned (longer ones are tried first, so "@Republic of Korea" is not "@Republic").
 */
export function tokenizeMessage(text: string, labels: readonly string[] = []): TextToken[] {
  const sorted = [...labels].sort((a, b) => b.length - a.length)
  const out: TextToken[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0
    const url = trimUrl(match[0])
    if (url.length <= 'https://'.length) continue
    out.push(...mentions(text.slice(last, start), sorted))
    out.push({ type: 'link', text: url, href: url })
    last = start + url.length
  }
  out.push(...mentions(text.slice(last), sorted))
  return out
}
