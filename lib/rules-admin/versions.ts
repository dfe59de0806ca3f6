/** The rule set's history for people: a table of versions with the active one marked, and a version as YAML. */
import { stringify } from 'yaml';
import type { ActivePointer, RuleVersion } from '../adapters/dynamodb-rule-store';
import { orderedRules } from './key-order';

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** Newest first; `*` marks the active version. */
export function versionsTable(versions: readonly RuleVersion[], active: ActivePointer | undefined): string[] {
  const rows = [...versions]
    .sort((a, b) => b.version - a.version)
    .map((version) => ({
      mark: version.version === active?.version ? '*' : ' ',
      version: String(version.version),
      created: version.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      by: version.createdBy,
      note: version.note ?? '',
    }));
  const width = (key: 'version' | 'created' | 'by') =>
    Math.max(key.length, ...rows.map((row) => row[key].length));
  const [v, c, b] = [width('version'), width('created'), Math.min(24, width('by'))];
  const lines = [`  ${'VERSION'.padStart(v)}  ${'CREATED'.padEnd(c)}  ${cell('BY', b)}  NOTE`.trimEnd()];
  for (const row of rows) {
    lines.push(
      `${row.mark} ${row.version.padStart(Math.max(v, 7))}  ${row.created.padEnd(c)}  ${cell(row.by, b)}  ${row.note}`.trimEnd(),
    );
  }
  return lines;
}

export function versionYaml(version: RuleVersion, active: ActivePointer | undefined): string {
  const status = version.version === active?.version ? 'active' : 'not active';
  const header = [
    `# rules "${version.name}" version ${version.version} (${status}), pushed ${version.createdAt} by ${version.createdBy}`,
    ...(version.note ? [`# note: ${version.note}`] : []),
  ];
  return `${header.join('\n')}\n${stringify(orderedRules(version.rules), { lineWidth: 0 })}`;
}
