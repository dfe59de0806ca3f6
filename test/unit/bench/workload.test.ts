// The benchmark workload generator: same seed, same leads; and leads that look like CRM data.
import { generateWorkload } from '../../../bench/workload';

const NOW = new Date('2024-06-01T12:00:00Z');
const DAY_MS = 86_400_000;

describe('generateWorkload', () => {
  it('generates the same leads for the same seed', () => {
    const first = generateWorkload({ seed: 7, leads: 300, now: NOW });
    const second = generateWorkload({ seed: 7, leads: 300, now: NOW });

    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('generates different leads for another seed', () => {
    const first = generateWorkload({ seed: 7, leads: 50, now: NOW });
    const other = generateWorkload({ seed: 8, leads: 50, now: NOW });

    expect(JSON.stringify(other.leads)).not.toBe(JSON.stringify(first.leads));
  });

  it('gives each lead 0-30 events inside the 180 days before now, and counts them', () => {
    const { leads, events } = generateWorkload({ seed: 1, leads: 2000, now: NOW });
    const counts = leads.map((lead) => lead.events.length);
    const times = leads.flatMap((lead) => lead.events.map((event) => Date.parse(String(event.occurredAt))));

    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBe(30);
    expect(events).toBe(counts.reduce((sum, count) => sum + count, 0));
    expect(times.every((time) => time <= NOW.getTime() && time >= NOW.getTime() - 180 * DAY_MS)).toBe(true);
  });

  it('writes company sizes as numeric strings, as CRMs send them', () => {
    const { leads } = generateWorkload({ seed: 2, leads: 500, now: NOW });
    const sizes = leads.map((lead) => lead.profile['numberofemployees']).filter((size) => size !== undefined);

    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.every((size) => typeof size === 'string' && /^(\d+)?$/.test(size))).toBe(true);
  });

  it('uses the event types and fields the example rules filter on', () => {
    const { leads } = generateWorkload({ seed: 3, leads: 500, now: NOW });
    const events = leads.flatMap((lead) => lead.events);

    expect(events.some((e) => e.type === 'page.viewed' && String(e['url']).includes('/pricing'))).toBe(true);
    expect(events.some((e) => e.type === 'form.submitted' && e['formId'] === 'demo-request')).toBe(true);
    expect(events.some((e) => e.type === 'form.submitted' && String(e['reason']).includes('academic'))).toBe(
      true,
    );
    expect(events.some((e) => e.type === 'email.opened')).toBe(true);
  });
});
