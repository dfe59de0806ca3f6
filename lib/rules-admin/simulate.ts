/**
 * What a candidate rule set would change before anyone publishes it: every active lead scored under the
 * active rules and the candidate (profile and events as stored, at one time), summed up as grade and
 * stage transition matrices, threshold crossings and the biggest movers. Leads are folded in one at a
 * time, so memory stays flat however many there are.
 */
import type { LeadState } from '../leads/lead-state';
import { reasonsText } from '../leads/rescore';
import { scoreLead, type ScoreResult, type ScoringModel } from '../scoring';

export interface TransitionMatrix {
  /** Row labels (before) and column labels (after), ladder order first, then any others seen. */
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** counts[i][j]: leads that went from from[i] to to[j]. */
  readonly counts: readonly (readonly number[])[];
}

export interface Crossing {
  /** A candidate stage (all but the catch-all) and its threshold. */
  readonly stage: string;
  readonly min: number;
  /** Leads that reach the stage (or above) only under the candidate. */
  readonly up: number;
  /** Leads that reach it only under the active rules. */
  readonly down: number;
}

export interface ScoreSide {
  readonly score: number;
  readonly fit: number;
  readonly grade: string;
  readonly stage: string;
  readonly reasons: string;
}

export interface Mover {
  readonly leadId: string;
  readonly delta: number;
  readonly before: ScoreSide;
  readonly after: ScoreSide;
}

export interface SimulationReport {
  readonly at: string;
  readonly leads: number;
  /** Stored leads that are not active (merged, deleted, erased): not scored. */
  readonly skipped: number;
  readonly scoreChanged: number;
  readonly gradeChanged: number;
  readonly stageChanged: number;
  readonly meanBefore: number;
  readonly meanAfter: number;
  readonly grades: TransitionMatrix;
  readonly stages: TransitionMatrix;
  readonly crossings: readonly Crossing[];
  readonly movers: readonly Mover[];
}

type Ladder = readonly { readonly label: string; readonly min: number }[];

const ladderOf = (
  entries: readonly { min?: number | undefined }[] | undefined,
  label: (i: number) => string,
): Ladder =>
  (entries ?? []).map((entry, i) => ({ label: label(i), min: entry.min ?? Number.NEGATIVE_INFINITY }));

function gradeLadder(model: ScoringModel): Ladder {
  const grades = model.rules.grades;
  return ladderOf(grades, (i) => grades?.[i]?.grade ?? '');
}

function stageLadder(model: ScoringModel): Ladder {
  const stages = model.rules.stages;
  return ladderOf(stages, (i) => stages?.[i]?.stage ?? '');
}

class Matrix {
  private readonly cells = new Map<string, Map<string, number>>();

  add(from: string, to: string): void {
    const row = this.cells.get(from) ?? new Map<string, number>();
    row.set(to, (row.get(to) ?? 0) + 1);
    this.cells.set(from, row);
  }

  result(fromOrder: readonly string[], toOrder: readonly string[]): TransitionMatrix {
    const seenTo = new Set<string>();
    for (const row of this.cells.values()) for (const to of row.keys()) seenTo.add(to);
    const from = [...new Set([...fromOrder, ...this.cells.keys()])];
    const to = [...new Set([...toOrder, ...seenTo])];
    return { from, to, counts: from.map((f) => to.map((t) => this.cells.get(f)?.get(t) ?? 0)) };
  }
}

function side(result: ScoreResult): ScoreSide {
  return {
    score: result.score,
    fit: result.fit,
    grade: result.grade,
    stage: result.stage,
    reasons: reasonsText(result.reasons),
  };
}

export class Simulation {
  private leads = 0;
  private skipped = 0;
  private scoreChanged = 0;
  private gradeChanged = 0;
  private stageChanged = 0;
  private sumBefore = 0;
  private sumAfter = 0;
  private readonly grades = new Matrix();
  private readonly stages = new Matrix();
  private readonly candidateStages: Ladder;
  private readonly activeStages: Ladder;
  private readonly up: number[];
  private readonly down: number[];
  /** Kept sorted by |delta| descending, then lead id; never longer than `top`. */
  private readonly movers: Mover[] = [];

