import { join } from 'node:path'
import { packageRoot } from '../install/index.ts'

/** Repository (or installed package) root. */
export const repoRoot = packageRoot
export const pipelinesDir = join(repoRoot, 'pipelines')
export const kafkaClasspathFile = join(pipelinesDir, 'kafka', 'target', 'kafka.classpath')
export const sparkClasspathFile = join(pipelinesDir, 'spark', 'target', 'spark.classpath')
export const cassandraClasspathFile = join(pipelinesDir, 'cassandra', 'target', 'cassandra.classpath')
/** The serving store's tables (CQL), created in each run's keyspace. */
export const cassandraSchemaFile = join(pipelinesDir, 'cassandra', 'schema.cql')
export const sparkJobJar = join(pipelinesDir, 'spark', 'target', 'telcobench-spark-0.1.0.jar')
export const flinkClasspathFile = join(pipelinesDir, 'flink', 'target', 'flink.classpath')
export const flinkJobJar = join(pipelinesDir, 'flink', 'target', 'telcobench-flink-0.1.0.jar')
/** Written after every good Maven build: the jars count as current while it is newer than every pom and source. */
export const jvmBuildStampFile = join(pipelinesDir, 'target', 'telcobench-build.stamp')
/** Where runs go unless `--results` says otherwise: results/ in the working directory, like any build output. */
export const defaultResultsRoot = (): string => join(process.cwd(), 'results')
/** Where `telcobench up` records the runtime it left running. */
export const upStateDir = join(repoRoot, '.telcobench')
export const upStateFile = join(upStateDir, 'runtime.json')

/** java.io.tmpdir of the JVMs started for `dir` (a run folder, a broker folder): their temp files stay inside it. */
export const jvmTmpDir = (dir: string): string => join(dir, 'tmp')

