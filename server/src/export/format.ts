/** Small text helpers shared by every export format: dates, people, short paragraph texts. */
import { DEFAULT_TIME_ZONE } from '@plenary/shared'

const longDateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: DEFAULT_TIME_ZONE,
})

/** "15 February 2021", in Geneva time (the product's default zone). */
export function longDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)
  return Number.isNaN(date.getTime()) ? '' : longDateFormat.format(date)
}

/** "2021-02-15" in Geneva time, for table cells and CSV. */
export function isoDay(iso: string | null | undefined): string {
  if (!iso) return ''
  const date = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_TIME_ZONE }).format(date)
}

export type Person = { name: string; organisation: string }

/**
 * How an author is named in exports: "Mexico (Lucía Herrera Campos)", or the organisation alone
 * when names are left out (`attribution=0`).
 */
export function authorLabel(person: Person, withName: boolean): string {
  if (!person.organisation) return withName ? person.name : 'Unknown participant'
  return withName && person.name ? `${person.organisation} (${person.name})` : person.organisation
}

/** Up to three initials of a name, for Word comments ("LHC"); bracketed notes like "(DEMO)" are skipped. */
export function initials(name: string): string {
  const words = name
    .replace(/\([^)]*\)/g, ' ')
    .split(/[\s,]+/)
    .filter((w) => /^\p{Lu}/u.test(w))
  const letters = words.slice(0, 3).map((w) => w[0])
  return letters.join('') || name.trim().slice(0, 2).toUpperCase() || '?'
}

/** The first words of a paragraph, for compilation tables. */
export function shortText(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[,;:.\s]+$/, '')}…`
}

/** A file name part from a title: letters, digits and dashes only. */
export function fileSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return slug || 'document'
}

/**
 * Text as XML 1.0 allows it: control characters other than tab, line feed and carriage return
 * (a vertical tab pasted from Word, say) and lone surrogates would make a DOCX unreadable.
 */
export function xmlSafe(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  )
}
