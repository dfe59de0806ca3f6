/**
 * Checkpoints of a resumable whole-table job (rescoring) in the config table: `JOB#rescore#<id>` holds
 * one `JOB` item and one `SEG#<n>` item per scan segment, each written after the page it describes.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface RescoreJob {
  readonly id: string;
  /** The rules version asked for; undefined = the active one, whichever it is when a page is scored. */
  readonly version?: number;
  readonly segments: number;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface SegmentCheckpoint {
  readonly segment: number;
  /** Where the segment's next page starts; undefined before the first page and once done. */
  readonly cursor?: string;
  readonly done: boolean;
  /** Items read (leads of any status). */
  readonly scanned: number;
  /** Leads saved with a new score. */
  readonly rescored: number;
  /** Active leads whose score, due time and write-back were already up to date. */
  readonly unchanged: number;
  /** Items that are no lead to score: merged into another, deleted or erased (absent in jobs saved before). */
  readonly inactive?: number;
  readonly announced: number;
  readonly failed: number;
}

export interface JobStore {
  createJob(job: RescoreJob, segments: readonly SegmentCheckpoint[]): Promise<void>;
  getJob(id: string): Promise<{ job: RescoreJob; segments: SegmentCheckpoint[] } | undefined>;
  saveSegment(id: string, checkpoint: SegmentCheckpoint): Promise<void>;
}

export class JobExistsError extends Error {
  override readonly name = 'JobExistsError';
}

const jobKey = (id: string) => `JOB#rescore#${id}`;
const segmentKey = (segment: number) => `SEG#${String(segment).padStart(4, '0')}`;

export class DynamoDbJobStore implements JobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createJob(job: RescoreJob, segments: readonly SegmentCheckpoint[]): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: jobKey(job.id), sk: 'JOB', ...job },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        throw new JobExistsError(`job ${job.id} already exists`);
      throw error;
    }
    await Promise.all(segments.map((checkpoint) => this.saveSegment(job.id, checkpoint)));
  }

  async getJob(id: string): Promise<{ job: RescoreJob; segments: SegmentCheckpoint[] } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: jobKey(id), sk: 'JOB' }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const segments: SegmentCheckpoint[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seg)',
          ExpressionAttributeValues: { ':pk': jobKey(id), ':seg': 'SEG#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const { pk: _pk, sk: _sk, ...checkpoint } of page.Items ?? [])
        segments.push(checkpoint as SegmentCheckpoint);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const { pk: _pk, sk: _sk, ...job } = Item;
    return { job: job as RescoreJob, segments: segments.sort((a, b) => a.segment - b.segment) };
  }

  async saveSegment(id: string, checkpoint: SegmentCheckpoint): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: jobKey(id), sk: segmentKey(checkpoint.segment), ...checkpoint },
      }),
    );
  }
}
