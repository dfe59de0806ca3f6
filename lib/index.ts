/** The leadscore library: one export line per area. */
export * from './scoring';
export * from './events/lead-event';
export * from './events/verifiers';
export * from './events/parsers';
export * from './ingest';
