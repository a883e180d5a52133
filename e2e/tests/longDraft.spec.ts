/**
 * A long negotiated text: numbers and comment cards are redrawn only where an edit changed them
 * (and the margin measures words exactly only near the window), so this checks that what a
 * facilitator and a delegation see stays right: every paragraph keeps its number through a local
 * and a remote split, and the cards sit level with their words after typing and after scrolling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../fixtures/Actor.ts'
import { eventually } from '../fixtures/Actor.ts'
import { type Scenario, startScenario } from '../fixtures/scenario.ts'

const PARAGRAPHS = 300
let scenario: Scenario
let documentId: string

function longDraft() {
  const content: unknown[] = []
  for (let i = 0; i < PARAGRAPHS; i++) {
    content.push({
      type: 'paragraph',
      attrs: { id: `long-p-${i}` },
      content: [
        {
          type: 'text',
          text: `Paragraph ${i + 1}. The purpose of the working group is to consider the voluntary nature of the workplan.`,
        },
      ],
    })
  }
  return { type: 'doc', content }
}

beforeAll(async () => {
  scenario = await startScenario()
  const { document } = await scenario.server.api<{ document: { id: string } }>('POST', '/api/documents', {
    title: 'Draft multi-year workplans (long)',
    content: longDraft(),
    penHolders: [scenario.ids.facilitator],
  })
  documentId = document.id
  // Mexico comments on every seventh paragraph, on words of its second line.
  for (let i = 6; i < PARAGRAPHS; i += 7) {
    await scenario.server.api(
      'POST',
      `/api/documents/${documentId}/threads`,
      {
        anchor: { blockId: `long-p-${i}`, from: 76, to: 95 },
        kind: 'comment',
        body: `Comment on paragraph ${i + 1}.`,
      },
      scenario.tokens.mexico,
    )
  }
})

afterAll(async () => {
  await scenario?.close()
})

/** The number drawn beside the paragraph that starts with `start`. */
const numberOf = (actor: Actor, start: string) =>
  actor.paragraph(start).locator('.paragraph-number').getAttribute('data-number')

/** How far a thread's card is from its highlighted words, vertically, once scrolled into view. */
async function cardOffset(actor: Actor, paragraph: number): Promise<number> {
  const card = actor.page.locator('[data-testid=thread-card]', {
    hasText: `Comment on paragraph ${paragraph}.`,
  })
  const threadId = (await card.getAttribute('data-thread-id')) as string
  const words = actor.page.locator(`.thread-highlight[data-thread-id="${threadId}"]`).first()
  await words.scrollIntoViewIfNeeded()
  // The margin follows a scroll in the next frame.
  await actor.page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  )
  const [cardBox, wordsBox] = [await card.boundingBox(), await words.boundingBox()]
  // The words are below the first line of their paragraph: a card level with the paragraph is not enough.
  const paragraphBox = await words.locator('xpath=ancestor::p[1]').boundingBox()
  expect((wordsBox?.y ?? 0) - (paragraphBox?.y ?? 0)).toBeGreaterThan(10)
  return Math.abs((cardBox?.y ?? Number.NaN) - (wordsBox?.y ?? Number.NaN))
}

/**
 * In the page, three frames after now (no scrolling): how far a thread's card is from its words,
 * where the words sit in their paragraph, and the paragraph's height.
 */
function cardAndWordsNow(actor: Actor, paragraph: number) {
  return actor.page.evaluate(async (quote) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
    await frame()
    await frame()
    await frame()
    const card = [...document.querySelectorAll<HTMLElement>('[data-testid=thread-card]')].find((c) =>
      c.textContent?.includes(quote),
    )
    const words = document.querySelector(`.thread-highlight[data-thread-id="${card?.dataset.threadId}"]`)
    const paragraphElement = words?.closest('p')
    if (!card || !words || !paragraphElement) throw new Error(`no card or words for ${quote}`)
    const [cardBox, wordsBox, paragraphBox] = [card, words, paragraphElement].map((e) =>
      e.getBoundingClientRect(),
    )
    return {
      offset: Math.abs(cardBox.top - wordsBox.top),
      wordsTop: Math.round(wordsBox.top - paragraphBox.top),
      height: Math.round(paragraphBox.height),
      caretIn: getSelection()?.anchorNode?.parentElement?.closest('p')?.textContent ?? '',
    }
  }, `Comment on paragraph ${paragraph}.`)
}

