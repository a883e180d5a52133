/** Builds the server bundle that spawned servers run (test/process.ts), once per test run. */
import { bundleIsCurrent, bundleServer } from '../src/tools/bundle.ts'

export default async function setup(): Promise<void> {
  if (!bundleIsCurrent()) await bundleServer()
}
