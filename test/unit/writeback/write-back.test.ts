import type { LeadState } from '../../../lib/leads/lead-state';
import type {
  DeadLetters,
  WriteBackFailure,
  WriteBackHold,
  WriteBackLead,
  WriteBackLeadStore,
} from '../../../lib/leads/ports';
import { scoreWriteOf, writeBack } from '../../../lib/writeback/write-back';
import { failWith, fakeTime, ScriptedWriter, scoresDeps, T0 } from './fakes';

function lead(n: number, overrides: Partial<WriteBackLead> = {}): WriteBackLead {
  return {
    leadId: `hubspot:contact:${n}`,
    status: 'active',
    crm: { system: 'hubspot', objectType: 'contact', id: String(n) },
    profile: {},
    profileAt: {},
    events: [],
    score: {
      score: 40 + n,
      fit: 20,
      engagement: 20 + n,
      grade: 'B',
      stage: 'lead',
      reasons: `title-exec +20, email-open +${n}`,
      rulesVersion: 1,
      scoredAt: '2026-11-23T11:00:00.000Z',
    },
    version: 3,
    ...overrides,
  };
}

const message = (id: string, n: number, version: number, qualificationChanged = false) => ({
  messageId: id,
  body: JSON.stringify({ leadId: `hubspot:contact:${n}`, version, qualificationChanged }),
});

class MemoryStore implements WriteBackLeadStore {
  readonly marks: { leadId: string; failure: WriteBackFailure }[] = [];
  constructor(readonly leads: Map<string, WriteBackLead>) {}
  async getLeads(ids: readonly string[]) {
    return new Map(ids.flatMap((id) => (this.leads.has(id) ? [[id, this.leads.get(id)!] as const] : [])));
  }
  async markWriteBackFailed(leadId: string, failure: WriteBackFailure) {
    this.marks.push({ leadId, failure });
  }
}

/** A store whose stale reads answer from a snapshot taken earlier; every read is recorded. */
class StaleReadingStore extends MemoryStore {
  readonly reads: { stale: boolean; ids: string[] }[] = [];
  constructor(
    leads: Map<string, WriteBackLead>,
    private readonly snapshot: Map<string, WriteBackLead>,
  ) {
    super(leads);
  }
  override async getLeads(ids: readonly string[]) {
    this.reads.push({ stale: false, ids: [...ids] });
    return super.getLeads(ids);
  }
  withStaleReads(): WriteBackLeadStore {
    return {
      getLeads: async (ids) => {
        this.reads.push({ stale: true, ids: [...ids] });
        return new MemoryStore(this.snapshot).getLeads(ids);
      },
      markWriteBackFailed: (leadId, failure) => this.markWriteBackFailed(leadId, failure),
    };
  }
}

class MemoryDeadLetters implements DeadLetters {
  readonly sent: { body: string; reason: string }[] = [];
  constructor(private readonly broken = false) {}
  async send(items: readonly { body: string; reason: string }[]) {
    if (this.broken) throw new Error('DLQ unavailable');
    this.sent.push(...items);
  }
}

class MemoryHold implements WriteBackHold {
  readonly held: { bodies: string[]; delaySeconds: number }[] = [];
  constructor(private readonly broken = false) {}
  async hold(bodies: readonly string[], delaySeconds: number) {
    if (this.broken) throw new Error('queue unavailable');
    this.held.push({ bodies: [...bodies], delaySeconds });
  }
}

function setup(leads: readonly WriteBackLead[], steps: ConstructorParameters<typeof ScriptedWriter>[1] = []) {
  const time = fakeTime();
  const writer = new ScriptedWriter(time.clock, steps);
  const store = new MemoryStore(new Map(leads.map((entry) => [entry.leadId, entry])));
  const deadLetters = new MemoryDeadLetters();
  const deps = { ...scoresDeps(writer, time), store, deadLetters };
  return { time, writer, store, deadLetters, deps };
}

