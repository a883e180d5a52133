import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../fixtures/Actor.ts'
import { type Scenario, screenshotDir, startScenario } from '../fixtures/scenario.ts'

let scenario: Scenario

beforeAll(async () => {
  scenario = await startScenario()
  const id = scenario.documentId
  // Something for "all comments" to carry, and a published Draft to mark the live text against.
  await scenario.server.api(
    'POST',
    `/api/documents/${id}/threads`,
    {
      anchor: { blockId: 'stage-3', quote: 'post-delivery cooperation' },
      kind: 'question',
      body: 'Mexico asks whether post-delivery cooperation is a third stage.',
    },
    scenario.tokens.mexico,
  )
  await scenario.server.api(
    'POST',
    `/api/documents/${id}/revisions`,
    { label: 'Draft' },
    scenario.tokens.facilitator,
  )
})

afterAll(async () => {
  await scenario?.close()
})

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

describe('export and import in the browser', () => {
  it('the facilitator exports the live text as DOCX with all comments, marked against the Draft', async () => {
    const ana = await scenario.actor('facilitator')
    await ana.open(scenario.documentId)
    const page = ana.page

    await page.getByTestId('open-export').click()
    const dialog = page.getByTestId('export-dialog')
    await dialog.waitFor()
    // The dialog takes focus (its first choice) and keeps the rest of the page out of reach.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('format')
    const preview = dialog.getByTestId('export-preview')

    await dialog.locator('select[name=format]').selectOption('docx')
    await dialog.locator('select[name=comments]').selectOption('all')
    expect(await preview.textContent()).toBe('The live text as DOCX, with all comments as Word comments.')
    // Marks only mean something for a marked text.
    expect(await dialog.locator('select[name=marks]').isDisabled()).toBe(true)

    // The published Draft is offered, as "previous" and by name.
    await dialog.locator('select[name=revision] option', { hasText: 'Draft' }).waitFor({ state: 'attached' })
    await dialog.locator('select[name=against]').selectOption('previous')
    expect(await dialog.locator('select[name=marks]').isDisabled()).toBe(false)
    await dialog.locator('input[name=compilation]').check()
    expect(await preview.textContent()).toBe(
      'The live text as DOCX, marked against the previous revision (Draft) with Word tracked changes, ' +
        'with all comments as Word comments, and the compilation of comments appended.',
    )
    await page.screenshot({ path: path.join(screenshotDir(), 'export-dialog.png') })

    // Exactly the query the server takes, defaults left out.
    const requested = page.waitForRequest((request) => request.url().includes('/export.docx'))
    const downloaded = page.waitForEvent('download')
    await dialog.getByTestId('export-download').click()
    expect(new URL((await requested).url()).search).toBe('?against=previous&comments=all&compilation=1')
    const download = await downloaded
    expect(download.suggestedFilename()).toMatch(/\.docx$/)
    const bytes = fs.readFileSync(await download.path())
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK')

    // Escape closes the dialog and focus goes back to the button.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-export')
  })

  it('a refused export shows the server’s reason in the dialog', async () => {
    const maria = await scenario.actor('mexico')
    await maria.open(scenario.documentId)
    const page = maria.page
    await page.route('**/export.md*', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'no_revision', message: 'nothing published yet' } }),
      }),
    )
    await page.getByTestId('open-export').click()
    const dialog = page.getByTestId('export-dialog')
    await dialog.locator('select[name=format]').selectOption('md')
    await dialog.getByTestId('export-download').click()
    const error = dialog.getByTestId('export-error')
    await error.waitFor()
    expect(await error.textContent()).toContain('cannot be marked against the previous revision')
    // Still open, ready for other choices; Close returns focus too.
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-export')
  })

  it('the secretariat imports a DOCX, sees what was imported and finds the new document in the list', async () => {
    const { server, documentId } = scenario
    const response = await fetch(`${server.url}/api/documents/${documentId}/export.docx?comments=all`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    })
    expect(response.ok).toBe(true)
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-import-'))
    const file = path.join(folder, 'Workplan draft.docx')
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()))

    const sam = await scenario.actor('secretariat')
    const page = sam.page
    await page.goto(`${server.url}/join/${sam.token}?next=/`)
    const form = page.getByTestId('import-document')
    await form.waitFor()
    const input = form.locator('input[type=file][name=file]')

    // Not a Word file at all: refused before sending.
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
    expect(await form.getByTestId('import-error').textContent()).toContain('This is not a Word file')

    // Named .docx but not one: the server's refusal, with its detail.
    await input.setInputFiles({ name: 'broken.docx', mimeType: DOCX, buffer: Buffer.from('not a zip') })
    await page.getByTestId('import-submit').click()
    await eventually(
      async () =>
        (await form
          .getByTestId('import-error')
          .textContent()
          .catch(() => '')) ?? '',
      (text) => text.includes('could not be read as a Word document'),
      'the invalid file is refused',
    )

    await input.setInputFiles(file)
    await form.locator('input[name=title]').fill('Imported workplan (test)')
    await page.getByTestId('import-submit').click()
    const summary = page.getByTestId('import-summary')
    await summary.waitFor({ timeout: 30_000 })
    const text = (await summary.textContent()) ?? ''
    expect(text).toContain('Imported “Imported workplan (test)”')
    expect(text).toContain('2 headings')
    expect(text).toContain('1 Word comment, as a thread (on its words)')
    await page.screenshot({ path: path.join(screenshotDir(), 'import-summary.png'), fullPage: true })

    // The new document is in the list at once, and the summary's link opens it.
    await page.getByTestId('document-link').filter({ hasText: 'Imported workplan (test)' }).waitFor()
    await page.getByTestId('import-open-document').click()
    await page.locator('[data-testid=editor] .ProseMirror', { hasText: 'purpose of the workplans' }).waitFor()
    fs.rmSync(folder, { recursive: true, force: true })
  })
})
