/**
 * Injection: 200+ XSS payloads placed everywhere people can write (names, organisations, comment
 * bodies, replies, proposals, responses, quotes from the text, titles, revision labels and notes,
 * communications, the text itself and its link targets) never execute in Chromium, for two people
 * on every view; the exports carry no active content; CSV cells cannot start a formula; links are
 * http, https or mailto only.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Actor, eventually } from '../fixtures/Actor.ts'
import { type Scenario, startScenario } from '../fixtures/scenario.ts'
import { unzip } from '../fixtures/unzip.ts'
import {
  hostileHrefs,
  trickyButSafeHrefs,
  XSS_TRAP,
  type XssPayload,
  xssPayloads,
} from '../fixtures/xssPayloads.ts'

const payloads = xssPayloads()
let scenario: Scenario
let documentId: string
let facilitatorToken: string
let revisionId: string
/** Where each payload was stored (a refusal with 400 is fine too, and counted apart). */
const placed = { stored: 0, refused: 0 }
const executions: string[] = []
const dialogs: string[] = []

type Json = Record<string, unknown>

async function call<T = Json>(method: string, pathname: string, body?: unknown, token?: string) {
  const response = await fetch(`${scenario.server.url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token ?? scenario.server.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await response.json()) as T
  if (response.ok) placed.stored++
  else if (response.status === 400) {
    placed.refused++
    if (process.env.XSS_DEBUG)
      console.log(pathname, JSON.stringify(json).slice(0, 200), JSON.stringify(body).slice(0, 200))
  } else throw new Error(`${method} ${pathname} → ${response.status} ${JSON.stringify(json)}`)
  return { ok: response.ok, status: response.status, json }
}

const short = (p: XssPayload, max: number) => p.text.trim().slice(0, max)
const SAFE_PROTOCOLS = ['http:', 'https:', 'mailto:']

function draftContent() {
  const links = [...hostileHrefs(), ...trickyButSafeHrefs()]
  return {
    type: 'doc',
    content: [
      {
        type: 'heading',
        attrs: { level: 1, id: 'inj-head', numberPrefix: `"><img src=x onerror=${XSS_TRAP}(9200)>` },
        content: [{ type: 'text', text: `Part I <svg onload=${XSS_TRAP}(9201)>` }],
      },
      {
        type: 'paragraph',
        attrs: { id: 'purpose' },
        content: [{ type: 'text', text: 'This draft sets out the purpose of the injection suite.' }],
      },
      ...payloads.map((p) => ({
        type: 'paragraph',
        attrs: { id: `x${p.n}` },
        content: [{ type: 'text', text: p.text }],
      })),
      ...links.map((href, i) => ({
        type: 'paragraph',
        attrs: { id: `link${i}` },
        content: [
          { type: 'text', text: `Link ${i}: ` },
          {
            type: 'text',
            text: `follow <img src=x onerror=${XSS_TRAP}(${9300 + i})>`,
            marks: [
              {
                type: 'link',
                attrs: { href, target: '_self', onclick: `${XSS_TRAP}(${9400 + i})`, class: 'x' },
              },
              { type: 'bold' },
            ],
          },
        ],
      })),
    ],
  }
}

/** Counts calls of the trap in every frame and every page of a context, and every dialog. */
async function trap(context: BrowserContext, who: string): Promise<void> {
  await context.exposeFunction('__xssReport', (n: unknown) => {
    executions.push(`${who}: ${String(n)}`)
  })
  await context.addInitScript(() => {
    const report = (n: unknown) =>
      (window as unknown as { __xssReport(n: string): void }).__xssReport(String(n))
    Object.defineProperty(window, '__xss', { value: report, writable: false, configurable: false })
    for (const name of ['alert', 'confirm', 'prompt', 'print'] as const)
      Object.defineProperty(window, name, { value: (n: unknown) => report(`${name}:${String(n)}`) })
  })
  context.on('page', (page) => watchDialogs(page, who))
}

function watchDialogs(page: Page, who: string) {
  page.on('dialog', (dialog) => {
    dialogs.push(`${who}: ${dialog.type()} ${dialog.message()}`)
    dialog.dismiss().catch(() => undefined)
  })
}

