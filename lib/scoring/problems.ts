/** Validation problems as the one-line `path: message` strings people read (`engagement[2].points: expected a number`). */
import { editDistance } from '../edit-distance';
import type { z } from 'zod';
import { KNOWN_KEYS } from './schema';

export type PathSegment = string | number | symbol;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment))
      text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? '(root)' : text;
}

export function problem(path: readonly PathSegment[], message: string): string {
  return `${formatPath(path)}: ${message}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

type RawIssue = z.core.$ZodRawIssue;

/**
 * Per-parse error map: plain words instead of zod's defaults. A missing key reads "expected a number"
 * like a wrong one, which says what to write in both cases. Messages set on a schema take precedence.
 */
export function zodMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'array') {
        return issue.minimum === 1
          ? 'expected at least one item'
          : `expected at least ${String(issue.minimum)} items`;
      }
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      return 'expected one of the allowed forms';
    default:
      return undefined;
  }
}

/** The known word closest to `word` (ignoring case) within two edits, for "did you mean" hints. */
export function closestWord(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function suggestion(key: string): string {
  const best = closestWord(key, KNOWN_KEYS);
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

/** One problem per zod issue, and one per unknown key so that each typo is named. */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[]): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push(problem([...issue.path, key], `unknown key${suggestion(key)}`));
    } else {
      problems.push(problem(issue.path, issue.message));
    }
  }
  return problems;
}
