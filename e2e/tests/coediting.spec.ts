import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Actor, eventually, SAVE_STATUS } from '../fixtures/Actor.ts'
import { type Scenario, screenshotDir, startScenario } from '../fixtures/scenario.ts'

let scenario: Scenario

beforeAll(async () => {
  scenario = await startScenario()
})

afterAll(async () => {
  await scenario?.close()
})

/**
 * Makes an edit while the server is stopped: the page must not say "All changes saved" then, and
 * must say it once the server is back and has stored the edit.
 */
async function editWhileServerFrozen(actor: Actor, edit: () => Promise<void>): Promise<void> {
  scenario.server.freeze()
  try {
    await edit()
    await actor.page.waitForTimeout(1500)
    expect(await actor.statusText()).not.toBe(SAVE_STATUS.saved)
  } finally {
    scenario.server.thaw()
  }
  await actor.waitForStatus(SAVE_STATUS.saved)
}

/** The document's text as the server has it stored, one block per line. */
async function storedText(): Promise<string> {
  const { blocks } = await scenario.server.api<{ blocks: { text: string }[] }>(
    'GET',
    `/api/documents/${scenario.documentId}/blocks`,
  )
  return blocks.map((b) => b.text).join('\n')
}

/** Ana and Sam on the draft, Sam's caret at the end of the paragraph on the workplans' purpose. */
async function samInThePurposeParagraph(): Promise<{ ana: Actor; sam: Actor }> {
  const ana = await scenario.actor('facilitator')
  const sam = await scenario.actor('secretariat')
  await ana.open(scenario.documentId)
  await sam.open(scenario.documentId)
  await sam.clickEndOf('purpose of the workplans')
  await sam.page.waitForTimeout(300)
  return { ana, sam }
}

/** Sam's `words` end the paragraph he clicked last, on both pages, and not the one he was in. */
async function expectWhereSamClicked(ana: Actor, sam: Actor, words: string): Promise<void> {
  const paragraphText = (actor: Actor) => actor.paragraph('transit and trans-shipment').innerText()
  await eventually(
    async () => [await paragraphText(ana), await paragraphText(sam)],
    ([a, b]) => a === b && a.endsWith(words),
    'Sam’s words at the end of the paragraph he clicked, on both pages',
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}\nSam's page: ${await sam.editorText()}`)
  })
  expect(await sam.paragraph('purpose of the workplans').innerText()).not.toContain(words)
}

