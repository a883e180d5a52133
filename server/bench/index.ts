/**
 * `npm run bench`: Plenary side by side with Hocuspocus and the y-websocket server
 * (`compare/index.ts`, about two minutes; `--full` for 500 documents and longer steps).
 *
 *   npm run bench -- --check    regression check: Plenary alone, one short run of each scenario,
 *                               compared with the committed results (exit 1 on a regression)
 *   npm run bench -- --full     500 documents, 10 s steps, and the cold load and reconnect storm
 *   npm run bench -- --editor   the editor in Chromium on a 2,000-paragraph draft (e2e/bench/editor.ts)
 *   npm run bench -- --all      the comparison, then the fan-out benchmark (`run.ts`), one
 *                               instance against two with Redis (`cluster.ts`), the redline diff
 *                               (`diff.ts`), the exports (`export.ts`) and the editor
 *
 * Each writes its results to bench/results/ (a check, to bench/results/tmp/).
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const all = process.argv.includes('--all')
const args = process.argv.slice(2).filter((arg) => arg !== '--all' && arg !== '--')
const full = args.filter((arg) => arg === '--full')
const editor = all || process.argv.includes('--editor')
const compareArgs = args.filter((arg) => arg !== '--editor')
const e2e = path.join(here, '../../e2e')
const suites: [string, string[], string][] = []
if (!process.argv.includes('--editor') || all)
  suites.push([path.join(here, 'compare/index.ts'), compareArgs, here])
if (all) {
  for (const [file, extra] of [
    ['run.ts', full],
    ['cluster.ts', full],
    ['diff.ts', []],
    ['export.ts', []],
  ] as [string, string[]][])
    suites.push([path.join(here, file), extra, here])
}
if (editor) suites.push([path.join(e2e, 'bench/editor.ts'), [], e2e])
for (const [file, extra, dir] of suites) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...extra], {
    cwd: dir === here ? path.join(here, '..') : dir,
    stdio: 'inherit',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
