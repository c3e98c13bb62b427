import { describe, expect, it } from 'vitest'
import { sparkSubmitArgs } from './external.ts'

const settings = { command: 'spark-submit', master: 'spark://m:7077', extraArgs: ['--deploy-mode', 'client'], sparkVersion: '4.1.1' }

describe('spark-submit arguments', () => {
  it('adds no JVM options when the scenario sets none', () => {
    const args = sparkSubmitArgs(settings, 'telcobench.spark.StreamingApp', ['--config', 'job.json'])
    expect(args).not.toContain('--driver-java-options')
    expect(args.slice(-3)).toEqual([expect.stringMatching(/telcobench-spark-.*\.jar$/) as unknown, '--config', 'job.json'])
  })

  it("gives spark.jvmOptions to the driver and the executors, before the user's own spark-submit arguments", () => {
    const args = sparkSubmitArgs(settings, 'telcobench.spark.StreamingApp', [], ['-XX:MaxGCPauseMillis=20', '-Xss4m'])
    const at = args.indexOf('--driver-java-options')
    expect(args.slice(at, at + 4)).toEqual(['--driver-java-options', '-XX:MaxGCPauseMillis=20 -Xss4m', '--conf', 'spark.executor.extraJavaOptions=-XX:MaxGCPauseMillis=20 -Xss4m'])
    expect(at).toBeLessThan(args.indexOf('--deploy-mode'))
  })
})
