import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { evaluationSchema, evaluationSchemaVersion, type EvaluationFile } from './evaluation-schema.ts'
import { assertVersion, checked, readJson, stringify } from './json-file.ts'

/** The files of a suite folder (`telcobench reproduce`) beside its experiments' folders. */
export const evaluationFiles = { evaluation: 'evaluation.json', suite: 'suite.yaml', markdown: 'evaluation.md', html: 'evaluation.html' } as const

/** Writes evaluation.json, checked against its schema first. */
export function writeEvaluationFile(dir: string, evaluation: EvaluationFile): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, evaluationFiles.evaluation), stringify(checked(evaluationSchema, evaluation, evaluationFiles.evaluation, 'writes')))
}

/** Reads a suite folder's evaluation.json: typed, validated, refused with a clear error when it is from another schema version. */
export function readEvaluation(dir: string): EvaluationFile {
  const file = join(dir, evaluationFiles.evaluation)
  const raw = readJson(file, 'pass a folder that `telcobench reproduce` wrote (results/<suite>-<size>-<time>-<id>/)')
  assertVersion(file, raw, evaluationSchemaVersion)
  return checked(evaluationSchema, raw, file, 'reads')
}