describe('writeBack', () => {
  it('writes one record per lead however many messages announced it', async () => {
    const { writer, deps } = setup([lead(1), lead(2)]);

    const outcome = await writeBack(
      [message('a', 1, 2), message('b', 1, 3), message('c', 2, 3), message('b-again', 1, 3)],
      deps,
    );

    expect(writer.calls.map((call) => call.leadIds)).toEqual([['hubspot:contact:1', 'hubspot:contact:2']]);
    expect(outcome).toMatchObject({ written: 2, failedMessageIds: [], calls: 1 });
  });

  it('retries only the messages whose version the store does not hold yet, and writes the rest', async () => {
    const { writer, deps } = setup([lead(1, { version: 3 })]);

    const outcome = await writeBack([message('old', 1, 3), message('new', 1, 4)], deps);

    expect(writer.calls).toHaveLength(1);
    expect(outcome.failedMessageIds).toEqual(['new']);
    expect(outcome.notYetSaved).toBe(1);
  });

  it('reads stale first, and again from the store only the leads the stale read shows older than announced', async () => {
    const current = [lead(1, { version: 4 }), lead(2, { version: 3 }), lead(3, { version: 1 })];
    const snapshot = [lead(1, { version: 3 }), lead(2, { version: 3 })];
    const { time } = setup([]);
    const writer = new ScriptedWriter(time.clock, []);
    const store = new StaleReadingStore(
      new Map(current.map((entry) => [entry.leadId, entry])),
      new Map(snapshot.map((entry) => [entry.leadId, entry])),
    );
    const deps = { ...scoresDeps(writer, time), store, deadLetters: new MemoryDeadLetters() };

    const outcome = await writeBack([message('a', 1, 4), message('b', 2, 3), message('c', 3, 1)], deps);

    // Lead 1 (stale at 3, announced 4) and lead 3 (absent from the stale view) are read again; lead 2 is not.
    expect(store.reads[0]).toEqual({
      stale: true,
      ids: ['hubspot:contact:1', 'hubspot:contact:2', 'hubspot:contact:3'],
    });
    expect(store.reads[1]).toEqual({ stale: false, ids: ['hubspot:contact:1', 'hubspot:contact:3'] });
    expect(outcome).toMatchObject({ written: 3, failedMessageIds: [], notYetSaved: 0 });
  });

  it('waits for a lead the store does not have at all (its first save has not landed)', async () => {
    const { writer, deps } = setup([]);

    const outcome = await writeBack([message('m', 7, 1)], deps);

    expect(writer.calls).toEqual([]);
    expect(outcome.failedMessageIds).toEqual(['m']);
  });

  it.each([
    ['deleted', { status: 'deleted' as const }],
    ['erased', { status: 'erased' as const }],
    ['merged', { status: 'merged' as const, mergedInto: 'hubspot:contact:9' }],
    ['without a CRM record', { crm: undefined }],
    ['without a score', { score: undefined }],
    ['of another CRM', { crm: { system: 'salesforce' as const, objectType: 'Lead', id: '00Q1' } }],
    [
      'whose record is known gone',
      { writeBackFailure: { reason: 'gone', recordGone: true, crmId: '1', at: '2026-11-01T00:00:00Z' } },
    ],
  ])('drops a lead %s without a call, and the message succeeds', async (_case, overrides) => {
    const { writer, deps } = setup([lead(1, overrides)]);

    const outcome = await writeBack([message('m', 1, 2)], deps);

    expect(writer.calls).toEqual([]);
    expect(outcome).toMatchObject({ dropped: 1, failedMessageIds: [] });
  });

  it('still writes a lead whose earlier failure was not about the record being gone', async () => {
    const failure = { reason: 'validation', recordGone: false, crmId: '1', at: '2026-11-01T00:00:00Z' };
    const { writer, deps } = setup([lead(1, { writeBackFailure: failure })]);

    await writeBack([message('m', 1, 2)], deps);

    expect(writer.calls).toHaveLength(1);
  });

  it('parks a refused write in the DLQ with the CRM’s error, marks the lead, and lets the message go', async () => {
    const { deps, deadLetters, store } = setup(
      [lead(1), lead(2)],
      [
        {
          outcomes: (write) =>
            write.ref.id === '2'
              ? { kind: 'permanent', reason: 'hubspot: OBJECT_NOT_FOUND: gone', recordGone: true }
              : { kind: 'written' },
        },
      ],
    );

    const outcome = await writeBack([message('a', 1, 2), message('b', 2, 2), message('b2', 2, 3)], deps);

    expect(outcome).toMatchObject({ written: 1, deadLettered: 1, failedMessageIds: [] });
    // The newest message of the lead, once.
    expect(deadLetters.sent).toEqual([
      { body: message('b2', 2, 3).body, reason: 'hubspot: OBJECT_NOT_FOUND: gone' },
    ]);
    expect(store.marks).toEqual([
      {
        leadId: 'hubspot:contact:2',
        failure: {
          reason: 'hubspot: OBJECT_NOT_FOUND: gone',
          recordGone: true,
          crmId: '2',
          at: new Date(T0).toISOString(),
        },
      },
    ]);
  });

  it('keeps refused writes on the queue when the DLQ cannot take them', async () => {
    const { deps, store } = setup(
      [lead(1)],
      [{ outcomes: () => ({ kind: 'permanent', reason: 'x', recordGone: false }) }],
    );

    const outcome = await writeBack([message('a', 1, 2)], {
      ...deps,
      deadLetters: new MemoryDeadLetters(true),
    });

    expect(outcome.failedMessageIds).toEqual(['a']);
    expect(store.marks).toEqual([]);
  });

  it('parks messages that are not write-back requests with their reason', async () => {
    const { deps, deadLetters } = setup([]);

    const outcome = await writeBack([{ messageId: 'x', body: 'nonsense' }], deps);

    expect(outcome.failedMessageIds).toEqual([]);
    expect(deadLetters.sent).toEqual([{ body: 'nonsense', reason: 'body is not JSON' }]);
  });

  it('sends every message of a lead back to SQS when its write is deferred', async () => {
    const { deps } = setup([lead(1), lead(2)], [failWith('quota')]);

    const outcome = await writeBack([message('a', 1, 2), message('a2', 1, 3), message('b', 2, 3)], deps);

    expect(outcome.failedMessageIds).toEqual(['a', 'a2', 'b']);
    expect(outcome).toMatchObject({ deferred: 2, held: 0, stoppedFor: 'quota' });
  });

  describe('on a message’s last delivery before the DLQ', () => {
    const delivered = (entry: ReturnType<typeof message>, count: number) => ({
      ...entry,
      attributes: { ApproximateReceiveCount: String(count) },
    });

    it('puts a deferred lead back on the queue for later, as one request that keeps every flag, instead of parking it', async () => {
      const { deps, deadLetters } = setup([lead(1, { version: 4 }), lead(2)], [failWith('quota')]);
      const hold = new MemoryHold();

      const outcome = await writeBack(
        [
          delivered(message('a', 1, 3, true), 8),
          delivered(message('a2', 1, 4), 2),
          delivered(message('b', 2, 3), 7),
        ],
        { ...deps, hold, maxReceiveCount: 8 },
      );

      expect(hold.held).toEqual([
        {
          delaySeconds: 900,
          bodies: [
            JSON.stringify({ leadId: 'hubspot:contact:1', version: 4, qualificationChanged: true, holds: 1 }),
          ],
        },
      ]);
      expect(outcome.failedMessageIds).toEqual(['b']);
      expect(outcome).toMatchObject({ deferred: 2, held: 1 });
      expect(deadLetters.sent).toEqual([]);
    });

    it('counts the holds, and parks a write held MAX_HOLDS times with its last reason instead of holding it again', async () => {
      const { deps, deadLetters, store } = setup([lead(1), lead(2)], [failWith('quota')]);
      const hold = new MemoryHold();
      const heldBefore = (id: string, n: number, holds: number) => ({
        messageId: id,
        body: JSON.stringify({
          leadId: `hubspot:contact:${n}`,
          version: 3,
          qualificationChanged: false,
          holds,
        }),
        attributes: { ApproximateReceiveCount: '8' },
      });

      const outcome = await writeBack([heldBefore('a', 1, 95), heldBefore('b', 2, 96)], {
        ...deps,
        hold,
        maxReceiveCount: 8,
      });

      expect(hold.held.flatMap((entry) => entry.bodies.map((body) => JSON.parse(body) as object))).toEqual([
        { leadId: 'hubspot:contact:1', version: 3, qualificationChanged: false, holds: 96 },
      ]);
      expect(deadLetters.sent).toEqual([
        {
          body: heldBefore('b', 2, 96).body,
          reason: expect.stringMatching(/still not written after 96 holds/),
        },
      ]);
      expect(store.marks.map((mark) => [mark.leadId, mark.failure.recordGone])).toEqual([
        ['hubspot:contact:2', false],
      ]);
      expect(outcome).toMatchObject({ failedMessageIds: [], held: 1, deadLettered: 1, deferred: 1 });
    });

    it('leaves the message to SQS (and its DLQ) when the queue cannot take it back', async () => {
      const { deps } = setup([lead(1)], [failWith('quota')]);
      const hold = new MemoryHold(true);

      const outcome = await writeBack([delivered(message('a', 1, 3), 8)], {
        ...deps,
        hold,
        maxReceiveCount: 8,
      });

      expect(outcome.failedMessageIds).toEqual(['a']);
      expect(outcome.held).toBe(0);
    });

    it('does not hold a message whose lead version is still unsaved: that one may never land', async () => {
      const { deps } = setup([lead(1, { version: 2 })]);
      const hold = new MemoryHold();

      const outcome = await writeBack([delivered(message('a', 1, 3), 8)], {
        ...deps,
        hold,
        maxReceiveCount: 8,
      });

      expect(outcome.failedMessageIds).toEqual(['a']);
      expect(hold.held).toEqual([]);
    });
  });
});

