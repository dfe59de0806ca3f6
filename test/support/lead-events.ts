/** Builders for normalized LeadEvents in tests. */
import type { LeadEvent } from '../../lib/events/lead-event';

export function leadEvent(overrides: Partial<LeadEvent> = {}, n = 0): LeadEvent {
  return {
    source: 'api',
    sourceEventId: `evt-${n}`,
    type: 'page.viewed',
    occurredAt: new Date(Date.UTC(2026, 10, 1, 12, 0, n % 60)).toISOString(),
    who: { email: `lead${n}@example.com` },
    fields: { url: `https://example.com/pricing?n=${n}` },
    ...overrides,
  };
}

export const leadEvents = (count: number): LeadEvent[] =>
  Array.from({ length: count }, (_, n) => leadEvent({}, n));
