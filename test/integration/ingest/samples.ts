/** Per route the handler serves: a signed sample that yields events, an authenticated malformed body, and more. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Source } from '../../../lib/events/lead-event';
import {
  signedApi,
  signedHubSpot,
  signedMailchimp,
  signedMailgun,
  signedMandrill,
  signedPostmark,
  signedSalesforce,
  signedSendGrid,
  type SignOptions,
} from '../../support/signed-requests';

export const fixture = (source: string, file: string): string =>
  readFileSync(join(__dirname, '../../fixtures', source, file), 'utf8');

/**
 * One of Mailchimp's documented samples, form-encoded as it travels (the fixture lists the fields unencoded,
 * with spaces in fired_at and `+` in addresses).
 */
export function mailchimpSample(type: string): string {
  const line = fixture('mailchimp', 'marketing-webhooks.txt')
    .split('\n')
    .find((candidate) => candidate.startsWith(`type=${type}&`));
  if (!line) throw new Error(`no Mailchimp ${type} sample`);
  const pairs = line
    .split('&')
    .map((pair): [string, string] => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]);
  return new URLSearchParams(pairs).toString();
}

export interface RouteSample {
  readonly source: Source;
  readonly route: string;
  /** A sample that normalizes to at least one event, authenticated (or forged) as the vendor does. */
  readonly valid: (options?: SignOptions) => APIGatewayProxyEventV2;
  /** Any body, authenticated with the right key. */
  readonly signed: (body: string | Buffer) => APIGatewayProxyEventV2;
  /** An authenticated body that is not the source's format, and the 400's reason. */
  readonly malformed: () => APIGatewayProxyEventV2;
  readonly malformedReason: string;
}

export const HANDLER_ROUTES: readonly RouteSample[] = [
  {
    source: 'hubspot',
    route: '/webhooks/hubspot',
    valid: (options) => signedHubSpot(fixture('hubspot', 'hubspot-webhook-batch.json'), options),
    signed: (body) => signedHubSpot(body),
    malformed: () => signedHubSpot('{"events":[]}'),
    malformedReason: 'hubspot: body is not a JSON array',
  },
  {
    source: 'salesforce',
    route: '/webhooks/salesforce',
    valid: (options) => signedSalesforce(fixture('salesforce', 'salesforce-outbound-leads.xml'), options),
    signed: (body) => signedSalesforce(body),
    malformed: () =>
      signedSalesforce(
        fixture('salesforce', 'salesforce-outbound-leads.xml').replace(
          /<ob:Notification>[\s\S]*?<\/ob:Notification>/g,
          '',
        ),
      ),
    malformedReason: 'salesforce: no Notification',
  },
  {
    source: 'sendgrid',
    route: '/webhooks/sendgrid',
    valid: (options) => signedSendGrid(fixture('sendgrid', 'events.json'), options),
    signed: (body) => signedSendGrid(body),
    malformed: () => signedSendGrid('{"event":"open"}'),
    malformedReason: 'sendgrid: body is not an array of events',
  },
  {
    source: 'mandrill',
    route: '/webhooks/mandrill',
    valid: (options) => signedMandrill(fixture('mandrill', 'events.json'), options),
    signed: (body) => signedMandrill(Buffer.from(body)),
    malformed: () => signedMandrill({ events: '[]' }),
    malformedReason: 'mandrill: no mandrill_events field',
  },
  {
    source: 'mailchimp',
    route: '/webhooks/mailchimp',
    valid: (options) => signedMailchimp(mailchimpSample('unsubscribe'), options),
    signed: (body) => signedMailchimp(body),
    malformed: () => signedMailchimp('type=subscribe&data%5Bemail%5D=ana%40example.com'),
    malformedReason: 'mailchimp: fired_at missing or not "YYYY-MM-DD HH:MM:SS"',
  },
  {
    source: 'mailgun',
    route: '/webhooks/mailgun',
    valid: (options) => signedMailgun(fixture('mailgun', 'delivered.json'), options),
    signed: (body) => signedMailgun(body),
    malformed: () => signedMailgun('{"event-data":"delivered"}'),
    malformedReason: 'mailgun: body has no event-data (event-data: expected an object)',
  },
  {
    source: 'postmark',
    route: '/webhooks/postmark',
    valid: (options) => signedPostmark(fixture('postmark', 'open.json'), options),
    signed: (body) => signedPostmark(body),
    malformed: () => signedPostmark('{"Hello":"Postmark"}'),
    malformedReason: 'postmark: body is not a record with a RecordType (RecordType: expected a string)',
  },
  {
    source: 'api',
    route: '/events',
    valid: (options) => signedApi(fixture('api', 'events-batch.json'), options),
    signed: (body) => signedApi(body),
    malformed: () => signedApi('[{"id":"1"}]'),
    malformedReason: 'api: body must be an event or {"events": [...]}',
  },
];
