import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseExecutorCommandLine, prepareSparkHome } from './spark-standalone.ts'

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const tempHome = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'telcobench-spark-home-'))
  made.push(dir)
  return join(dir, 'home')
}

describe('parseExecutorCommandLine', () => {
  it('reads the executor and application ids of an executor a worker launched, and nothing else', () => {
    // As a worker launches it (/proc/<pid>/cmdline joined by spaces).
    const executor = '/usr/lib/jvm/java-17-openjdk-amd64/bin/java -cp /r/spark-cluster/home/conf/:/r/spark-cluster/home/jars/* -Xmx1024M -Dspark.driver.port=41235 -Djava.io.tmpdir=/r/tmp org.apache.spark.executor.CoarseGrainedExecutorBackend --driver-url spark://CoarseGrainedScheduler@127.0.0.1:41235 --executor-id 3 --hostname 127.0.0.1 --cores 1 --app-id app-20261130172443-0000 --worker-url spark://Worker@127.0.0.1:37123 --resourceProfileId 0'
    expect(parseExecutorCommandLine(executor)).toEqual({ executorId: '3', appId: 'app-20261130172443-0000' })
    expect(parseExecutorCommandLine('java -cp x org.apache.spark.deploy.worker.Worker --host 127.0.0.1 spark://127.0.0.1:7077')).toBeNull()
  })
})

describe('prepareSparkHome', () => {
  it('links every jar of the classpath into jars/ (the last one too: the classpath file has no trailing newline) and writes the logging config', () => {
    const home = tempHome()
    prepareSparkHome(home, '/m2/a/spark-core_2.13-4.1.1.jar:/m2/b/kafka-clients-4.2.0.jar:/m2/c/commons-pool2-2.12.1.jar')
    expect(readdirSync(join(home, 'jars')).sort()).toEqual(['commons-pool2-2.12.1.jar', 'kafka-clients-4.2.0.jar', 'spark-core_2.13-4.1.1.jar'])
    expect(readlinkSync(join(home, 'jars', 'commons-pool2-2.12.1.jar'))).toBe('/m2/c/commons-pool2-2.12.1.jar')
    expect(readFileSync(join(home, 'conf', 'log4j2.properties'), 'utf8')).toContain('appender.console.target = SYSTEM_OUT')
  })

  it('refuses two different jars with one file name, which one folder cannot hold', () => {
    expect(() => {
      prepareSparkHome(tempHome(), '/m2/a/util-1.0.jar:/m2/b/util-1.0.jar')
    }).toThrow(/two jars of the Spark classpath share the name util-1.0.jar/)
  })
})
