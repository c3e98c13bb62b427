/** The runtimes' entry point for the CLI: the lifecycle verbs and the kinds a run may choose. */
export { createRuntime, ownsBroker, type Runtime, type RuntimeKind, type StreamingEngine, type StreamingJob, type EngineJobConfig } from './runtime.ts'
export { startUpRuntime, stopUpRuntime } from './up.ts'
export { detectJava } from './java.ts'
export { brokerJvmProfiles, type BrokerJvmProfile } from './kafka-broker.ts'
export { ensureJvmArtifacts } from './maven.ts'
export { killAllNow, stopAll } from './processes.ts'
