/**
 * The error `telcobench generate` (generateToFiles) throws for an invalid scenario or shard. It lives with the
 * scenario language, which loads without the event generators, so a caller can test for it cheaply.
 */
/** Thrown for an invalid scenario or shard; carries the formatted issues. The CLI maps it to exit code 2. */
export class GenerateInputError extends Error {
  readonly issues: string[]
  constructor(message: string, issues: string[]) {
    super(message)
    this.name = 'GenerateInputError'
    this.issues = issues
  }
}
