/** Scores a lead's state with the active model: result, due time, event retention, and whether to write back. */
// Deep imports: the rules schema (and zod with it) is not needed to score.
import type { ScoringModel } from '../scoring/model';
import { scoreLead } from '../scoring/score-lead';
import { toEpochMs } from '../scoring/time';
import type { LeadScore, LeadState, StoredEvent } from './lead-state';
import { nextChangeAt } from './next-change';

/** Events kept per lead when rules need them forever (`once`, re-engagement, no window): the newest. */
export const MAX_EVENTS_PER_LEAD = 2000;

export interface ScoredModel {
  readonly model: ScoringModel;
  readonly version: number;
}

/** Reasons as CRM text: `title-exec +20, pricing-page +17.9`, largest first, bounded for a text field. */
export function reasonsText(reasons: readonly { rule: string; points: number }[]): string {
  const text = reasons.map(({ rule, points }) => `${rule} ${points > 0 ? '+' : ''}${points}`).join(', ');
  return text.length > 250 ? `${text.slice(0, 249)}…` : text;
}

export function rescore(state: LeadState, { model, version }: ScoredModel, at: Date): LeadState {
  if (state.status !== 'active') {
    const { nextChangeAt: _due, ...rest } = state;
    return rest;
  }
  const events = retained(state.events, model, at.getTime());
  const result = scoreLead(model, { id: state.leadId, profile: state.profile, events }, at);
  const score: LeadScore = {
    score: result.score,
    fit: result.fit,
    engagement: result.engagement,
    grade: result.grade,
    stage: result.stage,
    reasons: reasonsText(result.reasons),
    rulesVersion: version,
    scoredAt: at.toISOString(),
  };
  const due = nextChangeAt(model, events, result, at.getTime());
  const { nextChangeAt: _previous, ...rest } = state;
  return {
    ...rest,
    events,
    score,
    ...(due === undefined ? {} : { nextChangeAt: new Date(due).toISOString() }),
  };
}

/** What the CRM shows changed since we last announced it (score, grade, stage or reasons). */
export function writeBackDue(state: LeadState): boolean {
  const { score, emitted } = state;
  if (state.status !== 'active' || !state.crm || !score) return false;
  return (
    !emitted ||
    emitted.score !== score.score ||
    emitted.grade !== score.grade ||
    emitted.stage !== score.stage ||
    emitted.reasons !== score.reasons
  );
}

export function qualificationChanged(state: LeadState): boolean {
  return state.score?.grade !== state.emitted?.grade || state.score?.stage !== state.emitted?.stage;
}

function retained(events: readonly StoredEvent[], model: ScoringModel, atMs: number): readonly StoredEvent[] {
  let kept = events;
  if (Number.isFinite(model.longestWindowMs)) {
    const horizon = atMs - model.longestWindowMs;
    // Future-dated events stay: they count once their time comes.
    kept = kept.filter((event) => toEpochMs(event.occurredAt) > horizon);
  }
  return kept.length > MAX_EVENTS_PER_LEAD ? kept.slice(kept.length - MAX_EVENTS_PER_LEAD) : kept;
}
