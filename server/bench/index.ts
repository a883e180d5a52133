/**
 * `npm run bench`: the fan-out benchmark (`run.ts`, which takes `--full`), one instance against two
 * with Redis (`cluster.ts`, which takes `--full` too), then the redline diff
 * (`diff.ts`) and the exports (`export.ts`). Each writes its results to bench/results/.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const suites: [string, string[]][] = [
  ['run.ts', args],
  ['cluster.ts', args],
  ['diff.ts', []],
  ['export.ts', []],
]
for (const [file, extra] of suites) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file), ...extra], {
    cwd: path.join(here, '..'),
    stdio: 'inherit',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
