import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../helpers.ts'

const scenario = 'scenarios/quickstart.yaml'
const storedRun = 'test/fixtures/run-quickstart'
/** Results folder of the refused runs: it must stay empty. */
const never = mkdtempSync(join(tmpdir(), 'telcobench-usage-'))

/** argv → a substring of stderr; every one is a usage error: exit 2, one message, a fix line, no stack trace. */
const usageErrors: [string, string[], string][] = [
  ['no verb', [], 'no command given'],
  ['unknown verb', ['frobnicate'], "unknown command 'frobnicate'"],
  ['help on an unknown verb', ['help', 'frobnicate'], "unknown command 'frobnicate'"],
  ['misspelt verb', ['rnu', scenario], "unknown command 'rnu'"],
  ['missing scenario argument', ['run'], "missing required argument 'scenario'"],
  ['missing files argument', ['validate'], "missing required argument 'files'"],
  ['excess argument', ['run', scenario, 'second.yaml'], "too many arguments for 'run'"],
  ['excess argument to down', ['down', 'now'], "too many arguments for 'down'"],
  ['unknown flag', ['run', scenario, '--bogus'], "unknown option '--bogus'"],
  ['unknown flag on validate', ['validate', scenario, '--strict'], "unknown option '--strict'"],
  ['bad --runtime', ['run', scenario, '--runtime', 'cloud'], "argument 'cloud' is invalid. Allowed choices are local, containers, external"],
  ['bad --guarantee', ['run', scenario, '--guarantee', 'exactly-twice'], 'Allowed choices are at-least-once, exactly-once'],
  ['bad --kafka-client', ['run', scenario, '--kafka-client', 'rdkafka'], 'Allowed choices are platformatic, kafkajs'],
  ['bad --sasl-mechanism', ['run', scenario, '--runtime', 'external', '--bootstrap', 'k:9092', '--sasl-mechanism', 'md5'], 'Allowed choices are plain, scram-sha-256, scram-sha-512'],
  ['flag without its value', ['run', scenario, '--runtime'], "option '--runtime <kind>' argument missing"],
  ['--set without =', ['run', scenario, '--set', 'durationS'], "option '--set <key=value>' argument 'durationS' is invalid. Write key=value"],
  ['--repeat 0', ['run', scenario, '--repeat', '0'], "option '--repeat <n>' argument '0' is invalid. Write a whole number of runs from 1 to 100"],
  ['--repeat above 100', ['run', scenario, '--repeat', '101'], "option '--repeat <n>' argument '101' is invalid. Write a whole number of runs from 1 to 100"],
  ['--repeat not a whole number', ['run', scenario, '--repeat', '2.5'], "option '--repeat <n>' argument '2.5' is invalid"],
  ['--repeat without a number', ['run', scenario, '--repeat', 'twice'], "option '--repeat <n>' argument 'twice' is invalid"],
  ['missing --out', ['generate', scenario], "required option '--out <dir>' not specified"],
  ['bad --shard', ['generate', scenario, '--out', never, '--shard', '4/3'], "argument '4/3' is invalid. Write i/n with 1 ≤ i ≤ n"],
  ['bad --port', ['up', '--port', 'abc'], "argument 'abc' is invalid. Write a port number from 1 to 65535"],
  ['--port out of range', ['up', '--port', '70000'], "argument '70000' is invalid"],
  ['bad --bootstrap', ['run', scenario, '--runtime', 'external', '--bootstrap', 'kafka1'], '"kafka1" is not host:port'],
  ['external without --bootstrap', ['run', scenario, '--runtime', 'external'], 'the external runtime needs the Kafka bootstrap servers'],
  ['external-only flag on local', ['run', scenario, '--tls'], '--tls only apply to --runtime external'],
  ['--spark-submit without --spark-master', ['run', scenario, '--runtime', 'external', '--bootstrap', 'k:9092', '--spark-submit', '/opt/spark/bin/spark-submit'], '--spark-submit needs --spark-master'],
  ['SASL without a password', ['run', scenario, '--runtime', 'external', '--bootstrap', 'k:9092', '--sasl-mechanism', 'plain', '--sasl-username', 'u', '--sasl-password-env', 'TELCOBENCH_TEST_UNSET'], 'SASL needs a user name and a password'],
  ['bad --set value', ['run', scenario, '--set', 'duration=soon', '--results', never], 'scenarios/quickstart.yaml (--set duration=soon)  duration  "soon": expected a duration'],
  ['scenario file missing', ['run', 'scenarios/no-such-scenario.yaml', '--results', never], 'cannot read the scenario file scenarios/no-such-scenario.yaml'],
  ['report without a run folder', ['report'], "missing required argument 'run-dirs'"],
  ['bad report --format', ['report', never, '--format', 'pdf'], 'Allowed choices are html, md, svg, png'],
  ['report of a folder that is no run', ['report', never], `${join(never, 'results.json')} does not exist`],
  ['compare without runs', ['compare'], 'compare needs a baseline and a candidate'],
  ['compare with one run', ['compare', storedRun], 'compare needs a baseline and a candidate'],
  ['compare with too many runs', ['compare', storedRun, storedRun, storedRun], "too many arguments for 'compare'"],
  ['compare with runs as arguments and flags', ['compare', storedRun, storedRun, '--candidate', storedRun], 'compare got run folders both as arguments'],
  ['compare --baseline without --candidate', ['compare', '--baseline', storedRun], 'compare needs both --baseline and --candidate (got only --baseline)'],
  ['compare of a folder that holds no run', ['compare', never, storedRun], `${never} holds no results.json, nor does any folder inside it`],
  ['compare rule without a sign', ['compare', storedRun, storedRun, '--fail-on', 'rated.p99 10%'], "--fail-on 'rated.p99 10%': the tolerance needs a sign"],
  ['compare rule on no metric', ['compare', storedRun, storedRun, '--fail-on', 'rated.p98 +10%'], "--fail-on 'rated.p98 +10%': no metric of these runs is called rated.p98"],
  ['compare rule against the direction', ['compare', storedRun, storedRun, '--fail-on', 'billing.charge_exact_match_ratio +0'], "billing.charge_exact_match_ratio is higher-is-better, so its worsening is a decrease"],
  ['bad compare --confidence', ['compare', storedRun, storedRun, '--confidence', '95'], "argument '95' is invalid. Write a confidence level between 0.5 and 1"],
  ['bad compare --resamples', ['compare', storedRun, storedRun, '--resamples', '0'], "argument '0' is invalid. Write a whole number of at least 1"],
]

