// One reading of "a point in time" for the CLI: ISO 8601 with an explicit zone, a date, or epoch milliseconds.
import { z } from 'zod';
import type { OptionSpec } from './command';

// Without an offset a time would be read in the machine's zone, and scores would depend on where they ran.
export const IsoInstantSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** The instant an ISO 8601 text names, or undefined when it is not one (or names no real day). */
export function parseIsoInstant(text: string): Date | undefined {
  if (!IsoInstantSchema.safeParse(text).success) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const ISO_EXAMPLE = '2024-05-01T12:00:00Z';

/** `--at ISO`, as every command that scores at a chosen time takes it. */
export const SCORING_TIME_OPTION = {
  type: 'string',
  valueName: 'ISO',
  description: `Score as of this time, e.g. ${ISO_EXAMPLE} (default: now)`,
} as const satisfies OptionSpec;
