import type { LeadEvent } from '../../lib/events/lead-event';
import { crmLeadId, emailLeadId } from '../../lib/leads/lead-state';
import type { LeadStore } from '../../lib/leads/ports';
import { scoreEventBatch } from '../../lib/leads/score-event-batch';
import { EVENTS_QUEUE } from '../../lib/pipeline-spec';
import { CrmCallError } from '../../lib/writeback/crm-writer';
import { sweepDueLeads } from '../../lib/leads/sweep-due-leads';
import { fixtureRecord, signedNotification } from '../support/sns-envelopes';
import {
  bodies,
  readRules,
  referenceScore,
  startWorkerHarness,
  type WorkerHarness,
} from '../support/worker-harness';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const daysAgo = (days: number, from = NOW) => new Date(from.getTime() - days * 86_400_000).toISOString();

/** A HubSpot contact's life: created with a profile, then opens, a pricing view and a demo request. */
function contactEvents(id: string, email = `${id}@acme.example`): LeadEvent[] {
  const crm = { system: 'hubspot' as const, objectType: 'contact', id };
  return [
    {
      source: 'hubspot',
      sourceEventId: `create-${id}`,
      type: 'crm.created',
      occurredAt: daysAgo(20),
      who: { crm },
      profile: { email, jobtitle: 'VP Marketing', numberofemployees: '250' },
    },
    ...[10, 5, 1].map((days) => ({
      source: 'sendgrid' as const,
      sourceEventId: `open-${id}-${days}`,
      type: 'email.opened' as const,
      occurredAt: daysAgo(days),
      who: { email },
    })),
    {
      source: 'api',
      sourceEventId: `view-${id}`,
      type: 'page.viewed',
      occurredAt: daysAgo(2),
      who: { crm },
      fields: { url: 'https://acme.example/pricing' },
    },
    {
      source: 'api',
      sourceEventId: `demo-${id}`,
      type: 'form.submitted',
      occurredAt: daysAgo(1),
      who: { crm },
      fields: { formId: 'demo-request' },
    },
  ];
}

/** A HubSpot webhook event about a contact that carries its id alone, as most of them do. */
const idOnly = (id: string, type: LeadEvent['type'], sourceEventId: string, days: number): LeadEvent => ({
  source: 'hubspot',
  sourceEventId,
  type,
  occurredAt: daysAgo(days),
  who: { crm: { system: 'hubspot', objectType: 'contact', id } },
});

/** HubSpot's creation webhook carries the id alone: the profile comes from reading the contact. */
const idOnlyCreation = (id: string) => idOnly(id, 'crm.created', `create-${id}`, 3);