describe('usage errors exit 2, never 1 (1 means a threshold failed)', () => {
  it.each(usageErrors)('%s', async (_, argv, message) => {
    const r = await runCli(argv)
    expect(r.stderr).toContain(message)
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('fix:')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stderr).not.toContain('Kafka ready')
  }, 30_000)

  it('leaves no run folder behind', () => {
    expect(readdirSync(never)).toEqual([])
  })
})

// At the top level, not in the describe above: a run filtered to other tests (-t) skips that describe's hooks.
afterAll(() => {
  rmSync(never, { recursive: true, force: true })
})

describe('--help and --version exit 0', () => {
  it.each([[['--help']], [['run', '--help']], [['help', 'generate']], [['validate', '-h']]])('%j', async (argv) => {
    const r = await runCli(argv)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('Exit codes:')
  }, 30_000)

  it('a reader that closes the pipe early gets no stack trace (`telcobench run --help | head -1`)', async () => {
    const { child, done } = startCli(['run', '--help'])
    // Closed before the CLI has started (~1 s), so every write of the help meets a closed pipe.
    child.stdout?.destroy()
    const r = await done
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
  }, 30_000)

  it('--version prints the version of package.json', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default
    const r = await runCli(['--version'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout.trim()).toBe(version)
  }, 30_000)
})
