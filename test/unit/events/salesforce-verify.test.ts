// Salesforce Outbound Message authenticity: the URL token and a known OrganizationId (no signature exists).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { salesforceSource, verifySalesforceOutboundMessage } from '../../../lib/events/sources/salesforce';
import type { WebhookRequest } from '../../../lib/events/webhook';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/salesforce', name));
const TOKEN = 'tok_5b0e8e0f2a9c4d7e';
const BASE = 'https://hooks.example.com/webhooks/salesforce';
const now = new Date('2024-05-01T12:00:00.000Z');
// The shared sample carries the 15-character form, the composed lead message the 18-character one.
const sampleBody = fixture('salesforce-outbound-message.xml');
const leadsBody = fixture('salesforce-outbound-leads.xml');
const secrets = { organizationIds: ['012345678901234'], urlToken: TOKEN };

const request = (url: string, rawBody: Buffer | string = sampleBody): WebhookRequest => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
  rawBody: Buffer.from(rawBody),
});

describe('verifySalesforceOutboundMessage', () => {
  it('accepts the right token and a configured org', () => {
    expect(verifySalesforceOutboundMessage(request(`${BASE}?token=${TOKEN}`), secrets, now)).toEqual({
      ok: true,
    });
  });

  it('finds the token among other query parameters', () => {
    const verdict = verifySalesforceOutboundMessage(
      request(`${BASE}?org=eu&token=${TOKEN}&x=1`),
      secrets,
      now,
    );
    expect(verdict.ok).toBe(true);
  });

  it('matches an 18-character configured id against a 15-character one in the body', () => {
    const configured = { ...secrets, organizationIds: ['00D000000000001AAA', '012345678901234AAA'] };
    expect(verifySalesforceOutboundMessage(request(`${BASE}?token=${TOKEN}`), configured, now).ok).toBe(true);
  });

  it('matches a 15-character configured id against an 18-character one in the body', () => {
    const configured = { ...secrets, organizationIds: ['00D1I000003qqqE'] };
    const verdict = verifySalesforceOutboundMessage(
      request(`${BASE}?token=${TOKEN}`, leadsBody),
      configured,
      now,
    );
    expect(verdict.ok).toBe(true);
  });

  it.each([
    ['a wrong token', `${BASE}?token=tok_5b0e8e0f2a9c4d7f`, 'salesforce: URL token mismatch'],
    ['a token prefix', `${BASE}?token=tok_5b0e`, 'salesforce: URL token mismatch'],
    ['no token', BASE, 'salesforce: missing URL token'],
    ['the token under another name', `${BASE}?secret=${TOKEN}`, 'salesforce: missing URL token'],
    ['the token in the path only', `${BASE}/${TOKEN}`, 'salesforce: missing URL token'],
    ['an unparseable URL', 'not a url', 'salesforce: unparseable request URL'],
  ])('rejects %s', (_case, url, reason) => {
    expect(verifySalesforceOutboundMessage(request(url), secrets, now)).toEqual({ ok: false, reason });
  });

  it('rejects an org that is not configured', () => {
    const configured = { ...secrets, organizationIds: ['00D000000000001'] };
    expect(verifySalesforceOutboundMessage(request(`${BASE}?token=${TOKEN}`), configured, now)).toEqual({
      ok: false,
      reason: 'salesforce: unknown OrganizationId',
    });
  });

  it('treats 15-character ids as case-sensitive', () => {
    const configured = { ...secrets, organizationIds: ['00d1i000003QQQe'] };
    const verdict = verifySalesforceOutboundMessage(
      request(`${BASE}?token=${TOKEN}`, leadsBody),
      configured,
      now,
    );
    expect(verdict.ok).toBe(false);
  });

  it('rejects everything when no token or no org is configured', () => {
    const url = `${BASE}?token=`;
    expect(verifySalesforceOutboundMessage(request(url), { ...secrets, urlToken: '' }, now).ok).toBe(false);
    expect(
      verifySalesforceOutboundMessage(
        request(`${BASE}?token=${TOKEN}`),
        { ...secrets, organizationIds: [] },
        now,
      ).ok,
    ).toBe(false);
  });

  it('ignores configured ids too short to be org ids', () => {
    const configured = { ...secrets, organizationIds: ['', '0123'] };
    expect(verifySalesforceOutboundMessage(request(`${BASE}?token=${TOKEN}`), configured, now).ok).toBe(
      false,
    );
  });

  it.each([
    ['not XML', 'hello'],
    [
      'another SOAP message',
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>',
    ],
    [
      'an OrganizationId only inside a comment',
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><!-- <OrganizationId>012345678901234</OrganizationId> --></notifications></e:Body></e:Envelope>',
    ],
    ['invalid UTF-8', Buffer.from([0x3c, 0xff, 0xfe, 0x3e])],
    ['an empty body', ''],
  ])('rejects a body that is %s, without throwing', (_case, body) => {
    expect(verifySalesforceOutboundMessage(request(`${BASE}?token=${TOKEN}`, body), secrets, now)).toEqual({
      ok: false,
      reason: 'salesforce: no OrganizationId in the body',
    });
  });

  it('reads the body only after the token matched', () => {
    const verdict = verifySalesforceOutboundMessage(request(`${BASE}?token=wrong`, 'not xml'), secrets, now);
    expect(verdict).toEqual({ ok: false, reason: 'salesforce: URL token mismatch' });
  });
});

describe('salesforceSource', () => {
  it('serves /webhooks/salesforce and answers with the exact SOAP acknowledgement', () => {
    expect(salesforceSource.route).toBe('/webhooks/salesforce');
    expect(salesforceSource.source).toBe('salesforce');
    expect(salesforceSource.accepted).toEqual({
      statusCode: 200,
      contentType: 'text/xml',
      body: fixture('salesforce-outbound-ack.xml').toString('utf8'),
    });
  });
});
