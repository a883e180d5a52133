import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../fixtures/Actor.ts'
import { type Scenario, screenshotDir, startScenario } from '../fixtures/scenario.ts'

let scenario: Scenario

beforeAll(async () => {
  scenario = await startScenario()
})

afterAll(async () => {
  await scenario?.close()
})

const PROPOSED = ' A certificate of delivery verification by the end user may be discussed.'

describe('comment threads in the browser', () => {
  it('Mexico proposes wording; the facilitator sees it live, replies, applies it; the secretariat acknowledges', async () => {
    const maria = await scenario.actor('mexico')
    const ana = await scenario.actor('facilitator')
    const sam = await scenario.actor('secretariat')
    await maria.open(scenario.documentId)
    await ana.open(scenario.documentId)
    await sam.open(scenario.documentId)

    // Mexico selects words of the Stage 3 paragraph and proposes an insertion.
    await maria.selectWords('Stage 3 covers', 'with the consent of the importing State.')
    await maria.page.getByTestId('comment-button').click()
    const composer = maria.page.getByTestId('thread-composer')
    await composer.locator('select[name=kind]').selectOption('proposal')
    await composer.locator('select[name=proposalAction]').selectOption('insert')
    await composer.locator('textarea[name=proposalText]').fill(PROPOSED)
    await composer
      .locator('textarea[name=body]')
      .fill('Mexico proposes to add discussions on a delivery verification certificate.')
    await maria.page.getByTestId('thread-submit').click()
    await maria.card('with the consent of the importing State.').waitFor()

    // The facilitator's card appears beside the paragraph, without a reload.
    const quoted = ana.card('with the consent of the importing State.')
    await quoted.waitFor({ timeout: 10_000 })
    // Applying the wording moves the thread onto the new words: follow the card by its id.
    const threadId = (await quoted.getAttribute('data-thread-id')) as string
    const anaCard = ana.page.locator(`[data-testid=thread-card][data-thread-id="${threadId}"]`)
    expect(await anaCard.getByTestId('thread-number').textContent()).toContain('C2')
    const cardBox = await anaCard.boundingBox()
    const paragraphBox = await ana.paragraph('Stage 3 covers').boundingBox()
    expect(Math.abs((cardBox?.y ?? 0) - (paragraphBox?.y ?? 0))).toBeLessThan(120)
    expect(await ana.page.locator('.thread-highlight').count()).toBeGreaterThan(0)
    await ana.page.screenshot({ path: path.join(screenshotDir(), 'thread-facilitator.png') })

    // The facilitator replies and applies the wording, then records the disposition.
    await anaCard.click()
    await anaCard.locator('textarea[name=reply]').fill('Thank you, this will be reflected in Rev.1.')
    await anaCard.getByTestId('reply-submit').click()
    await maria.page
      .locator(`[data-testid=thread-card][data-thread-id="${threadId}"]`)
      .getByText('reflected in Rev.1')
      .waitFor({ timeout: 10_000 })
    await anaCard.getByTestId('apply-proposal').click()
    await maria.waitForText('certificate of delivery verification by the end user')
    await anaCard.locator('select[name=outcome]').selectOption('incorporated')
    await anaCard.getByTestId('disposition-submit').click()
    const mariaCard = maria.page
      .locator('[data-testid=thread-card]')
      .filter({ hasText: 'Mexico proposes to add' })
    await eventually(
      async () => (await mariaCard.getByTestId('thread-disposition').textContent()) ?? '',
      (text) => text.includes('Incorporated'),
      'the delegate sees the thread marked incorporated',
    )

    // The secretariat acknowledges receipt; the delegate sees the acknowledgement.
    const samCard = sam.page
      .locator('[data-testid=thread-card]')
      .filter({ hasText: 'Mexico proposes to add' })
    await samCard.click()
    await samCard.getByTestId('acknowledge').click()
    await eventually(
      async () => (await mariaCard.getByTestId('thread-ack').textContent()) ?? '',
      (text) => /acknowledged/i.test(text),
      'the delegate sees the acknowledgement',
    )
    await maria.page.screenshot({ path: path.join(screenshotDir(), 'thread-delegate.png') })

    // The stored text has the wording; the thread is incorporated and acknowledged.
    const { threads } = await scenario.server.api<{
      threads: {
        disposition: { outcome: string } | null
        acknowledgedAt: string | null
        proposal: { appliedAt: string | null }
      }[]
    }>('GET', `/api/documents/${scenario.documentId}/threads`)
    expect(threads[0]).toMatchObject({ disposition: { outcome: 'incorporated' } })
    expect(threads[0].acknowledgedAt).not.toBeNull()
    expect(threads[0].proposal.appliedAt).not.toBeNull()
  })

  it('a delegate sees no facilitator or secretariat actions on a card', async () => {
    const maria = await scenario.actor('mexico')
    await maria.open(scenario.documentId)
    const card = maria.page.locator('[data-testid=thread-card]').first()
    await card.waitFor()
    await card.click()
    expect(await card.getByTestId('apply-proposal').count()).toBe(0)
    expect(await card.locator('select[name=outcome]').count()).toBe(0)
    expect(await card.getByTestId('acknowledge').count()).toBe(0)
  })
  it('fetches the thread list once the text has arrived, and without it when the text does not come', async () => {
    // What arrives, in order: the text (the server's sync step 2, a frame starting 0, 1) and the
    // request for the thread list. Fetched alongside the text, a long list's cards held the text up.
    const maria = await scenario.actor('mexico')
    const arrivals: string[] = []
    maria.page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload
        if (bytes[0] === 0 && bytes[1] === 1) arrivals.push('text')
      }),
    )
    maria.page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/threads')) arrivals.push('threads')
    })
    await maria.open(scenario.documentId)
    await maria.page.locator('[data-testid=thread-card]').first().waitFor()
    expect(arrivals.slice(0, 2)).toEqual(['text', 'threads'])

    // A socket that never brings the text: the cards come all the same, a few seconds later.
    const sam = await scenario.actor('secretariat')
    await sam.page.routeWebSocket(/\/collab/, () => {})
    await sam.page.goto(
      `${scenario.server.url}/join/${scenario.tokens.secretariat}?next=/documents/${scenario.documentId}`,
    )
    await sam.page.locator('[data-testid=thread-card]').first().waitFor({ timeout: 10_000 })
    expect(await sam.editorText()).not.toContain('purpose')
  })
})
