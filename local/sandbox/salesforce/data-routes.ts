/** REST data endpoints under /services/data/vXX.X: sObject collections, single records, describe, id queries, limits. */
import type { RecordStore } from '../shared/record-store';
import type { Router } from '../shared/router';
import {
  headerValue,
  isRecord,
  jsonBody,
  queryList,
  type SandboxRequest,
  type SandboxResponse,
} from '../shared/sandbox-http';
import { describeSObject } from './describe';
import type { RecordWriter, SaveMode } from './record-writer';
import { entityDeleted, notFound, salesforceError, type SaveResult } from './salesforce-errors';
import { normalizeId } from './salesforce-ids';
import { restRecord, type SalesforceRecord } from './sobject-records';
import { SObjectSchema, type SObjectType } from './sobject-schema';
import { parseIdQuery, SUPPORTED_QUERY_MESSAGE } from './soql';

export const MAX_COLLECTION_RECORDS = 200;

export interface DataDeps {
  readonly schema: SObjectSchema;
  readonly store: RecordStore<SalesforceRecord>;
  readonly writer: RecordWriter;
  readonly limits: () => { used: number; limit: number };
}

export const DATA_PREFIX = '/services/data/:version';

/** Sforce-Auto-Assign: absent or TRUE (or an AssignmentRule id) runs assignment rules; FALSE does not. */
export function runsAssignment(request: SandboxRequest): boolean {
  const header = headerValue(request, 'sforce-auto-assign');
  return header === undefined || !/^(false|0)$/i.test(header.trim());
}

export function addDataRoutes(router: Router, deps: DataDeps): void {
  const { schema, store, writer } = deps;
  const typeOf = (request: SandboxRequest): SObjectType | undefined =>
    SObjectSchema.typeName(request.params.type ?? '');
  const version = (request: SandboxRequest) => request.params.version ?? '';

  const find = (type: SObjectType, rawId: string): SalesforceRecord | SandboxResponse => {
    const id = normalizeId(rawId);
    if (id && store.wasDeleted(id)) return entityDeleted();
    const record = id ? store.get(id) : undefined;
    return record && record.type === type ? record : notFound();
  };

  const unknownField = (type: SObjectType, names: readonly string[]): SandboxResponse | undefined => {
    const unknown = names.find((name) => !schema.field(type, name));
    return unknown === undefined
      ? undefined
      : salesforceError(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${type}'.`);
  };

  const collection =
    (mode: SaveMode) =>
    (request: SandboxRequest): SandboxResponse => {
      const body = jsonBody(request);
      if (!isRecord(body) || !Array.isArray(body.records)) {
        return salesforceError(400, 'JSON_PARSER_ERROR', 'The request body must have a `records` array');
      }
      if (body.records.length > MAX_COLLECTION_RECORDS) {
        return salesforceError(
          400,
          'EXCEEDED_ID_LIMIT',
          `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
        );
      }
      const results = writer.save(mode, body.records, body.allOrNone === true, runsAssignment(request));
      return { status: 200, body: results };
    };

  const single = (result: SaveResult | undefined, success: SandboxResponse): SandboxResponse => {
    if (!result || result.success) return success;
    const [first] = result.errors;
    if (first?.statusCode === 'ENTITY_IS_DELETED') return entityDeleted();
    if (first?.statusCode === 'INVALID_CROSS_REFERENCE_KEY') return notFound();
    return {
      status: 400,
      body: result.errors.map((error) => ({
        message: error.message,
        errorCode: error.statusCode,
        fields: error.fields,
      })),
    };
  };

  router
    .on('PATCH', `${DATA_PREFIX}/composite/sobjects`, collection('update'))
    .on('POST', `${DATA_PREFIX}/composite/sobjects`, collection('create'))
    .on('POST', `${DATA_PREFIX}/composite/sobjects/:type`, (request) => {
      const type = typeOf(request);
      const body = jsonBody(request);
      if (!type) return notFound();
      if (!isRecord(body) || !Array.isArray(body.ids) || !Array.isArray(body.fields)) {
        return salesforceError(
          400,
          'JSON_PARSER_ERROR',
          'The request body must have `ids` and `fields` arrays',
        );
      }
      const fields = body.fields.map(String);
      const invalid = unknownField(type, fields);
      if (invalid) return invalid;
      return {
        status: 200,
        body: body.ids.map((rawId) => {
          const found = find(type, String(rawId));
          return 'status' in found ? null : restRecord(schema, found, version(request), fields);
        }),
      };
    })
    .on('GET', `${DATA_PREFIX}/sobjects/:type/describe`, (request) => {
      const type = typeOf(request);
      return type ? { status: 200, body: describeSObject(schema, type, version(request)) } : notFound();
    })
    .on('POST', `${DATA_PREFIX}/sobjects/:type`, (request) => {
      const type = typeOf(request);
      const body = jsonBody(request);
      if (!type || !isRecord(body)) return notFound();
      const [result] = writer.save(
        'create',
        [{ ...body, attributes: { type } }],
        true,
        runsAssignment(request),
      );
      return single(result, { status: 201, body: result });
    })
    .on('GET', `${DATA_PREFIX}/sobjects/:type/:id`, (request) => {
      const type = typeOf(request);
      if (!type) return notFound();
      const fields = queryList(request.query, 'fields');
      const invalid = fields ? unknownField(type, fields) : undefined;
      if (invalid) return invalid;
      const found = find(type, request.params.id ?? '');
      return 'status' in found
        ? found
        : { status: 200, body: restRecord(schema, found, version(request), fields) };
    })
    .on('PATCH', `${DATA_PREFIX}/sobjects/:type/:id`, (request) => {
      const type = typeOf(request);
      const body = jsonBody(request);
      if (!type || !isRecord(body)) return notFound();
      const record = { ...body, attributes: { type }, Id: request.params.id };
      const [result] = writer.save('update', [record], true, runsAssignment(request));
      return single(result, { status: 204 });
    })
    .on('GET', `${DATA_PREFIX}/query`, (request) => {
      const parsed = parseIdQuery(request.query.get('q') ?? '');
      if (!parsed) return salesforceError(400, 'INVALID_QUERY', SUPPORTED_QUERY_MESSAGE);
      const type = SObjectSchema.typeName(parsed.type);
      if (!type)
        return salesforceError(400, 'INVALID_TYPE', `sObject type '${parsed.type}' is not supported.`);
      const invalid = unknownField(type, parsed.fields);
      if (invalid) return invalid;
      const records = [...new Set(parsed.ids.map((id) => normalizeId(id)))]
        .map((id) => (id === undefined ? undefined : store.get(id)))
        .filter((record): record is SalesforceRecord => record?.type === type)
        .map((record) => restRecord(schema, record, version(request), parsed.fields));
      return { status: 200, body: { totalSize: records.length, done: true, records } };
    })
    .on('GET', `${DATA_PREFIX}/limits`, () => {
      const { used, limit } = deps.limits();
      return {
        status: 200,
        body: { DailyApiRequests: { Max: limit, Remaining: Math.max(0, limit - used) } },
      };
    });
}
