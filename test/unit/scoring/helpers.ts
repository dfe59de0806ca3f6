// Shared test helpers for the scoring engine: valid models from literal rules, and timestamps relative to now.
import {
  compileRules,
  validateRules,
  type Rules,
  type ScoringEvent,
  type ScoringModel,
} from '../../../lib/scoring';

export const NOW = new Date('2024-06-01T12:00:00Z');
export const DAY = 86_400_000;

/** Compiles rules after validating them, so that tests never run on a document the validator would refuse. */
export function model(rules: Omit<Rules, 'name'> & { name?: string }): ScoringModel {
  const result = validateRules({ name: 'test', ...rules });
  if (!result.ok) throw new Error(`invalid test rules:\n${result.problems.join('\n')}`);
  return compileRules(result.rules);
}

/** ISO time `days` before NOW (fractions allowed). */
export function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY).toISOString();
}

let nextId = 0;

export function event(type: string, days: number, fields: Record<string, unknown> = {}): ScoringEvent {
  nextId++;
  return { id: `e${nextId}`, type, occurredAt: daysAgo(days), ...fields };
}
