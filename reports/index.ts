/**
 * reports/: every rendering of a run, from typed run data (read through harness/results only) to documents:
 * the terminal summary, report.html with its charts, summary.md, timeline.csv and the .hlog interval logs; and
 * every rendering of a comparison of runs (harness/compare): terminal, Markdown, JUnit XML, JSON, GitHub annotations.
 */
export { renderSummary } from './summary/terminal.ts'
export { loadReportRun, type ReportRun } from './run-data.ts'
export { writeRunReport, writeCompareReport, writeChartImages, markdownOf, type RunReportFiles } from './write.ts'
export { renderSetMarkdown, renderSetSummary, writeSetMarkdown } from './set.ts'
export { renderComparisonTerminal, renderComparisonMarkdown, renderComparisonJunit, renderComparisonJson, githubAnnotations } from './comparison/index.ts'
export { writeCapacityReport, renderCapacityMarkdown, renderCapacityHtml } from './capacity/index.ts'
export { writeEvaluationReport, renderEvaluationMarkdown, renderEvaluationHtml, renderEvaluationTerminal } from './evaluation/index.ts'
export { startDashboard, type Dashboard } from './dashboard/server.ts'
