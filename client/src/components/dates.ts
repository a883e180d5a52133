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
