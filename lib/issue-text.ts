/** zod issues as people read them: `path: message`, for 400 reasons, dead letters and configuration errors. */
import type * as z from 'zod/mini';

/**
 * Where and what the first problem of a failed parse is, as `path: message` (`who.crm.id: a CRM id has at
 * most 255 characters`): for 400 reasons and dead letters. Zod's messages name types and limits, never the
 * offending value, so nothing a caller sent is echoed.
 */
export function firstIssue(error: { readonly issues: readonly z.core.$ZodIssue[] }): string {
  const issue = error.issues[0];
  return issue === undefined ? 'invalid' : issueText(issue);
}

/** One issue as `path: message`, or the message alone at the root. */
export function issueText(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  const message = issue.message === 'Invalid input' ? describeIssue(issue) : issue.message;
  return path === '' ? message : `${path}: ${message}`;
}

/** zod/mini carries no messages (their locale would grow the ingest bundle): the common issues, briefly. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'undefined'
        ? 'expected nothing here'
        : `expected ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'datetime' ? 'expected an ISO-8601 time' : `expected a valid ${issue.format}`;
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? 'cannot be empty'
        : `expected at least ${issue.minimum}${issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `expected at most ${issue.maximum}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_union':
      return 'not of an accepted type';
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    default:
      return 'invalid';
  }
}
