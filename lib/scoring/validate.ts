/** Rules text or data → validated Rules, or every problem found, each as one readable line. */
import { LineCounter, parseDocument } from 'yaml';
import { problemsFromZod, zodMessage } from './problems';
import { RulesSchema, type Rules } from './schema';
import { semanticProblems } from './semantic-checks';

export type RulesValidation = { ok: true; rules: Rules } | { ok: false; problems: string[] };

export function validateRules(data: unknown): RulesValidation {
  const parsed = RulesSchema.safeParse(data, { error: zodMessage });
  const problems = [
    ...(parsed.success ? [] : problemsFromZod(parsed.error.issues)),
    ...semanticProblems(data),
  ];
  const unique = [...new Set(problems)];
  if (parsed.success && unique.length === 0) return { ok: true, rules: parsed.data };
  return { ok: false, problems: unique };
}

/**
 * YAML or JSON (JSON is YAML 1.2). Syntax errors come back as `file:line:col: message`, or
 * `line:col: message` without a file name; duplicate keys count as syntax errors.
 */
export function parseRulesText(text: string, fileName?: string): RulesValidation {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const prefix = fileName === undefined ? '' : `${fileName}:`;
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${prefix}${line}:${col}: ${error.message.split('\n')[0] ?? error.message}`;
      }),
    };
  }
  return validateRules(document.toJS({ maxAliasCount: 100 }));
}