describe('live co-editing in the browser', () => {
  it('facilitator and secretariat type in the same paragraph at once, converge, and see each other’s carets', async () => {
    const ana = await scenario.actor('facilitator')
    const sam = await scenario.actor('secretariat')
    await ana.open(scenario.documentId)
    await sam.open(scenario.documentId)

    await ana.clickEndOf('voluntary nature')
    await sam.clickEndOf('voluntary nature')
    await Promise.all([ana.type(' Ana adds this.'), sam.type(' Sam adds that.')])

    const paragraphText = (actor: typeof ana) => actor.paragraph('voluntary nature').innerText()
    const final = await eventually(
      async () => [await paragraphText(ana), await paragraphText(sam)],
      ([a, b]) => a === b && a.includes('Ana adds this.') && a.includes('Sam adds that.'),
      'both texts to converge',
    )
    expect(final[0]).toContain('living documents of a voluntary nature')

    // Each sees the other's caret, labelled with name and organisation.
    await eventually(
      () => ana.page.locator('.collaboration-carets__label').allInnerTexts(),
      (labels) => labels.some((l) => l.includes('Sam Secretariat') && l.includes('ATT Secretariat')),
      'Sam’s caret at Ana',
    )
    await eventually(
      () => sam.page.locator('.collaboration-carets__label').allInnerTexts(),
      (labels) => labels.some((l) => l.includes('Ana Facilitator') && l.includes('Ruritania')),
      'Ana’s caret at Sam',
    )
    // The name over a caret covers the line above it: it fades once its person is still, and
    // comes back when they move.
    const anaLabelOpacity = () =>
      sam.page
        .locator('.collaboration-carets__label', { hasText: 'Ana Facilitator' })
        .evaluate((label) => getComputedStyle(label).opacity)
    await eventually(anaLabelOpacity, (opacity) => opacity === '0', 'Ana’s name faded at Sam')
    await ana.page.keyboard.press('ArrowLeft')
    await eventually(anaLabelOpacity, (opacity) => opacity === '1', 'Ana’s name back at Sam')
    await ana.waitForStatus(SAVE_STATUS.saved)
    await sam.waitForStatus(SAVE_STATUS.saved)

    // Both are in the list of who is here.
    const present = await ana.page.getByTestId('presence-item').allInnerTexts()
    expect(present.join(' ')).toContain('Sam Secretariat')
    await ana.page.screenshot({ path: path.join(screenshotDir(), 'document-facilitator.png') })
  })

  it('a change that arrives before the browser reports a click leaves the caret where the click put it', async () => {
    const { ana, sam } = await samInThePurposeParagraph()

    // The browser tells the editor of a click in a `selectionchange` event, a task of its own, and
    // a change from the server can be handled first. Hold Sam's events back while Ana's change
    // arrives, to make that order certain, then let the browser's event through.
    await sam.page.evaluate(() => {
      const held = window as unknown as { holdSelectionChange: boolean }
      held.holdSelectionChange = true
      document.addEventListener(
        'selectionchange',
        (event) => {
          if (held.holdSelectionChange) event.stopImmediatePropagation()
        },
        true,
      )
    })
    await sam.clickEndOf('transit and trans-shipment')
    await ana.clickEndOf('Stage 3 covers')
    await ana.type(' Ana, meanwhile.')
    await sam.waitForText('Ana, meanwhile.')
    await sam.page.evaluate(() => {
      ;(window as unknown as { holdSelectionChange: boolean }).holdSelectionChange = false
      document.dispatchEvent(new Event('selectionchange'))
    })
    await sam.type(' Sam, where he clicked.')

    await expectWhereSamClicked(ana, sam, 'Sam, where he clicked.')
  })

  it('a caret redraw batched before a click leaves the caret where the click put it', async () => {
    const { ana, sam } = await samInThePurposeParagraph()

    // The caret plugin redraws others' carets in the next frame after a caret message arrives. A
    // click can land in between: in CI Sam's words went to the top of the draft that way (when
    // the redraw was a zero-delay timer). Hold Sam's frame callbacks, his zero-delay timers and
    // his `selectionchange` events while Ana's caret moves and Sam clicks, then let the timers and
    // frames run in their order, then the browser's event.
    await sam.page.evaluate(() => {
      type Held = { timers: (() => void)[] | null; frames: FrameRequestCallback[] | null; selection: boolean }
      const w = window as unknown as { held: Held }
      w.held = { timers: [], frames: [], selection: true }
      const setTimeoutNow = window.setTimeout
      window.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => {
        const timers = w.held.timers
        if (timers && !delay && typeof handler === 'function') {
          timers.push(() => handler(...args))
          return 0
        }
        return setTimeoutNow(handler, delay, ...args)
      }) as typeof window.setTimeout
      const requestFrameNow = window.requestAnimationFrame
      window.requestAnimationFrame = (callback: FrameRequestCallback) => {
        const frames = w.held.frames
        if (!frames) return requestFrameNow(callback)
        frames.push(callback)
        return -frames.length
      }
      document.addEventListener(
        'selectionchange',
        (event) => {
          if (w.held.selection) event.stopImmediatePropagation()
        },
        true,
      )
    })
    await ana.clickEndOf('Stage 3 covers')
    await eventually(
      () =>
        sam.page.evaluate(() => (window as unknown as { held: { frames: unknown[] } }).held.frames.length),
      (queued) => queued > 0,
      'Ana’s caret at Sam’s page, its redraw waiting',
    )
    await sam.clickEndOf('transit and trans-shipment')
    await sam.page.evaluate(() => {
      const w = window as unknown as {
        held: { timers: (() => void)[] | null; frames: FrameRequestCallback[] | null; selection: boolean }
      }
      const timers = w.held.timers ?? []
      const frames = w.held.frames ?? []
      w.held.timers = null
      w.held.frames = null
      for (const run of timers) run()
      for (const run of frames) run(performance.now())
      w.held.selection = false
      document.dispatchEvent(new Event('selectionchange'))
    })
    await sam.type(' Sam, after the redraw.')

    await expectWhereSamClicked(ana, sam, 'Sam, after the redraw.')
  })

  it("a page sends the server its own caret, never back the others' carets it hears", async () => {
    const ana = await scenario.actor('facilitator')
    const sam = await scenario.actor('secretariat')
    // Sam's page only watches. The stock client would send back every caret move it hears from
    // Ana (the server ignores them; they only doubled the traffic and counted against Sam's
    // message limit, which a busy room passed).
    const samSent: string[] = []
    sam.page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload
        if (bytes[0] === 1) samSent.push(bytes.toString('latin1'))
      }),
    )
    await sam.open(scenario.documentId)
    await ana.open(scenario.documentId)
    await ana.clickEndOf('transit and trans-shipment')
    await ana.type(' Carets move.')
    await sam.waitForText('Carets move.')
    await eventually(
      () => sam.page.locator('.collaboration-carets__label').allInnerTexts(),
      (labels) => labels.some((l) => l.includes('Ana Facilitator')),
      'Ana’s caret at Sam',
    )
    await sam.page.waitForTimeout(300)
    expect(samSent.filter((frame) => frame.includes('Ana Facilitator'))).toEqual([])
    // Sam's own state still goes out: Ana sees Sam in the list of who is here.
    await eventually(
      () => ana.page.getByTestId('presence-item').allInnerTexts(),
      (present) => present.join(' ').includes('Sam Secretariat'),
      'Sam present at Ana',
    )
  })

  it('the Mexico delegate sees the text live but cannot type into it', async () => {
    const ana = await scenario.actor('facilitator')
    const maria = await scenario.actor('mexico')
    await ana.open(scenario.documentId)
    await maria.open(scenario.documentId)
    await expect(maria.page.getByTestId('read-only').isVisible()).resolves.toBe(true)
    expect(await maria.editor.getAttribute('contenteditable')).toBe('false')

    await ana.clickEndOf('transit and trans-shipment')
    await ana.type(' In the first series.')
    await maria.waitForText('In the first series.')

    const before = await maria.editorText()
    await maria.paragraph('transit and trans-shipment').click()
    await maria.page.keyboard.type('Mexico typed here')
    await maria.page.waitForTimeout(500)
    expect(await maria.editorText()).toBe(before)
    expect(await ana.editorText()).not.toContain('Mexico typed here')
    await maria.page.screenshot({ path: path.join(screenshotDir(), 'document-delegate.png') })
  })

  it('a reload shows everything that was typed, with paragraph numbers', async () => {
    const ana = await scenario.actor('facilitator')
    await ana.open(scenario.documentId)
    await ana.clickEndOf('purpose of the workplans')
    await ana.type(' Reload me.')
    await ana.waitForStatus(SAVE_STATUS.saved)
    await ana.page.reload()
    await ana.waitForText('Reload me.')
    const numbers = await ana.page
      .locator('.paragraph-number')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-number')))
    expect(numbers).toEqual(['1', '2', 'C1', 'C2'])
  })

  it('says "All changes saved" only after the server has stored the edit', async () => {
    const ana = await scenario.actor('facilitator')
    await ana.open(scenario.documentId)
    await ana.waitForStatus(SAVE_STATUS.saved)
    await editWhileServerFrozen(ana, async () => {
      await ana.clickEndOf('Stage 3 covers')
      await ana.type(' Unsaved yet.')
    })
    expect(await storedText()).toContain('Unsaved yet.')
  })

  it('says "All changes saved" after a deletion only once the server has stored it', async () => {
    // A deletion adds nothing to the state vector the server's saved messages carry: the page
    // used to say "saved" at once. It now waits for the server's count of stored messages.
    const ana = await scenario.actor('facilitator')
    await ana.open(scenario.documentId)
    await ana.waitForStatus(SAVE_STATUS.saved)
    await ana.clickEndOf('transit and trans-shipment')
    await ana.type(' Delete me.')
    await ana.waitForStatus(SAVE_STATUS.saved)
    await editWhileServerFrozen(ana, async () => {
      for (let i = 0; i < ' Delete me.'.length; i++) await ana.page.keyboard.press('Backspace')
    })
    expect(await storedText()).not.toContain('Delete me.')
  })

  it('keeps offline edits across a reload and merges them when back online', async () => {
    const ana = await scenario.actor('facilitator')
    const sam = await scenario.actor('secretariat')
    await ana.open(scenario.documentId)
    await sam.open(scenario.documentId)
    await ana.waitForStatus(SAVE_STATUS.saved)

    await ana.page.context().setOffline(true)
    await ana.waitForStatus(SAVE_STATUS.offline)
    await ana.clickEndOf('purpose of the workplans')
    await ana.type(' Written offline.')
    // Meanwhile Sam keeps working online.
    await sam.clickEndOf('Stage 2 concerns')
    await sam.type(' Sam online.')

    await ana.page.reload({ waitUntil: 'domcontentloaded' }).catch(() => undefined)
    await ana.waitForText('Written offline.')

    await ana.page.context().setOffline(false)
    await ana.waitForText('Sam online.', 30_000)
    await sam.waitForText('Written offline.', 30_000)
    await ana.waitForStatus(SAVE_STATUS.saved, 30_000)
  })
})
