// Leads out of JSON Lines or CSV, one at a time and in input order; a bad line becomes a reported problem, not a stop.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readCsvRecords, recordPlace, recordProblem, type CsvSource } from '../csv';
import type { Lead } from '../scoring/types';
import { formatIssues } from './format-issues';
import { parseLead } from './lead-schema';

/** One input item: a lead, or why the line or row could not be read as one. `where` names it for people. */
export type LeadInput =
  | { readonly ok: true; readonly where: string; readonly lead: Lead }
  | { readonly ok: false; readonly where: string; readonly reason: string };

/** Blank lines are skipped; line numbers count every physical line, so they match an editor's. */
export async function* readJsonLinesLeads(input: Readable): AsyncGenerator<LeadInput> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const rawLine of lines) {
    lineNumber++;
    const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (line.trim() === '') continue;
    yield readJsonLine(line, `line ${lineNumber}`);
  }
}

function readJsonLine(line: string, where: string): LeadInput {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return {
      ok: false,
      where,
      reason: `invalid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const parsed = parseLead(value);
  if (!parsed.ok) return { ok: false, where, reason: `not a lead: ${formatIssues(parsed.error).join('; ')}` };
  return { ok: true, where, lead: parsed.lead };
}

/**
 * Each row is a profile: column names are field names and empty cells are missing fields. The id is the
 * `id` column when it has a value, else the row number. CSV rows carry no events.
 */
export async function* readCsvLeads(source: CsvSource): AsyncGenerator<LeadInput> {
  for await (const record of readCsvRecords(source)) {
    const where = recordPlace(record);
    const problem = recordProblem(record);
    if (problem !== undefined) {
      yield { ok: false, where, reason: problem };
      continue;
    }
    const profile: Record<string, string> = {};
    for (const [name, value] of Object.entries(record.fields)) {
      if (value.trim() !== '') profile[name] = value;
    }
    const id = profile['id']?.trim() || String(record.row);
    yield { ok: true, where, lead: { id, profile, events: [] } };
  }
}
