/** Leads for the simulation tests, scored by hand under test/fixtures/rules-admin/{active,candidate}.yaml. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LeadState } from '../../../lib/leads/lead-state';
import { compileRules, parseRulesText, type ScoringModel } from '../../../lib/scoring';

export const SIMULATION_AT = new Date('2024-06-01T00:00:00Z');
export const FIXTURES = join(__dirname, '../../fixtures/rules-admin');

export function loadModel(name: 'active' | 'candidate'): ScoringModel {
  const path = join(FIXTURES, `${name}.yaml`);
  const parsed = parseRulesText(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileRules(parsed.rules);
}

function lead(
  id: string,
  profile: Record<string, string>,
  demo = false,
  status: LeadState['status'] = 'active',
): LeadState {
  return {
    leadId: `hubspot:contact:${id}`,
    status,
    crm: { system: 'hubspot', objectType: 'contact', id },
    profile,
    profileAt: {},
    events: demo
      ? [{ id: `demo-${id}`, type: 'form.submitted', occurredAt: '2024-05-20T10:00:00.000Z' }]
      : [],
    version: 0,
  };
}

/**
 * Before (active) → after (candidate):
 * L1 VP, 50 people:             40 A marketing-qualified → 20 B lead
 * L2 VP, 2000 people:           40 A marketing-qualified → 50 A marketing-qualified
 * L3 engineer, 2000 people:      0 C lead                → 30 B lead
 * L4 engineer, 10 people:        0 C lead                →  0 C lead
 * L5 merged away: not scored
 * L6 VP, 10 people, demo:       70 A sales-qualified     → 50 B marketing-qualified
 */
export const SIMULATION_LEADS: readonly LeadState[] = [
  lead('1', { jobtitle: 'VP', numberofemployees: '50' }),
  lead('2', { jobtitle: 'VP', numberofemployees: '2000' }),
  lead('3', { jobtitle: 'Engineer', numberofemployees: '2000' }),
  lead('4', { jobtitle: 'Engineer', numberofemployees: '10' }),
  lead('5', { jobtitle: 'VP', numberofemployees: '2000' }, false, 'merged'),
  lead('6', { jobtitle: 'VP', numberofemployees: '10' }, true),
];
