import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** The API server during development (`npm run dev` starts it on 8080). */
const apiServer = 'http://127.0.0.1:8080'

/**
 * TipTap, ProseMirror and Yjs are only needed on the document page. They go into one `editor`
 * chunk that the page loads lazily, so the list of documents appears fast on a slow connection.
 */
const editorModules =
  /[\\/]node_modules[\\/](@tiptap|prosemirror-[^\\/]+|yjs|y-[^\\/]+|lib0|linkifyjs|orderedmap|rope-sequence|w3c-keyname|zod|@floating-ui|fast-equals|use-sync-external-store)[\\/]/

export default defineConfig({
  plugins: [react()],
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
    // The editor chunk (TipTap, ProseMirror, Yjs) is about 570 kB before gzip, and loads lazily.
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
