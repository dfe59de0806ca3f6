/**
 * HubSpot CRM v3 contact endpoints: batch read/update (200 or 207), single read, create. A batch update
 * with an invalid value in any input is refused whole (400), as HubSpot does.
 */
import type { Router } from '../shared/router';
import { isRecord, jsonBody, queryList, type SandboxResponse } from '../shared/sandbox-http';
import type { ContactBook, HubSpotContact, SimplePublicObject } from './contact-book';
import { propertyValuesNotValid, type BatchError, type HubSpotErrorResponder } from './hubspot-errors';

export const MAX_BATCH_INPUTS = 100;

const NOT_FOUND_MESSAGE =
  'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.';

interface BatchInput {
  readonly id: string;
  readonly idProperty?: string;
  /** Echoed on the input's result, so that a result can be matched to its input whatever its id. */
  readonly objectWriteTraceId?: string;
  readonly properties: Record<string, unknown>;
}

export function addContactRoutes(
  router: Router,
  book: ContactBook,
  fail: HubSpotErrorResponder,
  clock: () => number,
) {
  const base = '/crm/v3/objects/contacts';

  const batchEnvelope = (
    startedAt: string,
    results: SimplePublicObject[],
    errors: BatchError[],
  ): SandboxResponse => ({
    status: errors.length > 0 ? 207 : 200,
    body: {
      status: 'COMPLETE',
      results,
      ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
      startedAt,
      completedAt: new Date(clock()).toISOString(),
    },
  });

  const parseInputs = (body: unknown, needProperties: boolean): BatchInput[] | SandboxResponse => {
    if (!isRecord(body) || !Array.isArray(body.inputs)) {
      return fail(400, 'VALIDATION_ERROR', 'Invalid input JSON: `inputs` must be an array');
    }
    if (body.inputs.length > MAX_BATCH_INPUTS) {
      return fail(
        400,
        'VALIDATION_ERROR',
        `Batch input exceeded maximum of ${MAX_BATCH_INPUTS} inputs: ${body.inputs.length}`,
      );
    }
    const inputs: BatchInput[] = [];
    for (const input of body.inputs) {
      const id = isRecord(input) ? input.id : undefined;
      const properties = isRecord(input) ? (input.properties ?? {}) : undefined;
      if ((typeof id !== 'string' && typeof id !== 'number') || !isRecord(properties)) {
        return fail(
          400,
          'VALIDATION_ERROR',
          'Invalid input JSON: each input needs an `id`' + (needProperties ? ' and `properties`' : ''),
        );
      }
      const text = (key: string) =>
        isRecord(input) && typeof input[key] === 'string' ? (input[key] as string) : undefined;
      inputs.push({
        id: String(id),
        idProperty: text('idProperty'),
        objectWriteTraceId: text('objectWriteTraceId'),
        properties,
      });
    }
    return inputs;
  };

  router.on('POST', `${base}/batch/update`, (request) => {
    const startedAt = new Date(clock()).toISOString();
    const inputs = parseInputs(jsonBody(request), true);
    if (!Array.isArray(inputs)) return inputs;
    const duplicates = [
      ...new Set(inputs.map((input) => input.id).filter((id, index, ids) => ids.indexOf(id) !== index)),
    ];
    if (duplicates.length > 0) {
      return fail(
        400,
        'VALIDATION_ERROR',
        `Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`,
      );
    }
    const invalidValues = inputs.flatMap((input) => book.invalidValues(input.properties));
    if (invalidValues.length > 0) {
      return fail(400, 'VALIDATION_ERROR', propertyValuesNotValid(invalidValues), { errors: invalidValues });
    }
    const missing: string[] = [];
    const invalid: BatchError[] = [];
    const results: SimplePublicObject[] = [];
    for (const input of inputs) {
      const contact = book.resolve(input.id, input.idProperty);
      if (!contact) {
        missing.push(input.id);
        continue;
      }
      const problems = book.problems(input.properties);
      if (problems.length > 0) {
        invalid.push({
          status: 'error',
          category: 'VALIDATION_ERROR',
          message: problems.map((problem) => problem.message).join('; '),
          context: { ids: [input.id] },
          errors: problems,
        });
        continue;
      }
      const updated = book.update(contact, input.properties);
      const { objectWriteTraceId } = input;
      results.push({
        ...book.view(updated, Object.keys(input.properties)),
        ...(objectWriteTraceId === undefined ? {} : { objectWriteTraceId }),
      });
    }
    const notFound: BatchError[] =
      missing.length > 0
        ? [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: NOT_FOUND_MESSAGE,
              context: { ids: missing },
            },
          ]
        : [];
    return batchEnvelope(startedAt, results, [...notFound, ...invalid]);
  });

  router.on('POST', `${base}/batch/read`, (request) => {
    const startedAt = new Date(clock()).toISOString();
    const body = jsonBody(request);
    const inputs = parseInputs(body, false);
    if (!Array.isArray(inputs)) return inputs;
    const idProperty = isRecord(body) && typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const requested = isRecord(body) && Array.isArray(body.properties) ? body.properties.map(String) : [];
    const missing: string[] = [];
    const found = new Map<string, HubSpotContact>();
    for (const { id } of inputs) {
      const contact = book.resolve(id, idProperty);
      if (contact) found.set(contact.id, contact);
      else if (!missing.includes(id)) missing.push(id);
    }
    const results = [...found.values()].map((contact) =>
      book.view(contact, requested.length > 0 ? requested : undefined),
    );
    const errors: BatchError[] =
      missing.length > 0
        ? [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: NOT_FOUND_MESSAGE,
              context: { ids: missing },
            },
          ]
        : [];
    return batchEnvelope(startedAt, results, errors);
  });

  router.on('POST', base, (request) => {
    const body = jsonBody(request);
    const properties = isRecord(body) && isRecord(body.properties) ? body.properties : undefined;
    if (!properties)
      return fail(400, 'VALIDATION_ERROR', 'Invalid input JSON: `properties` must be an object');
    const problems = book.refusals(properties);
    if (problems.length > 0) {
      return fail(400, 'VALIDATION_ERROR', problems.map((problem) => problem.message).join('; '), {
        errors: problems,
      });
    }
    const email = properties.email;
    const existing = typeof email === 'string' && email !== '' ? book.findByEmail(email) : undefined;
    if (existing) return fail(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    const contact = book.create(properties);
    return { status: 201, body: book.view(contact, Object.keys(properties)) };
  });

  router.on('GET', `${base}/:id`, (request) => {
    const id = request.params.id ?? '';
    const contact = book.resolve(id, request.query.get('idProperty') ?? undefined);
    if (!contact) {
      return fail(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
        context: { id: [id] },
      });
    }
    return { status: 200, body: book.view(contact, queryList(request.query, 'properties')) };
  });
}
