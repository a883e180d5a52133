import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

/** The API server during development (`npm run dev` starts it on 8080). */
const apiServer = 'http://127.0.0.1:8080'

/**
 * TipTap, ProseMirror and Yjs are only needed on the document page. They go into one `editor`
 * chunk that the page loads lazily, so the list of documents appears fast on a slow connection.
 */
const editorModules =
  /[\\/]node_modules[\\/](@tiptap|prosemirror-[^\\/]+|yjs|y-[^\\/]+|lib0|linkifyjs|orderedmap|rope-sequence|w3c-keyname|zod|@floating-ui|fast-equals|use-sync-external-store)[\\/]/

/**
 * Writes `asset-manifest.json`, the list of built files, which the service worker
 * (public/sw.js) caches when it installs: the app then opens offline, editor chunk included.
 */
function assetManifest(): Plugin {
  return {
    name: 'plenary-asset-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((file) => file.startsWith('assets/') && !file.endsWith('.map'))
        .map((file) => `/${file}`)
        .sort()
      this.emitFile({
        type: 'asset',
        fileName: 'asset-manifest.json',
        source: JSON.stringify({ files }, null, 2),
      })
    },
  }
}

export default defineConfig({
  plugins: [react(), assetManifest()],
  server: {
    proxy: {
      '/api': apiServer,
      '/join': apiServer,
      '/healthz': apiServer,
      '/collab': { target: apiServer, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // The editor chunk (TipTap, ProseMirror, Yjs, and zod through the shared thread labels) is about
    // 660 kB before gzip, and loads lazily.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Only the matched modules: React, which the editor also imports, stays with the app.
          groups: [{ name: 'editor', test: editorModules, includeDependenciesRecursively: false }],
        },
      },
    },
  },
})
