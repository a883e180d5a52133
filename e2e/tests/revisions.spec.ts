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

describe('revisions in the browser', () => {
  it('the facilitator publishes Rev.1, edits and deletes, and the redline shows exactly those changes', async () => {
    const ana = await scenario.actor('facilitator')
    const maria = await scenario.actor('mexico')
    await ana.open(scenario.documentId)
    await maria.open(scenario.documentId)

    // Publish Rev.1 from the history panel.
    await ana.page.getByTestId('open-history').click()
    await ana.page.getByTestId('publish-revision').click()
    const form = ana.page.getByTestId('publish-form')
    await form.locator('input[name=label]').fill('Rev.1')
    await form.locator('textarea[name=note]').fill('After the first round of written comments.')
    await ana.page.getByTestId('publish-submit').click()
    await ana.page.locator('[data-testid=revision-item]', { hasText: 'Rev.1' }).waitFor()

    // The delegate's browser shows the new revision without a reload.
    await maria.page.getByTestId('open-history').click()
    await maria.page.locator('[data-testid=revision-item]', { hasText: 'Rev.1' }).waitFor({ timeout: 10_000 })

    // Edit two paragraphs and delete one.
    await ana.page.keyboard.press('Escape')
    await ana.clickEndOf('purpose of the workplans')
    await ana.type(' It is revised.')
    await ana.clickEndOf('Stage 2 concerns')
    await ana.type(' In the first series.')
    await ana.paragraph('voluntary nature').click()
    await ana.page.keyboard.press('Home')
    await ana.page.keyboard.press('Shift+End')
    // Shift+End moves the browser's selection; the editor reads it on the next selectionchange,
    // which a loaded machine delays. Delete only once the editor itself holds the selection.
    await eventually(
      () =>
        ana.page.evaluate(() => {
          const dom = document.querySelector('[data-testid=editor] .ProseMirror') as
            | (Element & {
                editor?: {
                  state: {
                    selection: { from: number; to: number }
                    doc: { textBetween(a: number, b: number): string }
                  }
                }
              })
            | null
          const state = dom?.editor?.state
          return state ? state.doc.textBetween(state.selection.from, state.selection.to) : ''
        }),
      (selected) => selected.includes('voluntary nature'),
      'the paragraph selected in the editor',
    )
    await ana.page.keyboard.press('Backspace')
    await ana.page.keyboard.press('Backspace')
    await eventually(
      () => ana.editorText(),
      (text) => !text.includes('voluntary nature'),
      'the paragraph is gone',
    )
    await ana.waitForStatus('All changes saved')

    // Compare since the last published revision.
    await ana.page.getByTestId('open-compare').click()
    const compare = ana.page.getByTestId('compare')
    await compare.waitFor()
    await eventually(
      async () => (await compare.locator('ins').allTextContents()).join('|'),
      (text) => text.includes('It is revised.') && text.includes('In the first series.'),
      'the insertions are marked',
    )
    const deleted = (await compare.locator('del').allTextContents()).join(' ')
    expect(deleted).toContain('The workplans are living documents of a voluntary nature.')
    const changes = await compare
      .locator('[data-testid=diff-block]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-change')))
    expect(changes.filter((c) => c === 'changed')).toHaveLength(2)
    expect(changes.filter((c) => c === 'removed')).toHaveLength(1)
    expect(changes.filter((c) => c === 'added')).toHaveLength(0)
    expect(await ana.page.getByTestId('change-counter').textContent()).toMatch(/1 of 3/)
    await ana.page.getByTestId('next-change').click()
    expect(await ana.page.getByTestId('change-counter').textContent()).toMatch(/2 of 3/)
    await ana.page.screenshot({ path: path.join(screenshotDir(), 'redline.png') })
  })
})
