/** HubSpot CRM v3 contact property and property-group endpoints (create 201, duplicate 409, list, get by name). */
import type { Router } from '../shared/router';
import { isRecord, jsonBody, type SandboxResponse } from '../shared/sandbox-http';
import type { HubSpotErrorResponder } from './hubspot-errors';
import type { CreateOutcome, PropertyRegistry } from './property-registry';

export function addPropertyRoutes(router: Router, registry: PropertyRegistry, fail: HubSpotErrorResponder) {
  const base = '/crm/v3/properties/contacts';

  const created = <T>(outcome: CreateOutcome<T>): SandboxResponse => {
    if (outcome.ok) return { status: 201, body: outcome.value };
    return outcome.conflict
      ? fail(409, 'OBJECT_ALREADY_EXISTS', outcome.message)
      : fail(400, 'VALIDATION_ERROR', outcome.message);
  };

  const objectBody = (body: unknown): Record<string, unknown> => (isRecord(body) ? body : {});

  // Groups first: `/groups` would otherwise be read as a property named "groups".
  router
    .on('GET', `${base}/groups`, () => ({ status: 200, body: { results: registry.listGroups() } }))
    .on('POST', `${base}/groups`, (request) => created(registry.createGroup(objectBody(jsonBody(request)))))
    .on('GET', `${base}/groups/:name`, (request) => {
      const group = registry.group(request.params.name ?? '');
      return group
        ? { status: 200, body: group }
        : fail(404, 'OBJECT_NOT_FOUND', `Unable to find property group ${request.params.name}`);
    })
    .on('GET', base, () => ({ status: 200, body: { results: registry.list() } }))
    .on('POST', base, (request) => created(registry.createProperty(objectBody(jsonBody(request)))))
    .on('GET', `${base}/:name`, (request) => {
      const property = registry.property(request.params.name ?? '');
      return property
        ? { status: 200, body: property }
        : fail(404, 'OBJECT_NOT_FOUND', `Unable to find property ${request.params.name}`);
    });
}
