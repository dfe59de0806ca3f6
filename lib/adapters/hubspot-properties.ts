/** Creates the leadscore property group and score properties on HubSpot contacts, leaving existing ones as they are. */
import type { HubSpotPropertySpec } from '../writeback/score-field-specs';
import { HUBSPOT_GROUP } from '../writeback/score-field-specs';
import PropertiesDiscovery from '@hubspot/api-client/lib/src/discovery/crm/properties/PropertiesDiscovery';
import type { HubSpotBuilder, HubSpotClientSource } from './hubspot-client';
import { hubSpotCallError } from './hubspot-client';

/** The contact properties API (core and groups), retries off. */
export const propertiesApi: HubSpotBuilder<PropertiesDiscovery> = (accessToken, basePath) =>
  new PropertiesDiscovery({
    accessToken,
    numberOfApiCallRetries: 0,
    ...(basePath ? { basePath: basePath.replace(/\/+$/, '') } : {}),
  });

export type SetupStatus = 'created' | 'exists' | 'mismatch';

export interface HubSpotSetupReport {
  readonly group: SetupStatus;
  readonly properties: readonly {
    readonly spec: HubSpotPropertySpec;
    readonly status: SetupStatus;
    /** For an existing property: its type as HubSpot holds it. */
    readonly actualType?: string;
  }[];
}

const statusOf = (error: unknown) => (error as { code?: unknown }).code;

export async function ensureHubSpotProperties(
  source: HubSpotClientSource<PropertiesDiscovery>,
  specs: readonly HubSpotPropertySpec[],
): Promise<HubSpotSetupReport> {
  const client = await source.client();
  const { groupsApi, coreApi } = client;
  let group: SetupStatus = 'exists';
  try {
    await groupsApi.getByName('contacts', HUBSPOT_GROUP.name);
  } catch (error) {
    if (statusOf(error) !== 404) throw hubSpotCallError(error);
    group = await createOrExists(() => groupsApi.create('contacts', { ...HUBSPOT_GROUP, displayOrder: -1 }));
  }
  const properties: HubSpotSetupReport['properties'][number][] = [];
  for (const spec of specs) {
    try {
      const existing = await coreApi.getByName('contacts', spec.name);
      const status: SetupStatus = existing.type === spec.type ? 'exists' : 'mismatch';
      properties.push({ spec, status, actualType: existing.type });
      continue;
    } catch (error) {
      if (statusOf(error) !== 404) throw hubSpotCallError(error);
    }
    const status = await createOrExists(() =>
      coreApi.create('contacts', {
        name: spec.name,
        label: spec.label,
        // The client's enums carry the same strings HubSpot documents.
        type: spec.type as never,
        fieldType: spec.fieldType as never,
        groupName: HUBSPOT_GROUP.name,
        description: 'Written by leadscore',
      }),
    );
    properties.push({ spec, status });
  }
  return { group, properties };
}

/** 409 means someone created it meanwhile: that is as good as created. */
async function createOrExists(create: () => Promise<unknown>): Promise<SetupStatus> {
  try {
    await create();
    return 'created';
  } catch (error) {
    if (statusOf(error) === 409) return 'exists';
    throw hubSpotCallError(error);
  }
}
