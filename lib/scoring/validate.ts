/** Rules text or data → validated Rules, or every problem found, each as one readable line. */
import { isScalar, LineCounter, parseDocument, visit, type Alias, type Document, type YAMLError } from 'yaml';
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

/** How many copies of one anchored value aliases may make (the yaml library's guard against alias bombs). */
const MAX_ALIAS_COUNT = 100;

interface Placed {
  readonly offset: number;
  readonly message: string;
}

function syntaxProblem(error: YAMLError): Placed {
  const message =
    error.code === 'MULTIPLE_DOCS'
      ? 'a rules file holds one YAML document: remove this --- and the document after it'
      : (error.message.split('\n')[0] ?? error.message);
  return { offset: error.pos[0], message };
}

/** YAML features a rules file cannot use: aliases without an anchor before them, self-nesting aliases, merge keys. */
function unsupported(document: Document.Parsed): Placed[] {
  const found: Placed[] = [];
  visit(document, {
    Alias(_key, alias, ancestors) {
      const offset = alias.range?.[0] ?? 0;
      const target = alias.resolve(document);
      if (target === undefined) {
        found.push({
          offset,
          message: `unknown alias *${alias.source}: put the anchor &${alias.source} before it`,
        });
      } else if (ancestors.includes(target)) {
        found.push({
          offset,
          message: `alias *${alias.source} is inside the value &${alias.source} it repeats: write the value out`,
        });
      }
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        found.push({
          offset: pair.key.range?.[0] ?? 0,
          message: 'merge keys (<<) are not supported: write the keys out in full',
        });
      }
    },
  });
  return found;
}

/**
 * The document as plain data, or the alias whose expansion went over MAX_ALIAS_COUNT. The yaml library
 * throws without saying where, so each alias of this (throwaway) document notes itself when it fails.
 */
function toData(document: Document.Parsed): { readonly data: unknown } | { readonly tooMany: Alias } {
  let failed: Alias | undefined;
  visit(document, {
    Alias(_key, alias) {
      const expand = alias.toJSON.bind(alias);
      alias.toJSON = (...args: Parameters<Alias['toJSON']>) => {
        try {
          return expand(...args);
        } catch (error) {
          failed ??= alias;
          throw error;
        }
      };
    },
  });
  try {
    return { data: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    if (failed === undefined) throw error;
    return { tooMany: failed };
  }
}

/**
 * YAML or JSON (JSON is YAML 1.2), one document. Problems of the YAML itself (syntax, duplicate keys, a
 * second document, aliases, merge keys) come back as `file:line:col: message`, or `line:col: message`
 * without a file name, and stop there; then the rules are validated (`path: message`).
 */
export function parseRulesText(text: string, fileName?: string): RulesValidation {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const prefix = fileName === undefined ? '' : `${fileName}:`;
  const placed = (found: readonly Placed[]): RulesValidation => ({
    ok: false,
    problems: found.map(({ offset, message }) => {
      const { line, col } = lineCounter.linePos(offset);
      return `${prefix}${line}:${col}: ${message}`;
    }),
  });
  if (document.errors.length > 0) return placed(document.errors.map(syntaxProblem));
  const unsupportedParts = unsupported(document);
  if (unsupportedParts.length > 0) return placed(unsupportedParts);
  if (document.contents === null) {
    return { ok: false, problems: [`${fileName === undefined ? '' : `${fileName}: `}the file is empty`] };
  }
  const converted = toData(document);
  if ('tooMany' in converted) {
    return placed([
      {
        offset: converted.tooMany.range?.[0] ?? 0,
        message: `aliases here would repeat values more than ${MAX_ALIAS_COUNT} times: write the values out`,
      },
    ]);
  }
  return validateRules(converted.data);
}