describe('scoring worker on DynamoDB Local and the SQS emulator', () => {
  let harness: WorkerHarness;
  const rules = readRules();

  beforeAll(async () => {
    harness = await startWorkerHarness();
  });

  afterAll(() => harness.stop());

  async function expectReference(leadId: string, events: readonly LeadEvent[], at = NOW) {
    const lead = await harness.lead(leadId);
    expect(lead?.status).toBe('active');
    const expected = referenceScore(rules, leadId, lead?.profile ?? {}, events, at);
    expect(lead?.score).toMatchObject({
      score: expected.score,
      fit: expected.fit,
      engagement: expected.engagement,
      grade: expected.grade,
      stage: expected.stage,
    });
    return lead!;
  }

  it('counts an event delivered three times once', async () => {
    const events = contactEvents('101');
    const outcome = await harness.send([...events, ...events, ...events], NOW);
    await harness.send(events, NOW);

    expect(outcome.failedKeys).toEqual([]);
    const lead = await expectReference(crmLeadId(events[0]!.who.crm!), events);
    expect(lead.profile).toEqual({
      email: '101@acme.example',
      jobtitle: 'VP Marketing',
      numberofemployees: '250',
    });
    expect(lead.events).toHaveLength(6);
  });

  it('ends with the same score whatever the order and batching of events', async () => {
    const ordered = contactEvents('201');
    const shuffled = contactEvents('202').reverse();
    await harness.send(ordered, NOW);
    for (const event of shuffled) await harness.send([event], NOW);

    const [a, b] = [await harness.lead('hubspot:contact:201'), await harness.lead('hubspot:contact:202')];
    expect(b?.score?.score).toBe(a?.score?.score);
    expect(b?.score?.reasons).toBe(a?.score?.reasons);
    await expectReference('hubspot:contact:202', shuffled);
  });

  it('loses no update when two workers change the same lead at once', async () => {
    const events = contactEvents('301');
    const [created, ...rest] = events;
    await harness.send([created!], NOW);

    const outcomes = await Promise.all(rest.map((event) => harness.send([event], NOW)));

    expect(outcomes.flatMap((outcome) => outcome.failedKeys)).toEqual([]);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.conflicts, 0)).toBeGreaterThan(0);
    const lead = await expectReference('hubspot:contact:301', events);
    expect(lead.events).toHaveLength(6);
  });

  it('keeps email events that arrive before the CRM record and counts them when it appears', async () => {
    const events = contactEvents('401', 'early@acme.example');
    const emailOnly = events.filter((event) => !event.who.crm);
    await harness.send(emailOnly, NOW);
    const pending = await harness.lead(emailLeadId('early@acme.example'));
    expect(pending?.events).toHaveLength(3);
    const announcedBefore = await harness.sqs.drain(harness.writeBackQueueUrl);

    await harness.send(
      events.filter((event) => event.who.crm),
      NOW,
    );

    await expectReference('hubspot:contact:401', events);
    expect((await harness.lead(emailLeadId('early@acme.example')))?.status).toBe('merged');
    expect(announcedBefore.map((message) => JSON.parse(message.Body ?? '{}').leadId)).not.toContain(
      emailLeadId('early@acme.example'),
    );
    // A later email event finds the CRM record directly.
    const late = { ...emailOnly[0]!, sourceEventId: 'late-open', occurredAt: daysAgo(0.5) };
    await harness.send([late], NOW);
    await expectReference('hubspot:contact:401', [...events, late]);
  });

  it('links email events to a record whose email only enrichment reveals, in the same batch', async () => {
    const email = 'enriched@acme.example';
    const creation = idOnlyCreation('451');
    const opens = contactEvents('451', email).filter((event) => !event.who.crm);
    const reads: string[][] = [];
    const crmReader = {
      readProfiles: async (refs: readonly { id: string }[], fields: readonly string[]) => {
        reads.push(refs.map((ref) => ref.id));
        expect(fields).toEqual(expect.arrayContaining(['jobtitle', 'numberofemployees', 'email']));
        return new Map(
          refs.map((ref) => [ref.id, { email, jobtitle: 'Head of Growth', numberofemployees: '900' }]),
        );
      },
    };

    const outcome = await harness.send([creation, ...opens], NOW, crmReader);

    expect(outcome.failedKeys).toEqual([]);
    expect(reads).toEqual([['451']]);
    const lead = await expectReference('hubspot:contact:451', [creation, ...opens]);
    expect(lead.events).toHaveLength(4);
    expect(lead.enrichedAt).toBe(NOW.toISOString());
    const stranded = await harness.lead(emailLeadId(email));
    expect(stranded === undefined || stranded.status === 'merged').toBe(true);
  });

  describe("identity: an email finds its record through the email's own lead", () => {
    const privacyDeletion = (id: string) => idOnly(id, 'crm.privacy_deleted', `privacy-${id}`, 0.2);
    const openBy = (email: string, id: string): LeadEvent => ({
      source: 'sendgrid',
      sourceEventId: id,
      type: 'email.opened',
      occurredAt: daysAgo(0.1),
      who: { email },
    });

    it("claims the email with the record's first save, records the claim at the next, then reads nothing for it", async () => {
      const email = 'first@acme.example';
      const events = contactEvents('1001', email);
      const [creation, ...rest] = events;
      const [view, demo] = rest.filter((event) => event.who.crm);
      await harness.send([creation!], NOW);
      expect(await harness.lead(emailLeadId(email))).toMatchObject({
        status: 'merged',
        mergedInto: 'hubspot:contact:1001',
      });
      expect((await harness.lead('hubspot:contact:1001'))?.claimedEmail).toBeUndefined();

      const reads: string[] = [];
      const store: LeadStore = {
        getLeads: (ids) => (reads.push(...ids), harness.store.getLeads(ids)),
        save: (change) => harness.store.save(change),
        dueLeads: (now, cursor) => harness.store.dueLeads(now, cursor),
      };
      const sendCounted = (event: LeadEvent) =>
        scoreEventBatch([{ messageId: `counted-${event.sourceEventId}`, body: JSON.stringify(event) }], {
          ...harness.deps(NOW),
          store,
        });
      // The next update sees the tombstone in place and records the claim; later ones read only the lead.
      await sendCounted(view!);
      expect(reads).toEqual(['hubspot:contact:1001', emailLeadId(email)]);
      expect((await harness.lead('hubspot:contact:1001'))?.claimedEmail).toBe(email);
      reads.length = 0;
      await sendCounted(demo!);
      expect(reads).toEqual(['hubspot:contact:1001']);

      await harness.send(
        rest.filter((event) => !event.who.crm),
        NOW,
      );
      await expectReference('hubspot:contact:1001', events);
    });

    it('makes a claim again when its tombstone was never written (a crash in between), losing nothing', async () => {
      const email = 'crashed@acme.example';
      const events = contactEvents('1051', email);
      const emailOnly = events.filter((event) => !event.who.crm);
      const [creation, view, demo] = events.filter((event) => event.who.crm);
      await harness.send(emailOnly.slice(0, 2), NOW);
      // The record is saved with the email lead's events folded in, then the worker dies before the tombstone.
      const crashing: LeadStore = {
        getLeads: (ids) => harness.store.getLeads(ids),
        save: ({ leads }) => harness.store.save({ leads }),
        dueLeads: (now, cursor) => harness.store.dueLeads(now, cursor),
      };
      await scoreEventBatch([{ messageId: 'crash-1', body: JSON.stringify(creation) }], {
        ...harness.deps(NOW),
        store: crashing,
      });
      expect((await harness.lead(emailLeadId(email)))?.status).toBe('active');

      await harness.send(emailOnly.slice(2), NOW);
      await harness.send([view!, demo!], NOW);

      const lead = await expectReference('hubspot:contact:1051', events);
      expect(lead.events).toHaveLength(6);
      expect((await harness.lead(emailLeadId(email)))?.mergedInto).toBe('hubspot:contact:1051');
    });

    it('lands every event on the record when its email events and its creation race', async () => {
      for (const id of ['1101', '1102', '1103', '1104']) {
        const events = contactEvents(id);
        const outcomes = await Promise.all([
          harness.send(
            events.filter((event) => !event.who.crm),
            NOW,
          ),
          harness.send(
            events.filter((event) => event.who.crm),
            NOW,
          ),
        ]);

        expect(outcomes.flatMap((outcome) => outcome.failedKeys)).toEqual([]);
        const lead = await expectReference(`hubspot:contact:${id}`, events);
        expect(lead.events).toHaveLength(6);
        expect((await harness.lead(emailLeadId(`${id}@acme.example`)))?.mergedInto).toBe(
          `hubspot:contact:${id}`,
        );
      }
    });

    it('drops email events for an erased record, until a new record with that email claims it', async () => {
      const email = 'gone@acme.example';
      await harness.send(contactEvents('1201', email), NOW);
      await harness.send([privacyDeletion('1201')], NOW);
      await harness.send([openBy(email, 'open-after-erasure')], NOW);

      const erased = await harness.lead('hubspot:contact:1201');
      expect(erased).toMatchObject({ status: 'erased', events: [], profile: {} });
      expect(erased?.email).toBeUndefined();

      const again = contactEvents('1202', email);
      await harness.send(again, NOW);
      const late = openBy(email, 'open-for-new-record');
      await harness.send([late], NOW);
      const lead = await expectReference('hubspot:contact:1202', [...again, late]);
      expect(lead.events).toHaveLength(7);
      expect((await harness.lead(emailLeadId(email)))?.mergedInto).toBe('hubspot:contact:1202');
    });

    it('claims the email of an erased record even when the first, eventually consistent read still shows it active', async () => {
      const email = 'stale@acme.example';
      await harness.send(contactEvents('1211', email), NOW);
      const beforeErasure = await harness.store.getLeads(['hubspot:contact:1211']);
      await harness.send([privacyDeletion('1211')], NOW);
      // DynamoDB's eventually consistent reads may answer the erased record as it was, for a moment.
      const stale: LeadStore = {
        getLeads: async (ids) => {
          const read = await harness.store.getLeads(ids);
          for (const [id, old] of beforeErasure) if (ids.includes(id)) read.set(id, old);
          return read;
        },
        save: (change) => harness.store.save(change),
        dueLeads: (now, cursor) => harness.store.dueLeads(now, cursor),
      };
      const store: LeadStore = {
        getLeads: (ids) => harness.store.getLeads(ids),
        save: (change) => harness.store.save(change),
        dueLeads: (now, cursor) => harness.store.dueLeads(now, cursor),
        withStaleReads: () => stale,
      };
      const again = contactEvents('1212', email).filter((event) => event.who.crm);
      const { scoreEventBatch } = await import('../../lib/leads/score-event-batch');
      const messages = again.map((event, n) => ({ messageId: `stale-${n}`, body: JSON.stringify(event) }));
      expect((await scoreEventBatch(messages, { ...harness.deps(NOW), store })).failedKeys).toEqual([]);

      await harness.send([openBy(email, 'open-after-stale-claim')], NOW);
      expect((await harness.lead(emailLeadId(email)))?.mergedInto).toBe('hubspot:contact:1212');
      const lead = await harness.lead('hubspot:contact:1212');
      expect(lead?.events.map((event) => event.id)).toContain('sendgrid:open-after-stale-claim');
    });

    it('leaves the email with the record that claimed it first', async () => {
      const email = 'shared@acme.example';
      const first = contactEvents('1301', email);
      await harness.send(first, NOW);
      const second = contactEvents('1302', email).filter((event) => event.who.crm);
      await harness.send(second, NOW);
      const late = openBy(email, 'open-shared');
      await harness.send([late], NOW);

      await expectReference('hubspot:contact:1301', [...first, late]);
      const other = await expectReference('hubspot:contact:1302', second);
      expect(other.claimedEmail).toBeUndefined();
      expect(other.events).toHaveLength(3);
    });
  });

  it('waits for a redelivery when the CRM cannot be read; on the last one saves what it knows for the sweep to finish', async () => {
    const email = 'unreadable@acme.example';
    const creation = idOnlyCreation('461');
    const opens = contactEvents('461', email).filter((event) => !event.who.crm);
    const down = {
      readProfiles: async () => {
        throw new CrmCallError('transient', 'HubSpot answered 503');
      },
    };
    const up = {
      readProfiles: async (refs: readonly { id: string }[]) =>
        new Map(refs.map((ref) => [ref.id, { email, jobtitle: 'Chief of Staff', numberofemployees: '300' }])),
    };

    const first = await harness.send([creation, ...opens], NOW, down);
    expect(first.failedKeys).toHaveLength(1);
    expect(await harness.lead('hubspot:contact:461')).toBeUndefined();
    expect((await harness.lead(emailLeadId(email)))?.events).toHaveLength(3);

    const last = await harness.send([creation], NOW, down, EVENTS_QUEUE.maxReceiveCount);
    expect(last.failedKeys).toEqual([]);
    const unenriched = await harness.lead('hubspot:contact:461');
    expect(unenriched).toMatchObject({ status: 'active', nextChangeAt: NOW.toISOString() });
    expect(unenriched?.enrichedAt).toBeUndefined();

    const later = new Date(NOW.getTime() + 60_000);
    await sweepDueLeads(harness.deps(later, down));
    expect((await harness.lead('hubspot:contact:461'))?.enrichedAt).toBeUndefined();
    const sweep = await sweepDueLeads(harness.deps(later, up));

    expect(sweep.failed).toBe(0);
    const lead = await expectReference('hubspot:contact:461', [creation, ...opens], later);
    expect(lead.enrichedAt).toBe(later.toISOString());
    expect(lead.score?.reasons).toContain('title-exec');
    expect((await harness.lead(emailLeadId(email)))?.status).toBe('merged');
  });

  it('takes a stale first read for what it costs, a retry: the update lands on the current version', async () => {
    const events = contactEvents('901');
    const [created, opened, viewed, ...rest] = events;
    await harness.send([created!, opened!], NOW);
    const snapshot = await harness.store.getLeads(['hubspot:contact:901']);
    await harness.send([viewed!], NOW);
    // Reads through the stale view answer with the lead as it was two events ago (version 1, not 2).
    const staleView: LeadStore = {
      getLeads: async (ids) => {
        const read = await harness.store.getLeads(ids);
        for (const [id, old] of snapshot) if (ids.includes(id)) read.set(id, old);
        return read;
      },
      save: (change) => harness.store.save(change),
      dueLeads: (now, cursor) => harness.store.dueLeads(now, cursor),
    };
    const store: LeadStore = {
      ...staleView,
      getLeads: (ids) => harness.store.getLeads(ids),
      withStaleReads: () => staleView,
    };

    const outcome = await scoreEventBatch(
      rest.map((event, index) => ({ messageId: `stale-${index}`, body: JSON.stringify(event) })),
      { ...harness.deps(NOW), store },
    );

    expect(outcome.failedKeys).toEqual([]);
    expect(outcome.conflicts).toBeGreaterThan(0);
    const lead = await expectReference('hubspot:contact:901', events);
    expect(lead.events).toHaveLength(6);
    expect(lead.version).toBe(3);
  });

  it('folds a merged contact into the survivor, and later events for it too', async () => {
    const survivor = contactEvents('501');
    const absorbed = contactEvents('502').slice(0, 4);
    await harness.send([...survivor, ...absorbed], NOW);
    const merge: LeadEvent = {
      source: 'hubspot',
      sourceEventId: 'merge-502-into-501',
      type: 'crm.merged',
      occurredAt: daysAgo(0.1),
      who: { crm: { system: 'hubspot', objectType: 'contact', id: '501' } },
      mergedIds: ['502'],
    };

    await harness.send([merge], NOW);
    const lateForMerged = { ...absorbed[1]!, sourceEventId: 'late-502', who: { crm: absorbed[0]!.who.crm! } };
    await harness.send([lateForMerged], NOW);

    expect(await harness.lead('hubspot:contact:502')).toMatchObject({
      status: 'merged',
      mergedInto: 'hubspot:contact:501',
    });
    const lead = await expectReference('hubspot:contact:501', [...survivor, ...absorbed, lateForMerged]);
    expect(lead.events).toHaveLength(6 + 4 + 1);
  });

  it('deletes only the merged-away record when its deletion arrives after the merge: the survivor lives on', async () => {
    const survivor = contactEvents('511');
    const absorbed = contactEvents('512').slice(0, 2);
    await harness.send([...survivor, ...absorbed], NOW);
    const merge: LeadEvent = {
      source: 'hubspot',
      sourceEventId: 'merge-512-into-511',
      type: 'crm.merged',
      occurredAt: daysAgo(0.1),
      who: { crm: { system: 'hubspot', objectType: 'contact', id: '511' } },
      mergedIds: ['512'],
    };
    await harness.send([merge], NOW);
    const deletion: LeadEvent = {
      source: 'hubspot',
      sourceEventId: 'delete-512',
      type: 'crm.deleted',
      occurredAt: daysAgo(0.2),
      who: { crm: { system: 'hubspot', objectType: 'contact', id: '512' } },
    };

    expect((await harness.send([deletion], NOW)).failedKeys).toEqual([]);

    expect(await harness.lead('hubspot:contact:511')).toMatchObject({ status: 'active' });
    expect(await harness.lead('hubspot:contact:512')).toMatchObject({ status: 'merged' });
  });

  it('scores the next event of a lead with a newly activated rules version', async () => {
    const events = contactEvents('601');
    await harness.send(events, NOW);
    const stricter = { ...rules, fit: rules.fit?.map((rule) => ({ ...rule, points: rule.points * 2 })) };
    const pushed = await harness.rules.push(stricter, { createdBy: 'test', note: 'double fit' });
    await harness.rules.activate(pushed.version, { activatedBy: 'test' });
    try {
      const next = { ...events[3]!, sourceEventId: 'open-after-change' };
      await harness.send([next], NOW);

      const lead = await harness.lead('hubspot:contact:601');
      const expected = referenceScore(stricter, 'hubspot:contact:601', lead!.profile, [...events, next], NOW);
      expect(lead?.score).toMatchObject({ score: expected.score, rulesVersion: pushed.version });
    } finally {
      await harness.rules.activate(1, { activatedBy: 'test' });
    }
  });

  it('lets the decay sweep bring a lead down a stage, announcing only real changes', async () => {
    const events = contactEvents('701');
    await harness.send(events, NOW);
    const before = await expectReference('hubspot:contact:701', events);
    expect(before.score?.stage).toBe('sales-qualified');
    await harness.sqs.drain(harness.writeBackQueueUrl);

    const later = new Date(NOW.getTime() + 60 * 86_400_000);
    const sweep = await sweepDueLeads(harness.deps(later));

    expect(sweep).toMatchObject({ failed: 0 });
    expect(sweep.leadsDue).toBeGreaterThan(0);
    const after = await expectReference('hubspot:contact:701', events, later);
    expect(after.score?.stage).toBe('lead');
    const announced = bodies(await harness.sqs.drain(harness.writeBackQueueUrl));
    expect(announced).toContainEqual(
      expect.objectContaining({ leadId: 'hubspot:contact:701', qualificationChanged: true }),
    );

    const again = await sweepDueLeads(harness.deps(later));
    expect(again.leadsDue).toBe(0);
    expect(await harness.sqs.drain(harness.writeBackQueueUrl)).toEqual([]);
  });

  it('ignores our own fields coming back from the CRM: no rescore, no write-back', async () => {
    const events = contactEvents('801');
    await harness.send(events, NOW);
    await harness.sqs.drain(harness.writeBackQueueUrl);
    const echo: LeadEvent = {
      source: 'hubspot',
      sourceEventId: 'echo-801',
      type: 'crm.updated',
      occurredAt: NOW.toISOString(),
      who: { crm: { system: 'hubspot', objectType: 'contact', id: '801' } },
      profile: { leadscore_score: '55' },
    };
    const before = await harness.lead('hubspot:contact:801');

    const outcome = await harness.send([echo], NOW);

    expect(outcome.echoes).toBe(1);
    expect((await harness.lead('hubspot:contact:801'))?.version).toBe(before?.version);
    expect(await harness.sqs.drain(harness.writeBackQueueUrl)).toEqual([]);
  });

  it('reads SES notifications that SNS delivers to the events queue itself, as the webhook would', async () => {
    const email = 'ses-reader@acme.example';
    const events = contactEvents('1501', email);
    await harness.send(events, NOW);
    const openedAt = daysAgo(0.3);
    const open = fixtureRecord('open-record.json') as { mail: Record<string, unknown>; open: object };
    open.mail.destination = [email];
    open.open = { ...open.open, timestamp: openedAt };
    const body = (message: object, messageId: string) =>
      JSON.stringify(signedNotification(message, { messageId, timestamp: openedAt }));

    const outcome = await scoreEventBatch(
      [
        { messageId: 'ses-open', body: body(open, 'sns-open-1501') },
        { messageId: 'ses-send', body: body(fixtureRecord('send-record.json'), 'sns-send-1501') },
        { messageId: 'ses-broken', body: body({ eventType: 'Open' }, 'sns-broken-1501') },
      ],
      harness.deps(NOW),
    );

    expect(outcome).toMatchObject({ failedKeys: [], deadLettered: 1 });
    const [parked] = await harness.sqs.drain(harness.deadLetterQueueUrl);
    expect(parked?.MessageAttributes?.reason?.StringValue).toMatch(/^ses: /);
    const sesOpen: LeadEvent = {
      source: 'ses',
      sourceEventId: 'sns-open-1501:0',
      type: 'email.opened',
      occurredAt: openedAt,
      who: { email },
    };
    const lead = await expectReference('hubspot:contact:1501', [...events, sesOpen]);
    expect(lead.events).toContainEqual(
      expect.objectContaining({ id: 'ses:sns-open-1501:0', type: 'email.opened', occurredAt: openedAt }),
    );
    expect(lead.events).toHaveLength(7);
  });

  it('parks an unreadable message in the DLQ with its reason and processes the rest', async () => {
    const good = contactEvents('901')[0]!;
    const outcome = await harness.send([good], NOW);
    expect(outcome.failedKeys).toEqual([]);
    const { scoreEventBatch } = await import('../../lib/leads/score-event-batch');

    const result = await scoreEventBatch(
      [{ messageId: 'bad-1', body: '{"type":"nope"}' }],
      harness.deps(NOW),
    );

    expect(result).toMatchObject({ deadLettered: 1, failedKeys: [] });
    const [parked] = await harness.sqs.drain(harness.deadLetterQueueUrl);
    expect(parked?.Body).toBe('{"type":"nope"}');
    expect(parked?.MessageAttributes?.reason?.StringValue).toMatch(/^not a LeadEvent: /);
  });

  it('parks an event whose CRM id could not be a key, alone: the other leads of its batch are saved', async () => {
    const [good] = contactEvents('902');
    const odd: LeadEvent = {
      ...good!,
      sourceEventId: 'odd-1',
      who: { crm: { system: 'hubspot', objectType: 'contact', id: '9'.repeat(3000) } },
    };
    const result = await scoreEventBatch(
      [
        { messageId: 'good-1', body: JSON.stringify(good) },
        { messageId: 'odd-1', body: JSON.stringify(odd) },
      ],
      harness.deps(NOW),
    );

    expect(result).toMatchObject({ deadLettered: 1, failedKeys: [], leadsSaved: 1 });
    const [parked] = await harness.sqs.drain(harness.deadLetterQueueUrl);
    expect(parked?.MessageAttributes?.reason?.StringValue).toBe(
      'not a LeadEvent: who.crm.id: a CRM id has at most 255 characters',
    );
    await expectReference('hubspot:contact:902', [good!]);
  });

  it('cuts event values to 4,096 characters as the ingest does, for messages that did not come through it', async () => {
    const [created] = contactEvents('903');
    const long = { ...created!, fields: { url: `/pricing?${'q'.repeat(10_000)}` } };
    expect((await harness.send([long], NOW)).failedKeys).toEqual([]);
    const lead = await harness.lead('hubspot:contact:903');
    expect(lead?.events[0]?.['url']).toBe(`/pricing?${'q'.repeat(4096 - 9)}`);
  });
});
