/** Reading every stored lead a page at a time over parallel segments (a segmented DynamoDB Scan). */
import type { LeadState } from '../leads/lead-state';

/** The part of the lead store the whole-table commands need (DynamoDbLeadStore has it). */
export interface LeadScanner {
  scanLeads(
    segment: number,
    totalSegments: number,
    cursor?: string,
    limit?: number,
  ): Promise<{ leads: LeadState[]; cursor?: string }>;
}

export interface ScanOptions {
  readonly segments: number;
  readonly pageSize?: number;
  /** Called before each page; true stops every segment after its current page. */
  readonly shouldStop?: () => boolean;
}

/**
 * Calls `onPage` for every page of every segment; segments run concurrently, pages of one segment in
 * order. `onPage` may be async (it is awaited before the segment's next page).
 */
export async function forEachLeadPage(
  scanner: LeadScanner,
  options: ScanOptions,
  onPage: (leads: readonly LeadState[], segment: number) => void | Promise<void>,
): Promise<{ stopped: boolean }> {
  let stopped = false;
  await Promise.all(
    Array.from({ length: options.segments }, async (_, segment) => {
      let cursor: string | undefined;
      do {
        if (options.shouldStop?.()) {
          stopped = true;
          return;
        }
        const page = await scanner.scanLeads(segment, options.segments, cursor, options.pageSize);
        await onPage(page.leads, segment);
        cursor = page.cursor;
      } while (cursor);
    }),
  );
  return { stopped };
}
