/** Test support for the email-platform sources: webhook requests as the ingest handler hands them over. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookRequest } from '../../../lib/events/webhook';

export function webhookRequest(init: {
  readonly body: string | Buffer;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly method?: string;
}): WebhookRequest {
  return {
    method: init.method ?? 'POST',
    url: init.url,
    headers: init.headers ?? {},
    rawBody: Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body, 'utf8'),
  };
}

/** A fixture's text, read fresh per call so that a test can mutate what it gets. */
export const fixtureText = (source: string, file: string): string =>
  readFileSync(join(__dirname, '../../fixtures', source, file), 'utf8');

export const atSeconds = (epochSeconds: number): Date => new Date(epochSeconds * 1000);
