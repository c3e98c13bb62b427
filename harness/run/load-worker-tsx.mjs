// The generator worker's entry when telcobench runs from its TypeScript sources (tsx, vitest): a worker thread does
// not inherit its parent's module loader, so it registers tsx itself before loading load-worker.ts. The built CLI
// starts dist/run/load-worker.js instead (harness/run/load-workers.ts workerEntry).
import { register } from 'tsx/esm/api'

register()
await import('./load-worker.ts')
