import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers.ts'

// In the jvm project (it needs no JVM) because it is slow: `npm pack` builds the bundle and the type declarations
// (~20 s) and the install resolves every dependency from npm's cache (~40 s on the 2-core machine).

const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'telcobench-pack-'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

const consumerMjs = `import { validateScenario } from 'telcobench'
const result = await validateScenario('node_modules/telcobench/scenarios/quickstart.yaml')
console.log(result.ok ? result.scenario.name + ' ' + result.scenario.wallDurationS : 'invalid')
`

// Compiles only with the shipped types: without them `result` is `any`, and the expected error does not occur.
const consumerTs = `import { validateScenario, type ValidationResult } from 'telcobench'
const result: ValidationResult = await validateScenario('x.yaml')
if (result.ok) {
  // @ts-expect-error: a scenario's name is a string
  const name: number = result.scenario.name
  console.log(name)
}
`

describe('npm pack', () => {
  it('makes a tarball that installs into an empty folder, runs `npx telcobench validate` and imports as a typed module', async () => {
    const packDir = join(work, 'pack')
    const app = join(work, 'app')
    mkdirSync(packDir)
    mkdirSync(app)
    await run('npm', ['pack', '--pack-destination', packDir], { cwd: repoRoot, maxBuffer: 64 << 20 })
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'))
    expect(tarballs).toHaveLength(1)
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    await run('npm', ['i', join(packDir, tarballs[0] ?? ''), '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, maxBuffer: 64 << 20 })

    const validate = await run('npx', ['--no', 'telcobench', 'validate', 'node_modules/telcobench/scenarios/quickstart.yaml'], { cwd: app })
    expect(validate.stderr).toContain('✓ node_modules/telcobench/scenarios/quickstart.yaml  (quickstart: 30 s wall')
    expect(validate.stderr).toContain('1 file(s): 0 error(s), 0 warning(s)')

    writeFileSync(join(app, 'consumer.mjs'), consumerMjs)
    expect((await run(process.execPath, ['consumer.mjs'], { cwd: app })).stdout).toBe('quickstart 30\n')

    writeFileSync(join(app, 'consumer.ts'), consumerTs)
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
    const typeRoots = join(repoRoot, 'node_modules', '@types')
    await run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023', '--types', 'node', '--typeRoots', typeRoots, 'consumer.ts'], { cwd: app })
  })
})
