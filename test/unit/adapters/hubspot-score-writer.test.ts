import {
  HubSpotClientSource,
  hubSpotCallError,
  type HubSpotContactsApi,
} from '../../../lib/adapters/hubspot-client';
import { HubSpotScoreWriter } from '../../../lib/adapters/hubspot-score-writer';
import { DEFAULT_SCORE_FIELDS } from '../../../lib/config/crm-fields';
import { WholeBatchRefusal } from '../../../lib/writeback/write-scores';
import { scoreWrite } from '../writeback/fakes';

/** Shaped like @hubspot/api-client's ApiException for a 400 (its body deserialized as the Error model). */
const refusal = (body: Record<string, unknown>) =>
  Object.assign(new Error('HTTP-Code: 400'), { code: 400, body, headers: {} });

const invalidValues = (details: readonly { error: string; name: string; message: string }[]) =>
  `Property values were not valid: ${JSON.stringify(details.map((detail) => ({ isValid: false, ...detail })))}`;

describe('hubSpotCallError on a 400 VALIDATION_ERROR', () => {
  it('reads an invalid value as a refusal to split: HubSpot refuses the whole batch for one record', () => {
    const error = hubSpotCallError(
      refusal({
        category: 'VALIDATION_ERROR',
        message: invalidValues([
          {
            error: 'INVALID_OPTION',
            name: 'leadscore_grade',
            message: 'A+ was not one of the allowed options',
          },
        ]),
        errors: [
          {
            message: 'A+ was not one of the allowed options',
            code: 'INVALID_OPTION',
            context: { propertyName: ['leadscore_grade'] },
          },
        ],
      }),
    );

    expect(error).toBeInstanceOf(WholeBatchRefusal);
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('A+ was not one of the allowed options');
  });

  it('reads the codes from the message when the body has no errors[]', () => {
    const error = hubSpotCallError(
      refusal({
        category: 'VALIDATION_ERROR',
        message: invalidValues([
          { error: 'INVALID_DECIMAL', name: 'leadscore_score', message: '1e+21 was not a valid number.' },
        ]),
      }),
    );

    expect(error).toBeInstanceOf(WholeBatchRefusal);
  });

  it('does not split a refusal every record would get alike: a property that does not exist or is read-only', () => {
    const missing = hubSpotCallError(
      refusal({
        category: 'VALIDATION_ERROR',
        message: invalidValues([
          { error: 'PROPERTY_DOESNT_EXIST', name: 'leadscore_total', message: 'Property does not exist' },
        ]),
      }),
    );
    const readOnly = hubSpotCallError(
      refusal({
        category: 'VALIDATION_ERROR',
        message: 'Property values were not valid',
        errors: [{ message: 'read only', code: 'READ_ONLY_VALUE' }],
      }),
    );

    expect([missing.kind, readOnly.kind]).toEqual(['rejected', 'rejected']);
    expect(missing).not.toBeInstanceOf(WholeBatchRefusal);
    expect(readOnly).not.toBeInstanceOf(WholeBatchRefusal);
  });

  it('does not split other refusals', () => {
    const error = hubSpotCallError(
      Object.assign(new Error('HTTP-Code: 404'), {
        code: 404,
        body: { category: 'OBJECT_NOT_FOUND', message: 'no route' },
      }),
    );

    expect(error.kind).toBe('rejected');
    expect(error).not.toBeInstanceOf(WholeBatchRefusal);
  });
});

describe('HubSpotScoreWriter results', () => {
  /** A contacts API whose batch update answers with `results`, recording the inputs it was sent. */
  function writerAnswering(results: (inputs: { id: string; objectWriteTraceId?: string }[]) => unknown[]) {
    const sent: { id: string; objectWriteTraceId?: string }[][] = [];
    const api = {
      batchApi: {
        updateWithHttpInfo: async ({ inputs }: { inputs: { id: string; objectWriteTraceId?: string }[] }) => {
          sent.push(inputs);
          return { httpStatusCode: 200, headers: {}, data: { status: 'COMPLETE', results: results(inputs) } };
        },
      },
    } as unknown as HubSpotContactsApi;
    const source = new HubSpotClientSource(
      { credentials: async () => ({ accessToken: 'token' }) },
      () => api,
    );
    return { writer: new HubSpotScoreWriter(source, DEFAULT_SCORE_FIELDS.hubspot), sent };
  }

  it('counts a record HubSpot answered under the surviving id of a merge as written, by its trace id', async () => {
    // Contact 2 was merged into 999: HubSpot updates the survivor and answers with its id.
    const { writer, sent } = writerAnswering((inputs) =>
      inputs.map((input) => ({
        id: input.id === '2' ? '999' : input.id,
        objectWriteTraceId: input.objectWriteTraceId,
        properties: {},
      })),
    );

    const result = await writer.writeBatch([scoreWrite(1), scoreWrite(2)]);

    expect(sent[0]?.map((input) => input.objectWriteTraceId)).toEqual([
      'hubspot:contact:1',
      'hubspot:contact:2',
    ]);
    expect(result.outcomes.get('hubspot:contact:2')).toEqual({ kind: 'written' });
    expect(result.outcomes.get('hubspot:contact:1')).toEqual({ kind: 'written' });
  });

  it('still matches by id when HubSpot leaves the trace id out', async () => {
    const { writer } = writerAnswering((inputs) => inputs.map((input) => ({ id: input.id, properties: {} })));

    const result = await writer.writeBatch([scoreWrite(1)]);

    expect(result.outcomes.get('hubspot:contact:1')).toEqual({ kind: 'written' });
  });
});
