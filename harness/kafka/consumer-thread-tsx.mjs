// The consumer thread's entry when telcobench runs from its TypeScript sources (tsx, vitest): a worker thread does
// not inherit its parent's module loader, so it registers tsx itself before loading consumer-thread.ts. The built
// CLI starts dist/kafka/consumer-thread.js instead (harness/kafka/threaded-consumer.ts consumerThreadEntry).
import { register } from 'tsx/esm/api'

register()
await import('./consumer-thread.ts')
