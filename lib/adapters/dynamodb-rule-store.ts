/**
 * Rule sets in the config table: `RULESET#<name>` / `V#<000042>` per version (who, when, note) and
 * `RULESET#<name>` / `ACTIVE` naming the active version with a copy of its rules (one read for workers).
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Rules } from '../scoring';
import { NoActiveRulesError, type ActiveRules, type RuleStore } from '../leads/ports';

export interface RuleVersion {
  readonly name: string;
  readonly version: number;
  readonly rules: Rules;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly note?: string;
}

export interface ActivePointer {
  readonly version: number;
  readonly activatedAt: string;
  readonly activatedBy: string;
  /** The version active before this one, for rollback. */
  readonly previous?: number;
}

export interface Activation {
  /** The pointer as it now stands. */
  readonly pointer: ActivePointer;
  /** False when `version` was already the active one: nothing was written and `previous` is kept. */
  readonly changed: boolean;
}

export class RuleVersionNotFoundError extends Error {
  override readonly name = 'RuleVersionNotFoundError';
}

const rulesetKey = (name: string) => `RULESET#${name}`;
const versionKey = (version: number) => `V#${String(version).padStart(6, '0')}`;

export class DynamoDbRuleStore implements RuleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly rulesetName = 'default',
  ) {}

  async getActive(): Promise<ActiveRules> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: rulesetKey(this.rulesetName), sk: 'ACTIVE' } }),
    );
    if (!Item) {
      throw new NoActiveRulesError(
        `no active rules for "${this.rulesetName}": push and activate a rules file (leadscore rules push FILE --activate)`,
      );
    }
    return { version: Item.version as number, rules: Item.rules as Rules };
  }

  async activePointer(): Promise<ActivePointer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: rulesetKey(this.rulesetName), sk: 'ACTIVE' } }),
    );
    if (!Item) return undefined;
    const { version, activatedAt, activatedBy, previous } = Item as ActivePointer;
    return { version, activatedAt, activatedBy, ...(previous === undefined ? {} : { previous }) };
  }

  /** Stores validated rules as the next version; two pushes at once never share a number. */
  async push(rules: Rules, meta: { createdBy: string; note?: string; now?: Date }): Promise<RuleVersion> {
    for (;;) {
      const version = ((await this.latestVersion()) ?? 0) + 1;
      const stored: RuleVersion = {
        name: this.rulesetName,
        version,
        rules,
        createdAt: (meta.now ?? new Date()).toISOString(),
        createdBy: meta.createdBy,
        ...(meta.note ? { note: meta.note } : {}),
      };
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: rulesetKey(this.rulesetName), sk: versionKey(version), ...stored },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return stored;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
  }

  async getVersion(version: number): Promise<RuleVersion> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: rulesetKey(this.rulesetName), sk: versionKey(version) },
      }),
    );
    if (!Item) throw new RuleVersionNotFoundError(`rules "${this.rulesetName}" have no version ${version}`);
    const { pk: _pk, sk: _sk, ...stored } = Item;
    return stored as RuleVersion;
  }

  async listVersions(): Promise<RuleVersion[]> {
    const versions: RuleVersion[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': rulesetKey(this.rulesetName), ':v': 'V#' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const { pk: _pk, sk: _sk, ...stored } of page.Items ?? []) versions.push(stored as RuleVersion);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return versions;
  }

  /**
   * Makes `version` the active one, remembering the one before it. Activating the active version changes
   * nothing, so that its `previous` (what rollback returns to) survives.
   */
  async activate(version: number, meta: { activatedBy: string; now?: Date }): Promise<Activation> {
    const stored = await this.getVersion(version);
    const previous = await this.activePointer();
    if (previous?.version === version) return { pointer: previous, changed: false };
    const pointer: ActivePointer = {
      version,
      activatedAt: (meta.now ?? new Date()).toISOString(),
      activatedBy: meta.activatedBy,
      ...(previous ? { previous: previous.version } : {}),
    };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: rulesetKey(this.rulesetName), sk: 'ACTIVE', ...pointer, rules: stored.rules },
        // Two admins activating at once: the second must see the first's choice as `previous`.
        ConditionExpression: previous ? 'version = :seen' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: previous ? { ':seen': previous.version } : undefined,
      }),
    );
    return { pointer, changed: true };
  }

  private async latestVersion(): Promise<number | undefined> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': rulesetKey(this.rulesetName), ':v': 'V#' },
        ScanIndexForward: false,
        Limit: 1,
        ProjectionExpression: 'version',
      }),
    );
    return page.Items?.[0]?.version as number | undefined;
  }
}
