#!/usr/bin/env node
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Runs the JavaScript build (dist/, made by `npm run build`, which `npm ci` runs as `prepare`) when it is at least as
// new as every TypeScript source beside it; an installed package ships no sources, so it always runs the build.
// Otherwise (a developer edited a source since the last build) tsx compiles the sources on the fly, 2–5 s slower.
const root = fileURLToPath(new URL('../', import.meta.url))
const built = `${root}dist/cli/index.js`

function newestSourceMs() {
  let newest = 0
  for (const dir of ['cli', 'harness', 'generators', 'reports']) {
    if (!existsSync(root + dir)) continue
    for (const file of readdirSync(root + dir, { recursive: true })) {
      if (file.endsWith('.ts') && !file.endsWith('.test.ts')) newest = Math.max(newest, statSync(`${root}${dir}/${file}`).mtimeMs)
    }
  }
  return newest
}

if (existsSync(built) && statSync(built).mtimeMs >= newestSourceMs()) {
  await import(built)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../cli/index.ts')
}