  constructor(
    private readonly active: ScoringModel,
    private readonly candidate: ScoringModel,
    private readonly at: Date,
    private readonly top = 10,
  ) {
    this.candidateStages = stageLadder(candidate);
    this.activeStages = stageLadder(active);
    this.up = this.candidateStages.map(() => 0);
    this.down = this.candidateStages.map(() => 0);
  }

  add(lead: LeadState): void {
    if (lead.status !== 'active') {
      this.skipped++;
      return;
    }
    const input = { id: lead.leadId, profile: lead.profile, events: lead.events };
    const before = scoreLead(this.active, input, this.at);
    const after = scoreLead(this.candidate, input, this.at);
    this.leads++;
    this.sumBefore += before.score;
    this.sumAfter += after.score;
    if (before.score !== after.score) this.scoreChanged++;
    if (before.grade !== after.grade) this.gradeChanged++;
    if (before.stage !== after.stage) this.stageChanged++;
    this.grades.add(before.grade, after.grade);
    this.stages.add(before.stage, after.stage);
    this.countCrossings(before, after);
    this.keepMover(lead.leadId, before, after);
  }

  /** Whether a result reaches stage `index` of the candidate ladder (or a higher one), in its own rules. */
  private reaches(ladder: Ladder, result: ScoreResult, index: number): boolean {
    const target = this.candidateStages[index];
    if (!target) return false;
    const own = ladder.findIndex((entry) => entry.label === result.stage);
    const targetInOwn = ladder.findIndex((entry) => entry.label === target.label);
    // Same labels: compare places on the ladder; a stage the other rules lack: compare the score itself.
    if (own >= 0 && targetInOwn >= 0) return own <= targetInOwn;
    return result.score >= target.min;
  }

  private countCrossings(before: ScoreResult, after: ScoreResult): void {
    for (let i = 0; i < this.candidateStages.length - 1; i++) {
      const was = this.reaches(this.activeStages, before, i);
      const is = this.reaches(this.candidateStages, after, i);
      if (is && !was) this.up[i]!++;
      else if (was && !is) this.down[i]!++;
    }
  }

  private keepMover(leadId: string, before: ScoreResult, after: ScoreResult): void {
    const delta = after.score - before.score;
    if (delta === 0 || this.top <= 0) return;
    const weaker = (a: { delta: number; leadId: string }, b: { delta: number; leadId: string }) =>
      Math.abs(a.delta) < Math.abs(b.delta) ||
      (Math.abs(a.delta) === Math.abs(b.delta) && a.leadId > b.leadId);
    const last = this.movers[this.movers.length - 1];
    if (this.movers.length >= this.top && last && !weaker(last, { delta, leadId })) return;
    // Only the few leads that make the list pay for their reasons text.
    const mover: Mover = { leadId, delta, before: side(before), after: side(after) };
    let i = this.movers.length;
    this.movers.push(mover);
    while (i > 0 && weaker(this.movers[i - 1] as Mover, mover)) {
      this.movers[i] = this.movers[i - 1] as Mover;
      i--;
    }
    this.movers[i] = mover;
    if (this.movers.length > this.top) this.movers.pop();
  }

  report(): SimulationReport {
    return {
      at: this.at.toISOString(),
      leads: this.leads,
      skipped: this.skipped,
      scoreChanged: this.scoreChanged,
      gradeChanged: this.gradeChanged,
      stageChanged: this.stageChanged,
      meanBefore: this.leads === 0 ? 0 : this.sumBefore / this.leads,
      meanAfter: this.leads === 0 ? 0 : this.sumAfter / this.leads,
      grades: this.grades.result(
        gradeLadder(this.active).map((e) => e.label),
        gradeLadder(this.candidate).map((e) => e.label),
      ),
      stages: this.stages.result(
        this.activeStages.map((e) => e.label),
        this.candidateStages.map((e) => e.label),
      ),
      crossings: this.candidateStages.slice(0, -1).map((stage, i) => ({
        stage: stage.label,
        min: stage.min,
        up: this.up[i] ?? 0,
        down: this.down[i] ?? 0,
      })),
      movers: [...this.movers],
    };
  }
}
