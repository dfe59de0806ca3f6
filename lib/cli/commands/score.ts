// `leadscore score`: scores leads from JSON Lines or CSV as a stream, one JSON result line per lead, in input order.
import type { Readable } from 'node:stream';
import { CsvHeaderError, CsvSyntaxError } from '../../csv';
import { scoreLead, type ScoringModel } from '../../scoring';
import { defineCommand } from '../command';
import { CommandFailedError, UsageError } from '../errors';
import { openInputStream } from '../files';
import { LineWriter, type CliIo } from '../io';
import { ISO_EXAMPLE, parseIsoInstant, SCORING_TIME_OPTION } from '../iso-time';
import { readCsvLeads, readJsonLinesLeads, type LeadInput } from '../lead-sources';
import { loadRulesFile, RULES_FILE_OPTION } from '../load-rules';

export const scoreCommand = defineCommand({
  path: ['score'],
  summary: 'Score leads (JSON Lines or CSV) and print one JSON line per lead',
  usage: '--rules FILE [--at ISO] [--input FILE | --csv FILE]',
  description: [
    'Reads one lead per line, {"id": ..., "profile": {...}, "events": [...]}, from stdin or --input,',
    'and prints {"id","score","fit","engagement","grade","stage","reasons"} per lead in input order.',
    'With --csv, each row is a profile (column names are field names, empty cells are missing);',
    'the id is the `id` column, else the row number.',
    'A line that is not a lead is reported on stderr with its line number and skipped; the exit',
    'code is then 1, after every other lead has been scored.',
  ].join('\n'),
  options: {
    rules: RULES_FILE_OPTION,
    at: SCORING_TIME_OPTION,
    input: {
      type: 'string',
      short: 'i',
      valueName: 'FILE',
      description: "Read JSON Lines from FILE instead of stdin ('-' is stdin)",
    },
    csv: {
      type: 'string',
      valueName: 'FILE',
      description: 'Read leads from a CSV file, one profile per row',
    },
  },
  positionals: { min: 0, max: 0 },
  async run({ options }, { io, now }) {
    if (options.rules === undefined) throw new UsageError('missing --rules FILE');
    if (options.input !== undefined && options.csv !== undefined) {
      throw new UsageError('use --input or --csv, not both');
    }
    const at = options.at === undefined ? now() : parseIsoInstant(options.at);
    if (at === undefined) {
      throw new UsageError(`--at '${options.at}' is not an ISO 8601 time with a zone (e.g. ${ISO_EXAMPLE})`);
    }
    const model = await loadRulesFile(options.rules);
    const { name, leads, hint } = await openLeads(options, io.stdin);
    if (hint !== undefined) io.stderr.write(`leadscore score: ${hint}\n`);
    return scoreAll(model, leads, at, name, io);
  },
});

async function openLeads(
  options: { readonly input?: string; readonly csv?: string },
  stdin: Readable,
): Promise<{ name: string; leads: AsyncIterable<LeadInput>; hint?: string }> {
  if (options.csv !== undefined) {
    return { name: options.csv, leads: readCsvLeads(await openInputStream(options.csv)) };
  }
  if (options.input !== undefined && options.input !== '-') {
    return { name: options.input, leads: readJsonLinesLeads(await openInputStream(options.input)) };
  }
  // Someone typing `leadscore score --rules x` alone would otherwise stare at a silent terminal.
  const interactive = (stdin as { isTTY?: boolean }).isTTY === true;
  const hint = interactive ? 'reading JSON Lines leads from stdin (Ctrl-D ends)' : undefined;
  return { name: 'stdin', leads: readJsonLinesLeads(stdin), hint };
}

async function scoreAll(
  model: ScoringModel,
  leads: AsyncIterable<LeadInput>,
  at: Date,
  inputName: string,
  io: CliIo,
): Promise<number> {
  const out = new LineWriter(io.stdout);
  let scored = 0;
  let skipped = 0;
  const skip = (where: string, reason: string) => {
    skipped++;
    io.stderr.write(`${inputName} ${where}: ${reason}\n`);
  };
  try {
    for await (const item of leads) {
      if (!item.ok) {
        skip(item.where, item.reason);
        continue;
      }
      let line: string;
      try {
        const { score, fit, engagement, grade, stage, reasons } = scoreLead(model, item.lead, at);
        line = JSON.stringify({ id: item.lead.id, score, fit, engagement, grade, stage, reasons });
      } catch (error) {
        skip(item.where, `cannot score: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      await out.write(line);
      scored++;
      // The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
      if (out.closed) return skipped > 0 ? 1 : 0;
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError || error instanceof CsvHeaderError) {
      throw new CommandFailedError(`${inputName}: ${error.message} (${scored} leads scored before it)`);
    }
    throw error;
  }
  // An empty input is likely the wrong file: say so rather than print nothing.
  if (scored + skipped === 0) io.stderr.write(`leadscore score: ${inputName} holds no leads\n`);
  if (skipped === 0) return 0;
  io.stderr.write(`leadscore score: ${skipped} of ${scored + skipped} leads skipped (see above)\n`);
  return 1;
}
