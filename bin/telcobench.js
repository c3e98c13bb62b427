#!/usr/bin/env node
// Node 20 cannot run TypeScript itself: tsx's loader compiles the sources on the fly.
import { register } from 'tsx/esm/api'

register()
await import('../cli/index.ts')
