/** The leadscore library: one export line per area. */
export * from './scoring';
