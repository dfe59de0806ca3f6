// Salesforce Outbound Message SOAP → LeadEvents: Lead/Contact notifications, ignored objects, malformed XML.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSalesforceOutboundMessage } from '../../../lib/events/sources/salesforce';
import { MalformedBodyError, type WebhookRequest } from '../../../lib/events/webhook';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/salesforce', name));
const now = new Date('2024-05-02T08:00:00.000Z');
const request = (rawBody: Buffer | string): WebhookRequest => ({
  method: 'POST',
  url: 'https://hooks.example.com/webhooks/salesforce?token=t',
  headers: {},
  rawBody: Buffer.from(rawBody),
});
const parse = (body: Buffer | string) => parseSalesforceOutboundMessage(request(body), now);

const ENVELOPE_START =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D1I000003qqqE</OrganizationId>';
const ENVELOPE_END = '</notifications></soapenv:Body></soapenv:Envelope>';
const lead = (id: string, fields = '') =>
  `<Notification><Id>${id}</Id><sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>00Q000000000001</sf:Id>${fields}</sObject></Notification>`;
const message = (...notifications: string[]) => ENVELOPE_START + notifications.join('') + ENVELOPE_END;

describe('parseSalesforceOutboundMessage', () => {
  it('maps the documented Contact message: updates, email when present, occurredAt now without dates', () => {
    expect(parse(fixture('salesforce-outbound-message.xml'))).toEqual({
      ignored: 0,
      events: [
        {
          source: 'salesforce',
          sourceEventId: '04l1I000000fztEQAQ',
          type: 'crm.updated',
          occurredAt: '2024-05-02T08:00:00.000Z',
          who: { crm: { system: 'salesforce', objectType: 'Contact', id: '0031I0000081tbPQAQ' } },
          profile: {
            CreatedDate: '2017-12-11T21:49:24.000Z',
            FirstName: 'Jeraldine',
            LastName: 'Black',
            Title: 'White',
          },
        },
        {
          source: 'salesforce',
          sourceEventId: '04l1I000000fzt9QAA',
          type: 'crm.updated',
          occurredAt: '2024-05-02T08:00:00.000Z',
          who: {
            crm: { system: 'salesforce', objectType: 'Contact', id: '0031I0000081tb0QAA' },
            email: 'drb24@cornell.edu',
          },
          profile: {
            CreatedDate: '2017-12-11T21:44:55.000Z',
            Email: 'drb24@cornell.edu',
            FirstName: 'Doug',
            LastName: 'Bunting',
            Title: 'Supreme Being',
          },
        },
      ],
    });
  });

  it('maps Leads with other prefixes, entities, CDATA, nil and empty fields, and ignores the Account', () => {
    expect(parse(fixture('salesforce-outbound-leads.xml'))).toEqual({
      ignored: 1,
      events: [
        {
          source: 'salesforce',
          sourceEventId: '04l1I000000fzuAQAQ',
          type: 'crm.created',
          occurredAt: '2024-05-01T09:30:00.000Z',
          who: {
            crm: { system: 'salesforce', objectType: 'Lead', id: '00Q1I000004WHchUAG' },
            email: 'grace.smith@example.co.uk',
          },
          profile: {
            Company: 'Smith & Sons <UK>',
            CreatedDate: '2024-05-01T09:30:00.000Z',
            Description: 'Asked for <pricing> & a demo',
            Email: 'grace.smith@example.co.uk',
            FirstName: 'Grâce',
            LastModifiedDate: '2024-05-01T09:30:00.000Z',
            LastName: "O'Smith",
            LeadSource: 'Web',
            Phone: null,
            Title: '',
          },
        },
        {
          source: 'salesforce',
          sourceEventId: '04l1I000000fzuCQAQ',
          type: 'crm.updated',
          occurredAt: '2024-05-01T10:15:30.000Z',
          who: { crm: { system: 'salesforce', objectType: 'Lead', id: '00Q1I000004WHciUAG' } },
          profile: {
            CreatedDate: '2024-04-02T08:00:00.000Z',
            Email: null,
            Rating: 'Hot',
            SystemModstamp: '2024-05-01T10:15:30.000Z',
          },
        },
      ],
    });
  });

  it('prefers LastModifiedDate over SystemModstamp and normalizes it to UTC', () => {
    const fields =
      '<sf:SystemModstamp>2024-05-01T10:00:00.000Z</sf:SystemModstamp><sf:LastModifiedDate>2024-05-01T11:00:00+02:00</sf:LastModifiedDate>';
    const [event] = parse(message(lead('04l000000000001AAA', fields))).events;
    expect(event?.occurredAt).toBe('2024-05-01T09:00:00.000Z');
    expect(event?.type).toBe('crm.updated');
  });

  it('counts a creation only when CreatedDate equals LastModifiedDate', () => {
    const dates = (created: string, modified: string) =>
      `<sf:CreatedDate>${created}</sf:CreatedDate><sf:LastModifiedDate>${modified}</sf:LastModifiedDate>`;
    const batch = parse(
      message(
        lead('04l000000000001AAA', dates('2024-05-01T09:00:00.000Z', '2024-05-01T09:00:00.000Z')),
        lead('04l000000000002AAA', dates('2024-05-01T09:00:00.000Z', '2024-05-01T09:00:01.000Z')),
        lead('04l000000000003AAA', '<sf:CreatedDate>2024-05-01T09:00:00.000Z</sf:CreatedDate>'),
      ),
    );
    expect(batch.events.map((event) => event.type)).toEqual(['crm.created', 'crm.updated', 'crm.updated']);
  });

  it('keeps the Notification Id as dedupe key across redeliveries', () => {
    const first = parse(message(lead('04l000000000001AAA'), lead('04l000000000002AAA')));
    const redelivered = parse(message(lead('04l000000000002AAA'), lead('04l000000000001AAA')));
    expect(first.events.map((event) => event.sourceEventId)).toEqual([
      '04l000000000001AAA',
      '04l000000000002AAA',
    ]);
    expect(redelivered.events.map((event) => event.sourceEventId)).toEqual([
      '04l000000000002AAA',
      '04l000000000001AAA',
    ]);
  });

  it('accepts the maximum of 100 notifications', () => {
    const many = Array.from({ length: 100 }, (_, i) => lead(`04l${String(i).padStart(15, '0')}`));
    expect(parse(message(...many)).events).toHaveLength(100);
  });

  it('skips structured (non-scalar) sObject children', () => {
    const fields = '<sf:Owner><sf:Name>Someone</sf:Name></sf:Owner><sf:Rating>Warm</sf:Rating>';
    expect(parse(message(lead('04l000000000001AAA', fields))).events[0]?.profile).toEqual({ Rating: 'Warm' });
  });

  it('does not let a field called __proto__ change any prototype', () => {
    const [event] = parse(message(lead('04l000000000001AAA', '<sf:__proto__>x</sf:__proto__>'))).events;
    expect(Object.getPrototypeOf(event?.profile)).toBe(Object.prototype);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('parseSalesforceOutboundMessage malformed bodies', () => {
  it.each([
    [
      'JSON',
      '{"OrganizationId": "00D1I000003qqqE"}',
      'salesforce: malformed XML (text outside the root element)',
    ],
    ['invalid UTF-8', Buffer.from([0x3c, 0x61, 0xff, 0x2f, 0x3e]), 'salesforce: body is not UTF-8'],
    ['a DTD', `<!DOCTYPE x [<!ENTITY a "a">]>${message(lead('04l000000000001AAA'))}`, 'not supported'],
    ['a truncated message', message(lead('04l000000000001AAA')).slice(0, -20), 'salesforce: malformed XML'],
    ['another root element', '<notifications/>', 'salesforce: not an Outbound Message envelope'],
    [
      'notifications in another namespace',
      message(lead('04l000000000001AAA')).replace('http://soap.sforce.com/2005/09/outbound', 'urn:other'),
      'salesforce: not an Outbound Message envelope',
    ],
    [
      'no OrganizationId',
      message(lead('04l000000000001AAA')).replace('<OrganizationId>00D1I000003qqqE</OrganizationId>', ''),
      'salesforce: missing or invalid OrganizationId',
    ],
    [
      'an OrganizationId of the wrong length',
      message(lead('04l000000000001AAA')).replace('00D1I000003qqqE', '00D1I'),
      'salesforce: missing or invalid OrganizationId',
    ],
    ['no notification', message(), 'salesforce: no Notification'],
    [
      '101 notifications',
      message(...Array.from({ length: 101 }, (_, i) => lead(`04l${String(i).padStart(15, '0')}`))),
      'salesforce: more than 100 notifications',
    ],
    [
      'a notification without Id',
      message(lead('04l000000000001AAA'), lead('')),
      'salesforce: notification 1 has no Id',
    ],
    [
      'a notification without sObject',
      message('<Notification><Id>04l000000000001AAA</Id></Notification>'),
      'salesforce: notification 0 has no sObject',
    ],
    [
      'an sObject without xsi:type',
      message(lead('04l000000000001AAA').replace(' xsi:type="sf:Lead"', '')),
      'salesforce: notification 0 sObject has no xsi:type',
    ],
    [
      'an sObject without its Id field',
      message(lead('04l000000000001AAA').replace('<sf:Id>00Q000000000001</sf:Id>', '')),
      'salesforce: notification 0 sObject has no Id',
    ],
    [
      'an unreadable date',
      message(lead('04l000000000001AAA', '<sf:LastModifiedDate>yesterday</sf:LastModifiedDate>')),
      'salesforce: notification 0 has an invalid date',
    ],
    [
      'an unbound prefix',
      message(lead('04l000000000001AAA', '<zz:Rating>x</zz:Rating>')),
      'salesforce: malformed XML',
    ],
  ])('rejects %s', (_case, body, reason) => {
    expect(() => parse(body)).toThrow(MalformedBodyError);
    expect(() => parse(body)).toThrow(reason);
  });

  it('refuses a billion-laughs document quickly, without expanding it', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    const started = process.hrtime.bigint();
    expect(() => parse(laughs)).toThrow(MalformedBodyError);
    // Expanded, it would take seconds and gigabytes; a bound this loose survives a busy machine's pauses.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
  });

  it('does not echo field content in the reason', () => {
    const body = message(
      lead('04l000000000001AAA', '<sf:LastModifiedDate>private-value-42</sf:LastModifiedDate>'),
    );
    expect(() => parse(body)).toThrow(/^(?!.*private-value).*$/);
  });
});
