import { activeModel } from '../../../lib/leads/active-model';
import type { ActiveRules, RuleStore } from '../../../lib/leads/ports';

/** A rule store whose active version the test sets, counting reads. */
class SettableRules implements RuleStore {
  reads = 0;
  constructor(public version: number) {}
  async getActive(): Promise<ActiveRules> {
    this.reads++;
    return { version: this.version, rules: { name: `v${this.version}`, fit: [], engagement: [] } };
  }
}

describe('activeModel', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('keeps the cached rules for its time, however often it is asked', async () => {
    const rules = new SettableRules(1);
    const model = activeModel(rules, 60_000, clock);
    await model();
    rules.version = 2;

    expect((await model()).version).toBe(1);
    expect((await model(1)).version).toBe(1);
    expect(rules.reads).toBe(1);
  });

  it('reads the rules again at once when a lead was scored with a newer version than the cached one', async () => {
    const rules = new SettableRules(1);
    const model = activeModel(rules, 60_000, clock);
    await model();
    rules.version = 2;

    expect((await model(2)).version).toBe(2);
    expect((await model()).version).toBe(2);
    expect(rules.reads).toBe(2);
  });

  it('reads again early at most once a second (after a rollback, leads keep the newer version for a while)', async () => {
    const rules = new SettableRules(1);
    const model = activeModel(rules, 60_000, clock);
    await model();

    // The active version went back to 1; leads scored with 2 keep asking.
    expect((await model(2)).version).toBe(1);
    expect((await model(2)).version).toBe(1);
    expect(rules.reads).toBe(2);
    now += 1000;
    await model(2);
    expect(rules.reads).toBe(3);
  });
});
