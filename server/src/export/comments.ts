/**
 * A thread as an exported comment: the opening comment (kind, status, body, proposed wording,
 * acknowledgement), each reply, and the disposition with the facilitator's response, each entry
 * authored by organisation and person. Word gets one comment per entry (replies threaded under the
 * first); HTML and Markdown print them as one footnote.
 */
import { kindLabels, outcomeLabels, statusLabels, type ThreadDTO } from '@plenary/shared'
import { authorLabel, initials, longDate, type Person } from './format.ts'

export type CommentLine = { label?: string; text: string }

export type CommentEntry = {
  role: 'comment' | 'reply' | 'disposition'
  author: string
  initials: string
  date: string
  lines: CommentLine[]
}

/** Names of participants by id (for who decided a disposition). */
export type PeopleLookup = (id: string) => Person | null

const proposalLines = (thread: ThreadDTO): CommentLine[] => {
  const p = thread.proposal
  if (!p) return []
  const applied = p.appliedAt ? ` (applied to the text on ${longDate(p.appliedAt)})` : ''
  if (p.action === 'delete') return [{ label: 'Proposal:', text: ` delete these words${applied}.` }]
  const verb = p.action === 'insert' ? 'insert' : 'replace these words with'
  return [{ label: 'Proposal:', text: ` ${verb} “${p.text}”${applied}` }]
}

const bodyLines = (body: string): CommentLine[] =>
  body
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((text) => ({ text }))

/** The text of a kind-and-status line, as import reads it back: "Question · Open". */
export const metaText = (thread: ThreadDTO) =>
  `${statusLabels[thread.status]}${thread.late ? ' · received after the deadline' : ''}`

export function commentEntries(thread: ThreadDTO, people: PeopleLookup, withNames: boolean): CommentEntry[] {
  const person = (p: Person) => authorLabel(p, withNames)
  const [first, ...replies] = thread.messages
  const lines: CommentLine[] = [{ label: kindLabels[thread.kind], text: ` · ${metaText(thread)}` }]
  if (thread.anchor.state === 'orphaned') {
    lines.push({
      text: `(The words commented on are no longer in the text: “${thread.anchor.originalQuote}”)`,
    })
  }
  lines.push(...(first && !first.withdrawn ? bodyLines(first.body) : [{ text: '(withdrawn)' }]))
  lines.push(...proposalLines(thread))
  if (thread.acknowledgedAt)
    lines.push({ text: `Receipt acknowledged on ${longDate(thread.acknowledgedAt)}.` })
  const entries: CommentEntry[] = [
    {
      role: 'comment',
      author: person(thread.author),
      initials: initials(withNames ? thread.author.name : thread.author.organisation),
      date: thread.createdAt,
      lines,
    },
  ]
  for (const reply of replies) {
    if (reply.withdrawn) continue
    entries.push({
      role: 'reply',
      author: person(reply.author),
      initials: initials(withNames ? reply.author.name : reply.author.organisation),
      date: reply.createdAt,
      lines: bodyLines(reply.body),
    })
  }
  const d = thread.disposition
  if (d) {
    const decider = people(d.decidedBy) ?? { name: '', organisation: 'Facilitator' }
    entries.push({
      role: 'disposition',
      author: person(decider),
      initials: initials(withNames ? decider.name : decider.organisation),
      date: d.decidedAt,
      lines: [{ label: 'Disposition:', text: ` ${outcomeLabels[d.outcome]}.` }, ...bodyLines(d.response)],
    })
  }
  return entries
}