describe('writeBack when the lead moves on while it is being written', () => {
  /** A store whose reads show the lead at each of `states` in turn, then the last one. */
  class MovingStore extends MemoryStore {
    private reads = 0;
    constructor(private readonly states: readonly WriteBackLead[]) {
      super(new Map());
    }
    override async getLeads() {
      const state = this.states[Math.min(this.reads++, this.states.length - 1)]!;
      return new Map([[state.leadId, state]]);
    }
  }

  const at = (version: number, score: number) =>
    lead(1, { version, score: { ...lead(1).score!, score, reasons: `x +${score}` } });

  it('writes again what the lead holds after the write when that differs from what was written', async () => {
    const { deps, writer } = setup([]);
    const store = new MovingStore([at(3, 10), at(4, 55), at(4, 55)]);

    const outcome = await writeBack([message('m', 1, 3)], { ...deps, store });

    expect(writer.written.map((write) => write.values.score)).toEqual([10, 55]);
    expect(outcome).toMatchObject({ written: 1, rewrites: 1, failedMessageIds: [] });
  });

  it('asks for assignment again on the rewrite only if grade or stage moved since the first write', async () => {
    const { deps, writer } = setup([]);
    // Announced with a qualification change (grade C → B); only the score moves while it is written.
    const store = new MovingStore([at(3, 10), at(4, 55), at(4, 55)]);

    await writeBack([message('m', 1, 3, true)], { ...deps, store });

    expect(writer.written.map((write) => [write.values.score, write.qualificationChanged])).toEqual([
      [10, true],
      [55, false],
    ]);
  });

  it('puts a lead that moved on back on the queue, when it can, rather than writing it twice', async () => {
    const { deps, writer } = setup([]);
    const store = new MovingStore([at(3, 10), { ...at(4, 55), score: { ...at(4, 55).score!, grade: 'A' } }]);
    const hold = new MemoryHold();

    const outcome = await writeBack([message('m', 1, 3)], { ...deps, store, hold });

    expect(writer.written.map((write) => write.values.score)).toEqual([10]);
    expect(hold.held).toEqual([
      {
        delaySeconds: 0,
        bodies: [JSON.stringify({ leadId: 'hubspot:contact:1', version: 4, qualificationChanged: true })],
      },
    ]);
    expect(outcome).toMatchObject({ written: 1, rewrites: 0, requeued: 1, failedMessageIds: [] });
  });

  it('writes a moved lead again itself when the queue cannot take it back', async () => {
    const { deps, writer } = setup([]);
    const store = new MovingStore([at(3, 10), at(4, 55), at(4, 55)]);

    const outcome = await writeBack([message('m', 1, 3)], { ...deps, store, hold: new MemoryHold(true) });

    expect(writer.written.map((write) => write.values.score)).toEqual([10, 55]);
    expect(outcome).toMatchObject({ written: 1, rewrites: 1, requeued: 0, failedMessageIds: [] });
  });

  it('does not write again when only the scored time moved', async () => {
    const { deps, writer } = setup([]);
    const later = { ...at(4, 10), score: { ...at(4, 10).score!, scoredAt: '2026-11-23T11:59:00.000Z' } };
    const store = new MovingStore([at(3, 10), later]);

    const outcome = await writeBack([message('m', 1, 3)], { ...deps, store });

    expect(writer.calls).toHaveLength(1);
    expect(outcome.rewrites).toBe(0);
  });

  it('leaves a lead that keeps changing to the queue after a few passes', async () => {
    const { deps, writer } = setup([]);
    const store = new MovingStore([at(3, 1), at(4, 2), at(5, 3), at(6, 4), at(7, 5)]);

    const outcome = await writeBack([message('m', 1, 3)], { ...deps, store });

    expect(writer.calls).toHaveLength(3);
    expect(outcome).toMatchObject({ failedMessageIds: ['m'], deferred: 1 });
  });
});

describe('scoreWriteOf', () => {
  it('writes what the lead holds now, not what the message said', () => {
    const current = lead(5, { version: 9 });

    expect(scoreWriteOf(current, { qualificationChanged: true }, 'hubspot')).toEqual({
      leadId: 'hubspot:contact:5',
      ref: { system: 'hubspot', objectType: 'contact', id: '5' },
      values: {
        score: 45,
        grade: 'B',
        stage: 'lead',
        reasons: 'title-exec +20, email-open +5',
        scoredAt: '2026-11-23T11:00:00.000Z',
      },
      qualificationChanged: true,
    });
  });

  it('writes again to a record whose id changed since it was found gone', () => {
    const failure = { reason: 'gone', recordGone: true, crmId: 'old', at: '2026-11-01T00:00:00Z' };
    const current: LeadState = lead(1, { writeBackFailure: failure } as Partial<WriteBackLead>);

    expect(scoreWriteOf(current, { qualificationChanged: false }, 'hubspot')).toBeDefined();
  });
});
