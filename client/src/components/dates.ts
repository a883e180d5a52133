import { DEFAULT_TIME_ZONE } from '@plenary/shared/colors'

/** Meetings run on Geneva time (shared's DEFAULT_TIME_ZONE) unless a deployment says otherwise. */
export { DEFAULT_TIME_ZONE }

function makeFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  })
}

function dateTimeFormat(): Intl.DateTimeFormat {
  try {
    return makeFormat(DEFAULT_TIME_ZONE)
  } catch {
    // A browser without full time-zone data: the device's own zone, still named.
    return makeFormat(undefined)
  }
}

let cached: Intl.DateTimeFormat | undefined

/** "28 Nov 2026, 10:42 CET": always with the time zone, since delegations sit in many. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  cached ??= dateTimeFormat()
  return cached.format(date)
}

let dateOnly: Intl.DateTimeFormat | undefined

/** "15 Feb 2021" for a calendar date (`YYYY-MM-DD`, as communications carry), without shifting it. */
export function formatDate(isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return isoDate
  dateOnly ??= new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
  return dateOnly.format(date)
}

/** The meeting's time zone when the browser knows it, else the device's own. */
function meetingZone(): string | undefined {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: DEFAULT_TIME_ZONE })
    return DEFAULT_TIME_ZONE
  } catch {
    return undefined
  }
}

/** Wall-clock parts of an instant in a zone. */
function wallClock(time: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(time))
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0)
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
}

/** An instant as the value of an `<input type="datetime-local">`, in meeting (Geneva) time. */
export function toMeetingInput(iso: string): string {
  const time = new Date(iso).getTime()
  if (Number.isNaN(time)) return ''
  return new Date(wallClock(time, meetingZone())).toISOString().slice(0, 16)
}

/** The instant a `datetime-local` value names in meeting (Geneva) time, as ISO 8601; null if empty. */
export function fromMeetingInput(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value)
  if (!match) return null
  const [, y, mo, d, h, mi] = match.map(Number)
  const wanted = Date.UTC(y, mo - 1, d, h, mi)
  const zone = meetingZone()
  // The zone's offset at that moment, checked twice around a change of summer time.
  let guess = wanted - (wallClock(wanted, zone) - wanted)
  guess = wanted - (wallClock(guess, zone) - guess)
  return new Date(guess).toISOString()
}
