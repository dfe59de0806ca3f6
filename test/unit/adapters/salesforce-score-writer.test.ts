import { salesforceCallError, SalesforceScoreWriter } from '../../../lib/adapters/salesforce-score-writer';
import type { SalesforceSession } from '../../../lib/adapters/salesforce-session';
import { DEFAULT_SCORE_FIELDS } from '../../../lib/config/crm-fields';
import { scoreWrite } from '../writeback/fakes';

/** Shaped like jsforce's HttpApiError for a call-level error body `[{errorCode, message}]`. */
const jsforceError = (errorCode: string, message: string) => Object.assign(new Error(message), { errorCode });

/** A session whose collection update answers one SaveResult error per record, as the wire spells them. */
function writerAnswering(codes: readonly string[]) {
  const session = {
    call: async <T>(work: (connection: unknown) => Promise<T>) =>
      work({
        limitInfo: {},
        sobject: () => ({
          update: async () =>
            codes.map((statusCode) =>
              statusCode === 'OK'
                ? { success: true }
                : { success: false, errors: [{ statusCode, message: `${statusCode} said the org` }] },
            ),
        }),
      }),
  } as unknown as SalesforceSession;
  return new SalesforceScoreWriter(session, {
    fields: DEFAULT_SCORE_FIELDS.salesforce,
    assignOnQualificationChange: false,
  });
}

const lead = (n: number) =>
  scoreWrite(n, {
    leadId: `salesforce:lead:${n}`,
    ref: { system: 'salesforce', objectType: 'Lead', id: `00Q00000000000${n}AAA` },
  });

describe('SalesforceScoreWriter per-record errors', () => {
  it.each([
    ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'permanent'],
    ['INVALID_FIELD', 'permanent'],
    ['INVALID_FIELD_FOR_INSERT_UPDATE', 'permanent'],
    ['UNABLE_TO_LOCK_ROW', 'transient'],
    ['SERVER_UNAVAILABLE', 'transient'],
  ])('reads %s as %s, with the org’s message as the reason', async (code, kind) => {
    const result = await writerAnswering([code, 'OK']).writeBatch([lead(1), lead(2)]);

    expect(result.outcomes.get('salesforce:lead:1')).toMatchObject({
      kind,
      reason: `salesforce: ${code}: ${code} said the org`,
    });
    expect(result.outcomes.get('salesforce:lead:2')).toEqual({ kind: 'written' });
  });

  it('does not mark a refused value as a gone record', async () => {
    const result = await writerAnswering(['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']).writeBatch([lead(1)]);

    expect(result.outcomes.get('salesforce:lead:1')).toMatchObject({ recordGone: false });
  });
});

describe('salesforceCallError for a whole call', () => {
  it.each([
    ['INVALID_FIELD', "No such column 'Lead_Score__c' on sobject of type Lead"],
    ['INVALID_FIELD_FOR_INSERT_UPDATE', 'Unable to create/update fields: Lead_Score__c.'],
    ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Lead Grade: bad value for restricted picklist field: A+'],
  ])('reads %s as a refusal, with the org’s message', (code, message) => {
    const error = salesforceCallError(jsforceError(code, message));

    expect(error.kind).toBe('rejected');
    expect(error.message).toBe(`salesforce: ${code}: ${message}`);
  });

  it.each([
    ['UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record', 'transient'],
    ['SERVER_UNAVAILABLE', 'Server temporarily unavailable.', 'transient'],
    ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', 'throttled'],
  ])('keeps %s retried (%s)', (code, message, kind) => {
    expect(salesforceCallError(jsforceError(code, message)).kind).toBe(kind);
  });
});
