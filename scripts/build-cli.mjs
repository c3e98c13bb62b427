// Builds the CLI that bin/telcobench.js runs (cli/index.ts → dist/cli/index.js) and the programmatic API that
// `import … from 'telcobench'` loads (api/index.ts → dist/api/index.js): both entries and everything they import, npm
// packages included, bundled by esbuild, sharing their code in dist/chunks/ (one chunk per lazily loaded verb).
// Loading ~200 separate ES modules cost more than the work itself: `validate scenarios/*.yaml` took 0.56–0.77 s from
// a tsc build and takes ~0.27 s bundled (README "Commands"). Type checking is `npm run typecheck`'s job, and the
// API's type declarations (dist/types/) are scripts/build-types.mjs's.
import { rmSync } from 'node:fs'
import { build } from 'esbuild'

/**
 * The npm packages that go into the bundle: the ones every call loads (the CLI parser, YAML, zod). The others stay
 * imports of node_modules, because some read files beside their own module (@platformatic/wasm-utils its
 * native.wasm, @resvg/resvg-js its native addon) and a bundle would move them away from those files.
 */
const bundledPackages = ['commander', '@commander-js/extra-typings', 'yaml', 'zod']

/** An esbuild plugin that leaves every bare import outside `packages` external. */
function bundleOnly(packages) {
  const inBundle = (path) => packages.some((p) => path === p || path.startsWith(`${p}/`))
  return {
    name: 'bundle-only',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (inBundle(args.path) || args.path.startsWith('node:') ? undefined : { path: args.path, external: true }))
    },
  }
}

/** This script's outputs; dist/types/ belongs to scripts/build-types.mjs and is left alone. */
for (const dir of ['dist/cli', 'dist/api', 'dist/chunks', 'dist/run', 'dist/kafka']) rmSync(dir, { recursive: true, force: true })
await build({
  // The worker threads are entries of their own: harness/run/load-workers.ts starts dist/run/load-worker.js and
  // harness/kafka/threaded-consumer.ts dist/kafka/consumer-thread.js (found beside dist/cli, dist/api and
  // dist/chunks, one folder up) when they run from the bundle.
  entryPoints: { 'cli/index': 'cli/index.ts', 'api/index': 'api/index.ts', 'run/load-worker': 'harness/run/load-worker.ts', 'kafka/consumer-thread': 'harness/kafka/consumer-thread.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [bundleOnly(bundledPackages)],
  // CommonJS packages (commander, kafkajs, …) call require(), which an ES module lacks.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
})
