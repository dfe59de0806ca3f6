// Salesforce Outbound Message authenticity: the URL token and a known OrganizationId (no signature exists).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseSalesforceOutboundMessage,
  salesforceSource,
  verifySalesforceOutboundMessage,
} from '../../../lib/events/sources/salesforce';
import { MalformedBodyError, type WebhookRequest } from '../../../lib/events/webhook';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/salesforce', name));
const TOKEN = 'tok_5b0e8e0f2a9c4d7e';
const BASE = 'https://hooks.example.com/webhooks/salesforce';
const now = new Date('2024-05-01T12:00:00.000Z');
// The shared sample carries the 15-character form, the composed lead message the 18-character one.
const sampleBody = fixture('salesforce-outbound-message.xml');
const leadsBody = fixture('salesforce-outbound-leads.xml');
const secrets = { organizationIds: ['012345678901234'], urlToken: TOKEN };
const sampleText = sampleBody.toString('utf8');

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
    [
      'another SOAP message',
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>',
    ],
    [
      'an OrganizationId only inside a comment',
      '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><!-- <OrganizationId>012345678901234</OrganizationId> --></notifications></e:Body></e:Envelope>',
    ],
    ['a message whose OrganizationId is not an org id', sampleText.replace('012345678901234', '0123456789')],
  ])('rejects a body that is %s, without throwing', (_case, body) => {
    expect(verifySalesforceOutboundMessage(request(`${BASE}?token=${TOKEN}`, body), secrets, now)).toEqual({
      ok: false,
      reason: 'salesforce: no OrganizationId in the body',
    });
  });

  // The token holds, so these are malformed (400 from parse, with its reason), not unauthentic (401).
  it.each([
    ['not XML', 'hello', 'salesforce: malformed XML (text outside the root element)'],
    ['an empty body', '', 'salesforce: malformed XML (no root element)'],
    [
      'a field with a reference to NUL',
      sampleText.replace('Jeraldine', 'Jer&#0;aldine'),
      'salesforce: malformed XML (character reference to a disallowed character)',
    ],
    [
      'a DOCTYPE',
      `<!DOCTYPE soapenv:Envelope>${sampleText}`,
      'salesforce: malformed XML (DTDs and declarations are not supported)',
    ],
    [
      'a non-ASCII element name',
      sampleText.replaceAll('sf:Title>', 'sf:Títle>'),
      'salesforce: malformed XML (malformed start tag)',
    ],
    [
      'ISO-8859-1',
      Buffer.from(sampleText.replace('Black', 'Blåck'), 'latin1'),
      'salesforce: body is not UTF-8',
    ],
    ['invalid UTF-8', Buffer.from([0x3c, 0xff, 0xfe, 0x3e]), 'salesforce: body is not UTF-8'],
  ])('passes a body that is %s on to parse, which answers its reason', (_case, body, reason) => {
    const signed = request(`${BASE}?token=${TOKEN}`, body);
    expect(verifySalesforceOutboundMessage(signed, secrets, now)).toEqual({ ok: true });
    const parse = () => parseSalesforceOutboundMessage(signed, now);
    expect(parse).toThrow(MalformedBodyError);
    expect(parse).toThrow(reason);
    // Without the token it stays 401, the body unread.
    expect(verifySalesforceOutboundMessage(request(`${BASE}?token=wrong`, body), secrets, now)).toEqual({
      ok: false,
      reason: 'salesforce: URL token mismatch',
    });
  });

  it('parses what verify read, and reads the body afresh when its bytes changed in between', () => {
    const signed = request(`${BASE}?token=${TOKEN}`);
    expect(verifySalesforceOutboundMessage(signed, secrets, now).ok).toBe(true);
    expect(parseSalesforceOutboundMessage(signed, now).events[0]?.profile?.FirstName).toBe('Jeraldine');

    signed.rawBody.write('G', signed.rawBody.indexOf('Jeraldine'));
    expect(parseSalesforceOutboundMessage(signed, now).events[0]?.profile?.FirstName).toBe('Geraldine');
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