describe('a long draft', () => {
  it('keeps every number and every card in place through local and remote edits and scrolling', async () => {
    const ana = await scenario.actor('facilitator')
    const maria = await scenario.actor('mexico')
    await ana.open(documentId)
    await maria.open(documentId)
    await ana.page.locator('[data-testid=thread-card]').nth(41).waitFor()

    // The facilitator lengthens paragraph 150 by several lines, then splits it.
    await ana.clickEndOf('Paragraph 150.')
    await ana.type(' It shall report to the Conference of States Parties on progress made.'.repeat(3))
    await ana.page.keyboard.press('Enter')
    await ana.type('A new paragraph after 150.')

    // The delegation reads paragraph 154 and goes back to the top.
    expect(await cardOffset(maria, 154)).toBeLessThan(4)
    expect(await cardOffset(maria, 7)).toBeLessThan(4)
    // Then the facilitator writes at the start of paragraph 154, far out of the delegation's
    // view: its commented words move down a line there.
    await ana.paragraph('Paragraph 154.').click()
    await ana.page.keyboard.press('Home')
    await ana.type('Recalling the mandate given by the Conference of States Parties, '.repeat(2))
    await maria.waitForText('Recalling the mandate')

    // Everything after the split moves down one number, in both pages; nothing before it does.
    for (const actor of [ana, maria]) {
      await eventually(
        () => numberOf(actor, 'A new paragraph after 150.'),
        (number) => number === '151',
        `${actor.name}: the new paragraph numbered 151`,
      )
      expect(await numberOf(actor, 'Paragraph 150.')).toBe('150')
      expect(await numberOf(actor, 'Paragraph 151.')).toBe('152')
      expect(await numberOf(actor, `Paragraph ${PARAGRAPHS}.`)).toBe(String(PARAGRAPHS + 1))
      expect(await numberOf(actor, 'Paragraph 1.')).toBe('1')
    }

    // Once the thread list has been fetched again after the edits, each card is level with its
    // words in the first frames after it is scrolled into view, not some time later: beside the
    // edit, far below it, back at the top, and the one whose words moved while out of view.
    await ana.page.waitForTimeout(2_500)
    for (const actor of [ana, maria]) {
      for (const paragraph of [161, 294, 7, 154]) {
        expect(await cardOffset(actor, paragraph), `${actor.name}, paragraph ${paragraph}`).toBeLessThan(4)
      }
    }
  })
  it('keeps a card level with its words when an edit moves them to another line of their paragraph', async () => {
    const ana = await scenario.actor('facilitator')
    await ana.open(documentId)
    await ana.page.locator('[data-testid=thread-card]').nth(41).waitFor()
    // Cards glide to a new place; without motion, where they are is where they were put.
    await ana.page.emulateMedia({ reducedMotion: 'reduce' })
    // Paragraph 210 is lengthened until its last line is all but full: its commented words, at
    // the start of its second line, can then go up a line without the paragraph getting shorter.
    await ana.clickEndOf('Paragraph 210.')
    const start = await cardAndWordsNow(ana, 210)
    expect(start.caretIn).toMatch(/^Paragraph 210\./)
    let lines = 0
    for (let i = 0, height = start.height; i < 60 && lines < 2; i++) {
      await ana.page.keyboard.type(' and')
      const now = await cardAndWordsNow(ana, 210)
      if (now.height > height) lines += 1
      height = now.height
    }
    expect(lines, 'paragraph 210 took two more lines').toBe(2)
    for (let i = 0; i < 4; i++) await ana.page.keyboard.press('Backspace')
    // The thread list is fetched again once the typing pauses (and lays out every card): let
    // that happen first, so that what follows is laid out by the editing alone.
    await ana.page.waitForTimeout(2_000)
    // Words deleted at the very start (Home would go to the start of the last line).
    await ana.paragraph('Paragraph 210.').click({ position: { x: 1, y: 4 } })
    let before = await cardAndWordsNow(ana, 210)
    expect(before.caretIn).toMatch(/^Paragraph 210\./)
    let movedAlone = false
    for (let i = 0; i < 15 && !movedAlone; i++) {
      for (let k = 0; k < 3; k++) await ana.page.keyboard.press('Delete')
      const now = await cardAndWordsNow(ana, 210)
      // The card follows its words in the frames after each edit.
      expect(now.offset, `after ${3 * (i + 1)} characters deleted`).toBeLessThan(4)
      movedAlone = now.wordsTop < before.wordsTop && now.height === before.height
      before = now
    }
    expect(movedAlone, 'the words went up a line without the paragraph getting shorter').toBe(true)
  })
})