/** Active content left in the page: on* attributes, script-capable elements, unsafe link targets. */
async function activeContent(page: Page): Promise<string[]> {
  return page.evaluate((safe) => {
    const found: string[] = []
    const root = document.querySelector('#root') ?? document.body
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}=${attr.value}`)
        if (/^(src|srcdoc|action|formaction|data|xlink:href|background|poster)$/i.test(attr.name))
          found.push(`${el.tagName} ${attr.name}=${attr.value}`)
      }
      if (/^(SCRIPT|IFRAME|OBJECT|EMBED|FRAME|FRAMESET|BASE|META|TEMPLATE|MATH|PORTAL)$/.test(el.tagName))
        found.push(`<${el.tagName}>`)
      if (el.tagName === 'svg' && el.querySelector('script, foreignObject, a, image, use, animate, set'))
        found.push(`<svg> with ${el.innerHTML.slice(0, 80)}`)
      if (el.tagName === 'A' && el.hasAttribute('href')) {
        const href = el.getAttribute('href') ?? ''
        // The editor renders a link whose target it refuses with an empty href (inert).
        if (href === '' && el.closest('.ProseMirror')) continue
        const url = new URL(href, location.href)
        if (!safe.includes(url.protocol)) found.push(`a href=${href}`)
        // Links into the text itself are same-origin paths; anything else is http(s) or mailto.
        if (url.origin === location.origin && !href.startsWith('/') && !href.startsWith('#'))
          found.push(`a href=${href}`)
      }
    }
    return found
  }, SAFE_PROTOCOLS)
}

/** Fires the events a hostile handler would wait for on every element (hover, focus, animation). */
async function poke(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector('#root') ?? document.body
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('button, a, [contenteditable=true]') && el.tagName !== 'A') continue
      for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart', 'toggle', 'load', 'error'])
        el.dispatchEvent(new Event(type, { bubbles: false }))
    }
  })
  await page.waitForTimeout(300)
}

beforeAll(async () => {
  scenario = await startScenario()
  facilitatorToken = scenario.tokens.facilitator
  const created = await call<{ document: { id: string } }>('POST', '/api/documents', {
    title: `Injection draft <img src=x onerror=${XSS_TRAP}(9500)> "'><script>${XSS_TRAP}(9501)</script>`,
    content: draftContent(),
    penHolders: [scenario.ids.facilitator],
  })
  documentId = created.json.document.id
  // More drafts whose titles are payloads, for the list of documents.
  for (const p of payloads.filter((_, i) => i % 10 === 0))
    await call('POST', '/api/documents', {
      title: short(p, 300),
      content: { type: 'doc', content: draftContent().content.slice(0, 2) },
    })

  const { json: blockList } = await call<{ blocks: { id: string | null; text: string }[] }>(
    'GET',
    `/api/documents/${documentId}/blocks`,
  )
  const textOf = new Map(blockList.blocks.map((b) => [b.id, b.text]))

  // Each payload is the name of one person, the organisation of another, and the body (or
  // proposal) of a comment anchored on the paragraph holding that payload, quoting it.
  const threadIds: string[] = []
  for (const p of payloads) {
    const other = payloads[(p.n * 7) % payloads.length]
    const person = await call<{ participant: { id: string }; token: string }>('POST', '/api/participants', {
      name: short(p, 200) || `Person ${p.n}`,
      organisation: short(other, 200) || `Org ${p.n}`,
      organisationKind: p.n % 5 === 0 ? 'civil_society' : 'state_party',
      role: 'delegate',
    })
    if (!person.ok) continue
    const quote = textOf.get(`x${p.n}`)?.trim()
    const mention = p.n % 4 === 0 ? ' @Ana Facilitator' : ''
    const body = `${p.text}${mention}`
    const thread = await call<{ thread: { id: string } }>(
      'POST',
      `/api/documents/${documentId}/threads`,
      {
        anchor: quote ? { blockId: `x${p.n}`, quote: quote.slice(0, 2000) } : null,
        kind: p.n % 3 === 0 ? 'proposal' : 'comment',
        body,
        ...(p.n % 3 === 0 ? { proposal: { action: 'replace', text: other.text } } : {}),
      },
      person.json.token,
    )
    if (thread.ok) threadIds.push(thread.json.thread.id)
  }
  expect(threadIds.length).toBeGreaterThan(200)

  // The facilitator replies to some and disposes of others, each with a payload.
  for (const [i, threadId] of threadIds.entries()) {
    const p = payloads[i % payloads.length]
    if (i % 5 === 0)
      await call('POST', `/api/threads/${threadId}/messages`, { body: p.text }, facilitatorToken)
    if (i % 7 === 0)
      await call(
        'PATCH',
        `/api/threads/${threadId}`,
        { disposition: { outcome: 'noted', response: p.text } },
        facilitatorToken,
      )
  }

  // Communications: the organisation, reference and text are payloads.
  for (let i = 0; i < payloads.length; i += 20) {
    const group = payloads.slice(i, i + 20)
    await call(
      'POST',
      '/api/communications',
      {
        organisation: short(group[0], 200),
        reference: short(group[1] ?? group[0], 200),
        sentAt: '2025-03-01',
        receivedAt: '2025-03-02',
        channel: 'note_verbale',
        text: group.map((p) => p.text).join('\n'),
        documentId,
      },
      scenario.tokens.secretariat,
    )
  }

  // A published revision whose label and note are payloads (for history and compare).
  const label = payloads.find((p) => p.text.length <= 60 && p.family === 'handler')
  const revision = await call<{ revision: { id: string } }>(
    'POST',
    `/api/documents/${documentId}/revisions`,
    {
      label: label?.text ?? 'Rev.1',
      note: payloads
        .slice(0, 10)
        .map((p) => p.text)
        .join('\n'),
    },
    facilitatorToken,
  )
  revisionId = revision.json.revision.id
}, 300_000)

