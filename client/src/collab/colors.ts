import { participantColor } from '@plenary/shared/colors'

/** The palette lives in shared, so server and client agree on each person's colour. */
export { participantColor }

export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value)
}

function channel(hex: string, offset: number): number {
  const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255
  return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
}

/** White when it reads at AA on this background, else near-black. */
export function textColorOn(background: string): string {
  if (!isHexColor(background)) return '#ffffff'
  const luminance =
    0.2126 * channel(background, 1) + 0.7152 * channel(background, 3) + 0.0722 * channel(background, 5)
  return 1.05 / (luminance + 0.05) >= 4.5 ? '#ffffff' : '#111827'
}

/** Two letters for an avatar: first and last word of the name proper (before any comma or bracket). */
export function initials(name: string): string {
  const words = (name.split(/[,(]/)[0] ?? '')
    .trim()
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word))
  if (words.length === 0) return '?'
  const first = words[0][0] ?? ''
  const last = words.length > 1 ? (words[words.length - 1][0] ?? '') : ''
  return (first + last).toUpperCase()
}
