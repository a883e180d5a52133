/**
 * `npm run bench`: Plenary side by side with Hocuspocus and the y-websocket server
 * (`compare/index.ts`, about two minutes; `--full` for 500 documents and longer steps).
 *
 *   npm run bench -- --check    regression check: Plenary alone, one short run of each scenario,
 *                               compared with the committed results (exit 1 on a regression)
 *   npm run bench -- --all      the comparison, then the fan-out benchmark (`run.ts`), one
 *                               instance against two with Redis (`cluster.ts`), the redline diff
 *                               (`diff.ts`) and the exports (`export.ts`)
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
const suites: [string, string[]][] = [['compare/index.ts', args]]
if (all) suites.push(['run.ts', full], ['cluster.ts', full], ['diff.ts', []], ['export.ts', []])
for (const [file, extra] of suites) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file), ...extra], {
    cwd: path.join(here, '..'),
    stdio: 'inherit',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
