/** Enrichment from HubSpot: contact properties the rules read, by batch read (≤100 ids per call). */
import type { CrmRef, FieldValue } from '../events/lead-event';
import type { CrmProfileReader } from '../leads/ports';
import { hubSpotCallError, type HubSpotClientSource } from './hubspot-client';
import { HUBSPOT_BATCH_MAX } from './hubspot-score-writer';

export class HubSpotProfileReader implements CrmProfileReader {
  constructor(private readonly source: HubSpotClientSource) {}

  async readProfiles(
    refs: readonly CrmRef[],
    fields: readonly string[],
  ): Promise<Map<string, Record<string, FieldValue>>> {
    const ids = [
      ...new Set(
        refs
          .filter((ref) => ref.system === 'hubspot' && ref.objectType.toLowerCase() === 'contact')
          .map((ref) => ref.id),
      ),
    ];
    const profiles = new Map<string, Record<string, FieldValue>>();
    if (ids.length === 0) return profiles;
    const properties = [...new Set(['email', ...fields])];
    const client = await this.source.client();
    for (let start = 0; start < ids.length; start += HUBSPOT_BATCH_MAX) {
      let response;
      try {
        response = await client.batchApi.read({
          inputs: ids.slice(start, start + HUBSPOT_BATCH_MAX).map((id) => ({ id })),
          properties,
          propertiesWithHistory: [],
        });
      } catch (error) {
        throw hubSpotCallError(error);
      }
      // Missing contacts come back in `errors` (207) and are simply absent here.
      for (const contact of response.results) {
        const profile: Record<string, FieldValue> = {};
        for (const name of properties) {
          const value = contact.properties[name];
          if (value !== undefined && value !== null) profile[name] = value;
        }
        profiles.set(String(contact.id), profile);
      }
    }
    return profiles;
  }
}
