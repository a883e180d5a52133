/**
 * Two browsers on two different server processes of one deployment (PostgreSQL and Redis): they
 * edit the same paragraph and see each other's text, carets and presence, and a thread started
 * on one instance and a revision published on the other appear live on both.
 *
 * With CI=1 nothing is skipped; elsewhere the file skips, saying why, when PostgreSQL or Redis
 * cannot be reached.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestDatabase,
  dropTestDatabase,
  postgresUnavailable,
} from '../../server/src/storage/postgresTestDatabase.ts'
import { eventually, SAVE_STATUS } from '../fixtures/Actor.ts'
import { type Scenario, screenshotDir, startScenario } from '../fixtures/scenario.ts'

const REDIS_PORT = Number(process.env.TEST_REDIS_PORT || 6379)

function redisUnavailable(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(REDIS_PORT, '127.0.0.1')
    const done = (reason: string | null) => {
      socket.destroy()
      resolve(reason)
    }
    socket.setTimeout(3_000, () => done(`no answer from Redis at 127.0.0.1:${REDIS_PORT}`))
    socket.on('error', (error) => done(`cannot reach Redis at 127.0.0.1:${REDIS_PORT}: ${error.message}`))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (data) =>
      done(data.toString().startsWith('+PONG') ? null : 'Redis did not answer PING'),
    )
  })
}

const unavailable = (await postgresUnavailable()) ?? (await redisUnavailable())
const ci = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI as string)
if (unavailable && ci)
  throw new Error(`The several-instances browser test cannot be skipped in CI: ${unavailable}`)
if (unavailable) console.warn(`Skipping the several-instances browser test: ${unavailable}`)

let scenario: Scenario
let database: { name: string; url: string } | null = null

beforeAll(async () => {
  if (unavailable) return
  database = await createTestDatabase('plenary_e2e')
  scenario = await startScenario({
    instances: 2,
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
      PLENARY_REDIS_PREFIX: `plenary-e2e-${randomBytes(4).toString('hex')}`,
    },
  })
})

afterAll(async () => {
  await scenario?.close()
  if (database) await dropTestDatabase(database.name)
})

describe.skipIf(Boolean(unavailable))('two browsers on two server instances', () => {
  it('edit one paragraph together, see each other’s carets and presence, threads and revisions', async () => {
    const ana = await scenario.actor('facilitator', 0)
    const sam = await scenario.actor('secretariat', 1)
    await ana.open(scenario.documentId)
    await sam.open(scenario.documentId)

    await ana.clickEndOf('voluntary nature')
    await sam.clickEndOf('voluntary nature')
    await Promise.all([ana.type(' Ana on the first instance.'), sam.type(' Sam on the second.')])
    const paragraphText = (actor: typeof ana) => actor.paragraph('voluntary nature').innerText()
    await eventually(
      async () => [await paragraphText(ana), await paragraphText(sam)],
      ([a, b]) => a === b && a.includes('Ana on the first instance.') && a.includes('Sam on the second.'),
      'both texts to converge across instances',
    ).catch(async (error: Error) => {
      // Whole texts: an edit lost tells apart from one typed into another paragraph.
      throw new Error(
        `${error.message}\nAna's page: ${await ana.editorText()}\nSam's page: ${await sam.editorText()}`,
      )
    })
    await eventually(
      () => ana.page.locator('.collaboration-carets__label').allInnerTexts(),
      (labels) => labels.some((l) => l.includes('Sam Secretariat')),
      'Sam’s caret at Ana, from the other instance',
    )
    await eventually(
      () => sam.page.locator('.collaboration-carets__label').allInnerTexts(),
      (labels) => labels.some((l) => l.includes('Ana Facilitator')),
      'Ana’s caret at Sam, from the other instance',
    )
    await eventually(
      async () => (await ana.page.getByTestId('presence-item').allInnerTexts()).join(' '),
      (present) => present.includes('Sam Secretariat'),
      'Sam in Ana’s list of who is here',
    )
    await ana.waitForStatus(SAVE_STATUS.saved)
    await sam.waitForStatus(SAVE_STATUS.saved)

    // Mexico comments through the second instance: the card appears at Ana's, on the first.
    const [, second] = scenario.servers
    await second.api(
      'POST',
      `/api/documents/${scenario.documentId}/threads`,
      { kind: 'question', body: 'Could the Secretariat say which meetings this covers?', anchor: null },
      scenario.tokens.mexico,
    )
    await eventually(
      () => ana.page.locator('[data-testid=thread-card]').allInnerTexts(),
      (cards) => cards.some((c) => c.includes('which meetings this covers')),
      'the thread card at Ana’s, from the other instance',
    )

    // Ana publishes on the first instance: Sam, on the second, is told at once.
    await scenario.server.api(
      'POST',
      `/api/documents/${scenario.documentId}/revisions`,
      { label: 'Rev.1', note: 'Across instances' },
      scenario.tokens.facilitator,
    )
    await eventually(
      async () => (await sam.page.getByTestId('revision-notice').allInnerTexts()).join(' '),
      (text) => text.includes('Rev.1') && text.includes('Ana Facilitator'),
      'the revision notice at Sam’s, from the other instance',
    )
    await sam.page.screenshot({ path: path.join(screenshotDir(), 'two-instances-secretariat.png') })
    expect(await sam.editorText()).toContain('Ana on the first instance.')
  })
})
