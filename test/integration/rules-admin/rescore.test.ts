// Rescoring every lead on DynamoDB Local and the SQS emulator: interrupted after the first pages, resumed,
// and checked lead by lead against the engine, with write-backs only for leads whose score changed.
import { DynamoDbJobStore } from '../../../lib/rules-admin/job-store';
import { resumeRescore, startRescore, type RescoreDeps } from '../../../lib/rules-admin/rescore-all';
import { rescore } from '../../../lib/leads/rescore';
import type { LeadState } from '../../../lib/leads/lead-state';
import { compileRules, scoreLead, type Rules } from '../../../lib/scoring';
import { bodies, readRules, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const LEADS = 30;

/** Every third lead is a VP (title-exec), so the new version changes exactly their scores and reasons. */
function seedLead(i: number, rules: Rules): LeadState {
  const state: LeadState = {
    leadId: `hubspot:contact:${i}`,
    status: 'active',
    crm: { system: 'hubspot', objectType: 'contact', id: String(i) },
    profile: { jobtitle: i % 3 === 0 ? 'VP Sales' : 'Engineer', numberofemployees: String(100 + i * 20) },
    profileAt: {},
    events: [{ id: `open-${i}`, type: 'email.opened', occurredAt: '2026-11-20T12:00:00.000Z' }],
    version: 0,
  };
  const scored = rescore(state, { version: 1, model: compileRules(rules) }, NOW);
  const { score, grade, stage, reasons } = scored.score!;
  // As the worker leaves a lead: scored with version 1, and that score already written back.
  return { ...scored, emitted: { score, grade, stage, reasons } };
}

describe('rescore on DynamoDB Local', () => {
  let harness: WorkerHarness;
  let deps: RescoreDeps;
  const v1 = readRules();
  const v2: Rules = {
    ...v1,
    fit: v1.fit?.map((rule) => (rule.id === 'title-exec' ? { ...rule, points: 25 } : rule)),
  };

  beforeAll(async () => {
    harness = await startWorkerHarness();
    await Promise.all(
      Array.from({ length: LEADS }, (_, i) => harness.store.save({ leads: [seedLead(i, v1)] })),
    );
    const pushed = await harness.rules.push(v2, { createdBy: 'test' });
    await harness.rules.activate(pushed.version, { activatedBy: 'test' });
    deps = {
      scanner: harness.store,
      jobs: new DynamoDbJobStore(harness.tables.documents, harness.tables.configTable),
      process: harness.deps(NOW),
    };
  });

  afterAll(() => harness.stop());

  async function allLeads(): Promise<LeadState[]> {
    const ids = Array.from({ length: LEADS }, (_, i) => `hubspot:contact:${i}`);
    const leads = await harness.store.getLeads(ids);
    return ids.map((id) => leads.get(id)!);
  }

  it('stops after the first pages, resumes where each segment stopped, and rescores every lead exactly once', async () => {
    let pages = 0;
    const job = { id: 'test-interrupted', segments: 3, createdAt: NOW.toISOString(), createdBy: 'test' };

    const first = await startRescore(deps, job, {
      pageSize: 4,
      onProgress: () => pages++,
      shouldStop: () => pages >= 1,
    });

    expect(first.complete).toBe(false);
    // Each of the 3 segments had started its first page (at most 4 items) before any finished.
    expect(first.scanned).toBeGreaterThan(0);
    expect(first.scanned).toBeLessThanOrEqual(12);
    const midway = await allLeads();
    expect(midway.filter((lead) => lead.score?.rulesVersion === 2)).toHaveLength(first.rescored);
    expect(midway.filter((lead) => lead.score?.rulesVersion === 1).length).toBeGreaterThan(0);

    const resumed = await resumeRescore(deps, 'test-interrupted', { pageSize: 4 });

    expect(resumed.complete).toBe(true);
    expect(resumed).toMatchObject({ scanned: LEADS, rescored: LEADS, unchanged: 0, failed: 0 });
    const model = compileRules(v2);
    for (const lead of await allLeads()) {
      const expected = scoreLead(model, { id: lead.leadId, profile: lead.profile, events: lead.events }, NOW);
      expect(lead.score).toMatchObject({
        score: expected.score,
        fit: expected.fit,
        engagement: expected.engagement,
        grade: expected.grade,
        stage: expected.stage,
        rulesVersion: 2,
      });
      // Saved once when seeded (version 1) and once by the rescore: never twice.
      expect(lead.version).toBe(2);
    }
    // Only the VPs' score and reasons changed (title-exec 20 → 25): 0, 3, …, 27.
    const announced = bodies(await harness.sqs.drain(harness.writeBackQueueUrl));
    expect(announced.map((request: { leadId: string }) => request.leadId).sort()).toEqual(
      Array.from({ length: 10 }, (_, k) => `hubspot:contact:${k * 3}`).sort(),
    );
    expect(resumed.announced).toBe(10);
  });

  it('writes nothing and announces nothing when every lead is already up to date', async () => {
    const job = { id: 'test-noop', segments: 2, createdAt: NOW.toISOString(), createdBy: 'test' };

    const summary = await startRescore(deps, job, { pageSize: 7 });

    expect(summary).toMatchObject({
      complete: true,
      scanned: LEADS,
      rescored: 0,
      unchanged: LEADS,
      announced: 0,
    });
    expect((await allLeads()).every((lead) => lead.version === 2)).toBe(true);
    expect(await harness.sqs.drain(harness.writeBackQueueUrl)).toEqual([]);
  });

  it('keeps checkpoints per segment in the config table and refuses an unknown job', async () => {
    const stored = await deps.jobs.getJob('test-interrupted');

    expect(stored?.job).toMatchObject({ id: 'test-interrupted', segments: 3 });
    expect(stored?.segments.map((segment) => [segment.segment, segment.done])).toEqual([
      [0, true],
      [1, true],
      [2, true],
    ]);
    await expect(resumeRescore(deps, 'no-such-job')).rejects.toThrow('no rescore job "no-such-job"');
  });
});
