import type { CheckReport } from './findingsJson';

const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, as code-scanning services read it (1-based lines and columns). */
export function formatSarif(report: CheckReport, version: string): string {
  const rules = [...new Set(report.findings.map((f) => f.ruleId))].sort().map((id) => ({ id, name: id }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'agentgov', informationUri: 'https://github.com/agentgov/cedar-agent-governance', version, rules },
        },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          level: LEVEL[f.severity] ?? 'note',
          message: { text: f.help ? `${f.message} (${f.help})` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          ...(f.frameworks ? { properties: { frameworks: f.frameworks } } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
