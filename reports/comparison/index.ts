/** Every rendering of a comparison (harness/compare): terminal, Markdown, JUnit XML, JSON, GitHub annotations. */
export { renderComparisonTerminal } from './terminal.ts'
export { renderComparisonMarkdown } from './markdown.ts'
export { renderComparisonJunit } from './junit.ts'
export { renderComparisonJson, comparisonJsonVersion } from './json.ts'
export { githubAnnotations } from './annotations.ts'
