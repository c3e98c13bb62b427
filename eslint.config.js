// @ts-check
import tseslint from 'typescript-eslint'

// Import direction (README "Layout"): generators import no harness, reports or cli; the results module
// (harness/results/) is a leaf; the compare module (harness/compare/) reads runs through harness/results only; the
// rest of harness imports no reports or cli; reports read runs through harness/results only (and render what
// harness/compare/index.ts returns); cli calls entry points only.
// The rule sees the import as written, so each pattern names the target folder after its `../`s.
const up = String.raw`^(\.\./)+`
const importRule = '@typescript-eslint/no-restricted-imports'

/** Entry points cli may import (repository paths). */
const cliEntryPoints = [String.raw`harness/[^/]+/index\.ts`, String.raw`harness/errors\.ts`, String.raw`generators/index\.ts`, String.raw`generators/scenario/index\.ts`, String.raw`reports/index\.ts`]

function cliImports() {
  const allowed = cliEntryPoints.join('|')
  return {
    [importRule]: ['error', { patterns: [{ regex: `${up}(?!(${allowed})$)(harness|generators|reports)/`, message: 'cli calls entry points only: harness/<module>/index.ts, harness/errors.ts, generators/index.ts, generators/scenario/index.ts, reports/index.ts. Export what cli needs from one of them.' }] }],
  }
}

const importDirection = [
  {
    files: ['generators/**'],
    rules: { [importRule]: ['error', { patterns: [{ regex: `${up}(harness|reports|cli)(/|$)`, message: 'generators are pure: they import nothing from harness/, reports/ or cli/ (those import generators, never the reverse).' }] }] },
  },
  {
    // Data flows harness -> reports: the CLI hands a finished run to reports/; the harness never calls them.
    files: ['harness/**'],
    rules: { [importRule]: ['error', { patterns: [{ regex: `${up}(reports|cli)(/|$)`, message: 'the harness imports neither reports/ nor cli/: data flows harness -> reports, and the CLI calls both.' }] }] },
  },
  {
    // After harness/**, so that for these files this stricter list replaces it.
    files: ['harness/results/**'],
    rules: {
      [importRule]: ['error', {
        patterns: [
          { regex: `${up}(harness/)?(run|score|measure|runtime|kafka|bench)(/|$)`, message: 'the results module is a leaf: nothing from harness/run, score, measure, runtime, kafka or bench (move the type it needs into harness/results/).' },
          { regex: `${up}(cli|reports)(/|$)`, message: 'the results module is a leaf: cli and reports import it, never the reverse.' },
          { regex: `${up}generators(/|$)`, allowTypeImports: true, message: 'the results module takes only types from generators (`import type`).' },
        ],
      }],
    },
  },
  {
    // After harness/**, like the results module. All the `../`s, then anything but results/, stats/ or errors.ts.
    files: ['harness/compare/**'],
    rules: {
      [importRule]: ['error', {
        patterns: [
          { regex: `${up}(?!\\.\\./)(?!(harness/)?((results|stats)/|errors\\.ts$))`, message: 'the compare module reads runs through harness/results only: it imports harness/results, harness/stats and harness/errors.ts, nothing else of the harness, nor generators, reports or cli.' },
        ],
      }],
    },
  },
  {
    files: ['reports/**'],
    rules: {
      [importRule]: ['error', {
        patterns: [
          { regex: `${up}harness/(?!(results/|compare/index\\.ts$|errors\\.ts$))`, message: 'reports read runs through harness/results/ only (render comparisons from harness/compare/index.ts, and throw harness/errors.ts errors).' },
          { regex: `${up}cli(/|$)`, message: 'reports do not import cli.' },
          { regex: `${up}generators(/|$)`, allowTypeImports: true, message: 'reports take only types from generators (`import type`), never generator code.' },
        ],
      }],
    },
  },
  { files: ['cli/**'], rules: cliImports() },
]

export default tseslint.config(
  { ignores: ['node_modules/', 'results/', 'pipelines/', 'dist/', 'bin/', 'scripts/', 'eslint.config.js', '**/*.d.ts'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  ...importDirection,
)