afterAll(async () => {
  await scenario?.close()
})

async function personIn(who: 'facilitator' | 'mexico' | 'secretariat'): Promise<Actor> {
  const actor = await scenario.actor(who)
  await trap(actor.page.context(), who)
  watchDialogs(actor.page, who)
  return actor
}

describe('injection', () => {
  it(`${payloads.length} payloads in names, comments, quotes, titles and text never execute`, async () => {
    expect(payloads.length).toBeGreaterThanOrEqual(200)
    const ana = await personIn('facilitator')
    const maria = await personIn('mexico')
    await ana.open(documentId)
    await maria.open(documentId)

    // The trap works: markup parsed as HTML would call it (then the count starts again).
    await ana.page.evaluate(() => {
      document.createElement('div').innerHTML = '<img src=x onerror=__xss("self-test")>'
    })
    await eventually(
      async () => executions.length,
      (n) => n === 1,
      'the trap to catch the self-test',
    )
    expect(executions).toEqual(['facilitator: self-test'])
    executions.length = 0

    // A pen holder's editor writes a javascript: link straight into the shared text (as a
    // hostile client could over the websocket, past the API's checks): nobody gets it as a link.
    await ana.page.evaluate((trapName) => {
      const dom = document.querySelector('[data-testid=editor] .ProseMirror') as Element & {
        editor: { commands: { insertContentAt(at: number, content: unknown): boolean } }
      }
      dom.editor.commands.insertContentAt(1, {
        type: 'text',
        text: 'evil link ',
        marks: [{ type: 'link', attrs: { href: `javascript:${trapName}(9700)` } }],
      })
    }, XSS_TRAP)
    await maria.waitForText('evil link')

    for (const actor of [ana, maria]) {
      const { page } = actor
      // Every thread card is there (the margin renders them all, with every message).
      await eventually(
        () => page.locator('[data-testid=thread-card]').count(),
        (count) => count > 200,
        'the thread cards',
        60_000,
      )
      await poke(page)
      expect(await activeContent(page)).toEqual([])
      // Open a few cards (their replies, dispositions and actions).
      const toggles = page.locator('.thread-card__toggle')
      for (let i = 0; i < 6; i++) await toggles.nth(i * 30).click()
      await poke(page)
      expect(await activeContent(page)).toEqual([])

      // The history, a published revision, and its comparison with the current text.
      await page.getByTestId('open-history').click()
      await page.locator('[data-testid=revision-item]').first().waitFor({ timeout: 20_000 })
      await poke(page)
      expect(await activeContent(page)).toEqual([])
      await page.locator('[data-testid=revision-item] .revision-item__open').first().click()
      await page.getByTestId('compare-with-current').waitFor({ timeout: 20_000 })
      await page.waitForTimeout(500)
      await poke(page)
      expect(await activeContent(page)).toEqual([])
      await page.getByTestId('compare-with-current').click()
      await page.getByTestId('compare').waitFor({ timeout: 20_000 })
      await page.waitForTimeout(500)
      await poke(page)
      expect(await activeContent(page)).toEqual([])
      await page.keyboard.press('Escape')
      await page.keyboard.press('Escape')
    }

    // The facilitator types a payload into the text; both then compare with the revision.
    await ana.clickEndOf('purpose of the injection suite')
    await ana.type(` <img src=x onerror=${XSS_TRAP}(9600)>`)
    await maria.waitForText(`onerror=${XSS_TRAP}(9600)`)
    for (const actor of [ana, maria]) {
      const { page } = actor
      await page.getByTestId('open-compare').click()
      await page.getByTestId('compare').waitFor({ timeout: 20_000 })
      await eventually(
        async () => (await page.getByTestId('compare').locator('ins').allTextContents()).join('|'),
        (text) => text.includes(`${XSS_TRAP}(9600)`),
        'the typed payload marked as inserted',
        20_000,
      )
      await poke(page)
      expect(await activeContent(page)).toEqual([])
      await page.keyboard.press('Escape')
    }

    // The secretariat's drawer of communications (organisations, references, texts).
    const sam = await personIn('secretariat')
    await sam.open(documentId)
    await sam.page.getByTestId('communications-toggle').click()
    await sam.page.locator('[data-testid=communication]').first().waitFor({ timeout: 20_000 })
    expect(await sam.page.locator('[data-testid=communication]').count()).toBe(
      Math.ceil(payloads.length / 20),
    )
    await poke(sam.page)
    expect(await activeContent(sam.page)).toEqual([])

    // The facilitator's mentions menu lists messages by people whose names are payloads.
    await ana.page.getByTestId('mentions').click()
    await ana.page.locator('.mentions__item').first().waitFor({ timeout: 20_000 })
    await poke(ana.page)
    expect(await activeContent(ana.page)).toEqual([])
    await ana.page.keyboard.press('Escape')

    // The list of documents, whose titles are payloads.
    for (const actor of [ana, maria]) {
      await actor.page.goto(`${scenario.server.url}/`)
      await actor.page.locator('a[href^="/documents/"]').first().waitFor({ timeout: 20_000 })
      await poke(actor.page)
      expect(await activeContent(actor.page)).toEqual([])
    }

    // The editor kept only safe link targets: each hostile link lost its mark, the others kept it.
    await ana.open(documentId)
    await maria.open(documentId)
    const hrefs = await ana.editor
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')))
    expect(hrefs.filter((href) => href).length).toBe(trickyButSafeHrefs().length)
    for (const href of hrefs) if (href) expect(SAFE_PROTOCOLS).toContain(new URL(href).protocol)
    for (const actor of [ana, maria]) {
      const evil = actor.editor.locator('a', { hasText: 'evil link' })
      expect(await actor.editorText()).toContain('evil link')
      // Either the mark is gone or the editor renders it with an empty (inert) target.
      for (const href of await evil.evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
        expect(href).toBe('')
      if (await evil.count()) {
        await evil.first().click()
        await evil.first().click({ modifiers: ['Control'] })
      }
    }

    await ana.page.waitForTimeout(1000)
    expect(executions).toEqual([])
    expect(dialogs).toEqual([])
    console.log(
      `injection: ${payloads.length} payloads, ${placed.stored} writes stored, ${placed.refused} refused, ` +
        `${executions.length} executions, ${dialogs.length} dialogs`,
    )
  })

  it('the HTML export has no script, no event handler and no unsafe link, and runs nothing when opened', async () => {
    const response = await fetch(
      `${scenario.server.url}/api/documents/${documentId}/export.html?comments=all&compilation=1&against=${revisionId}`,
      { headers: { authorization: `Bearer ${facilitatorToken}` } },
    )
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(`&lt;img src=x onerror=${XSS_TRAP}(`)
    const problems: string[] = []
    for (const [tag, name] of html.matchAll(/<\/?([a-zA-Z][\w:-]*)[^>]*>/g)) {
      if (
        /^(script|iframe|object|embed|frame|frameset|base|template|svg|math|form|input|link|img)$/i.test(name)
      )
        problems.push(tag)
      for (const [, attr, , raw] of tag.matchAll(/\s([^\s=/>]+)\s*=\s*("([^"]*)"|'[^']*'|[^\s>]+)/g)) {
        const value = (raw ?? '')
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
        if (/^on/i.test(attr)) problems.push(`${attr} in ${tag}`)
        if (/^(href|src|action|formaction|srcdoc|data|background)$/i.test(attr)) {
          if (attr.toLowerCase() !== 'href') problems.push(`${attr} in ${tag}`)
          else if (!value.startsWith('#') && !SAFE_PROTOCOLS.includes(new URL(value).protocol))
            problems.push(tag)
        }
        if (/^style$/i.test(attr) && /url\(|expression|javascript/i.test(value)) problems.push(tag)
      }
    }
    // <meta charset> and the one <style> of the page are the only head elements besides the title.
    expect(problems).toEqual([])
    expect(html.match(/<style\b/gi)?.length).toBe(1)

    // Opened as a page (without the policy the route sends), it runs nothing either.
    const context = await scenario.browser.newContext()
    await trap(context, 'html export')
    const page = await context.newPage()
    watchDialogs(page, 'html export')
    await page.setContent(html, { waitUntil: 'load' })
    await poke(page)
    await page.waitForTimeout(500)
    await context.close()
    expect(executions).toEqual([])
    expect(dialogs).toEqual([])
  })

  it('the Markdown export escapes every payload and links only to http, https and mailto', async () => {
    const response = await fetch(
      `${scenario.server.url}/api/documents/${documentId}/export.md?comments=all&compilation=1`,
      { headers: { authorization: `Bearer ${facilitatorToken}` } },
    )
    const md = await response.text()
    const tags = [...md.matchAll(/<\/?([a-zA-Z][\w-]*)(?=[\s/>])/g)].map((m) => m[1].toLowerCase())
    expect(tags.filter((t) => !['ins', 'del', 'u', 'br'].includes(t))).toEqual([])
    const targets = [...md.matchAll(/(?<!\\)\]\(<?([^)>\s]*)/g)].map((m) => m[1])
    expect(targets.length).toBeGreaterThan(0)
    for (const target of targets)
      expect(SAFE_PROTOCOLS, target).toContain(`${/^([a-z]+):/i.exec(target)?.[1]?.toLowerCase()}:`)
  })

  it('the DOCX exports hold no hyperlink but http, https and mailto, and no markup from the payloads', async () => {
    for (const path of [
      `export.docx?comments=all&compilation=1&against=${revisionId}`,
      'compilation.docx?attribution=1',
    ]) {
      const response = await fetch(`${scenario.server.url}/api/documents/${documentId}/${path}`, {
        headers: { authorization: `Bearer ${facilitatorToken}` },
      })
      expect(response.status).toBe(200)
      const files = unzip(Buffer.from(await response.arrayBuffer()))
      const documentXml = files.get('word/document.xml')?.toString('utf8') ?? ''
      expect(documentXml).toContain(`&lt;img src=x onerror=${XSS_TRAP}(`)
      for (const [name, data] of files) {
        if (!name.endsWith('.xml') && !name.endsWith('.rels')) continue
        const xml = data.toString('utf8')
        // No element comes from a payload: every tag is an Office (prefixed) or package element.
        const foreign = [...xml.matchAll(/<([a-zA-Z][\w.-]*)[\s/>]/g)]
          .map((m) => m[1])
          .filter(
            (tag) =>
              !['Relationships', 'Relationship', 'Types', 'Default', 'Override', 'Properties'].includes(tag),
          )
          .filter((tag) => !/^(vt|dc|dcterms|cp|xml)$/.test(tag))
        expect(foreign, `${path} ${name}`).toEqual([])
        for (const [, target] of xml.matchAll(/Target="([^"]*)"[^>]*TargetMode="External"/g))
          expect(SAFE_PROTOCOLS, `${path} ${name}`).toContain(new URL(target.replace(/&amp;/g, '&')).protocol)
        for (const [, instruction] of xml.matchAll(/<w:instrText[^>]*>([^<]*)</g))
          expect(instruction, `${path} ${name}`).not.toMatch(/HYPERLINK\s+"?(?!https?:|mailto:)/i)
      }
      const rels = files.get('word/_rels/document.xml.rels')?.toString('utf8') ?? ''
      if (path.startsWith('export'))
        expect([...rels.matchAll(/TargetMode="External"/g)].length).toBeGreaterThanOrEqual(
          trickyButSafeHrefs().length,
        )
    }
  })

  it('the CSV compilation neutralises every cell a spreadsheet would take for a formula', async () => {
    const response = await fetch(
      `${scenario.server.url}/api/documents/${documentId}/compilation.csv?attribution=1`,
      { headers: { authorization: `Bearer ${facilitatorToken}` } },
    )
    const csv = (await response.text()).replace(/^\uFEFF/, '')
    const cells: string[] = []
    let cell = ''
    let quoted = false
    for (let i = 0; i < csv.length; i++) {
      const c = csv[i]
      if (quoted) {
        if (c === '"' && csv[i + 1] === '"') {
          cell += '"'
          i++
        } else if (c === '"') quoted = false
        else cell += c
      } else if (c === '"') quoted = true
      else if (c === ',' || c === '\n') {
        cells.push(cell.replace(/\r$/, ''))
        cell = ''
      } else cell += c
    }
    expect(cells.length).toBeGreaterThan(payloads.length * 5)
    const formulas = cells.filter((value) => /^[=+\-@\t\r]/.test(value))
    expect(formulas).toEqual([])
    // The payloads are all there, each behind its apostrophe where it needed one.
    expect(cells.some((value) => value.startsWith(`'=HYPERLINK(`))).toBe(true)
  })
})
