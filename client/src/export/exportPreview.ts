import { strings } from '../strings.ts'
import {
  type ExportChoices,
  isCompilationOnly,
  previousRevision,
  type RevisionChoice,
  relevantChoices,
} from './exportOptions.ts'

const t = strings.exportMenu.sentence

/**
 * One sentence saying what the choices produce: "Rev.1 as DOCX, marked against Draft with Word
 * tracked changes, with all comments as Word comments, and the compilation of comments appended."
 */
export function previewSentence(choices: ExportChoices, revisions: RevisionChoice[]): string {
  const label = (id: string) => revisions.find((r) => r.id === id)?.label ?? id
  const relevant = relevantChoices(choices)
  const format = t.formats[choices.format]
  const noNames = relevant.attribution && !choices.attribution

  if (isCompilationOnly(choices.format)) {
    const subject = choices.revision === 'current' ? t.liveLower : label(choices.revision)
    return t.end(t.compilationOnly(subject, format, choices.by), noNames)
  }

  const subject = choices.revision === 'current' ? t.live : label(choices.revision)
  const parts: string[] = []
  if (choices.against !== 'none') {
    const previous = choices.against === 'previous' ? previousRevision(revisions, choices.revision) : null
    const against = previous ? t.previous(previous.label) : label(choices.against)
    parts.push(choices.marks === 'bold' ? t.markedBold(against) : t.markedTracked(against))
  }
  if (choices.comments !== 'none') parts.push(t.comments(choices.comments, choices.format))
  if (choices.compilation) parts.push(t.appended(choices.by, parts.length === 0))
  return t.end(t.join([t.as(subject, format), ...parts]), noNames)
}
