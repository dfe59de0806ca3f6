import { isIdentifierName, isMissingCell, planColumns, type DataRow } from '../../../lib/calibration/columns';

const OPTIONS = { outcome: 'won', exclude: new Set<string>(), minCount: 3, bins: 4, maxNumericLevels: 5 };

function rows(count: number, make: (i: number) => Record<string, string>): DataRow[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

const all = (data: readonly DataRow[]) => data.map((_, i) => i);

describe('isMissingCell', () => {
  it('treats empty, blank and the form default "Select" (any case) as missing', () => {
    expect(['', '  ', 'Select', ' select ', undefined].map(isMissingCell)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0', 'Selected', 'No'].map(isMissingCell)).toEqual([false, false, false]);
  });
});

describe('planColumns', () => {
  it('merges levels that differ only in case or spaces, as the engine compares them, and pools rare ones', () => {
    const values = [
      'Google',
      'google',
      ' Google ',
      'Direct',
      'Direct',
      'Direct',
      'Bing',
      'Ask',
      'Yahoo',
      'Select',
      '',
    ];
    const data = rows(values.length * 3, (i) => ({ source: values[i % values.length] as string, won: '1' }));

    const { plans } = planColumns(data, all(data), ['source', 'won'], { ...OPTIONS, minCount: 4 });

    const [source] = plans;
    // Ask, Bing and Yahoo have 3 rows each (< 4) but 9 together: one "any other" group.
    expect(source).toMatchObject({ kind: 'categorical', name: 'source', missing: 6, pooled: true });
    if (source?.kind !== 'categorical') throw new Error('expected a categorical column');
    // Equal counts are ordered by key; "Google" is the most common spelling of its level (6 of 9).
    expect(source.levels.map((level) => [level.key, level.value, level.count])).toEqual([
      ['direct', 'Direct', 9],
      ['google', 'Google', 9],
    ]);
    expect(source.rare.map((level) => level.key)).toEqual(['ask', 'bing', 'yahoo']);
  });

  it('pools levels seen fewer than minCount times, and drops the pool when it is itself too small', () => {
    const data = rows(30, (i) => ({
      tag: i < 14 ? 'a' : i < 28 ? 'b' : i === 28 ? 'rare1' : 'rare2',
      won: '0',
    }));

    const { plans } = planColumns(data, all(data), ['tag'], OPTIONS);

    expect(plans[0]).toMatchObject({ kind: 'categorical', pooled: false });
    if (plans[0]?.kind !== 'categorical') throw new Error('expected a categorical column');
    expect(plans[0].rare.map((level) => level.key)).toEqual(['rare1', 'rare2']);
  });

  it('bins numbers with many values at quantiles, and keeps numbers with few values as categories', () => {
    const data = rows(100, (i) => ({ visits: String(i % 50), score: String(i % 3), won: '0' }));

    const { plans } = planColumns(data, all(data), ['visits', 'score'], OPTIONS);

    // visits sorted: 0,0,1,1,…,49,49; the values at positions 25, 50 and 75 are 12, 25 and 37.
    expect(plans[0]).toMatchObject({
      kind: 'numeric',
      name: 'visits',
      cuts: [12, 25, 37],
      missingFeature: false,
    });
    expect(plans[1]).toMatchObject({ kind: 'categorical', name: 'score', numeric: true });
    if (plans[1]?.kind !== 'categorical') throw new Error('expected a categorical column');
    expect(plans[1].levels.map((level) => level.value)).toEqual([0, 1, 2]);
  });

  it('leaves out the outcome, asked-for columns, identifiers and (nearly) constant columns, saying why', () => {
    const data = rows(100, (i) => ({
      id: `lead-${i}`,
      number: String(1000 + i),
      flag: i === 0 ? 'Yes' : 'No',
      notes: 'x',
      source: i % 2 === 0 ? 'a' : 'b',
      won: String(i % 2),
    }));

    const { plans, excluded } = planColumns(
      data,
      all(data),
      ['id', 'number', 'flag', 'notes', 'source', 'won'],
      {
        ...OPTIONS,
        exclude: new Set(['notes']),
      },
    );

    expect(plans.map((plan) => plan.name)).toEqual(['source']);
    expect(excluded).toEqual([
      { name: 'id', reason: 'identifier' },
      { name: 'number', reason: 'identifier' },
      { name: 'flag', reason: 'constant' },
      { name: 'notes', reason: 'excluded' },
      { name: 'won', reason: 'outcome' },
    ]);
  });

  it('leaves out a column named like an identifier, even when its values repeat and the file is small', () => {
    const data = rows(40, (i) => ({
      'Account ID': `acct-${i % 4}`,
      'Lead Number': String(i % 5),
      plan: i % 2 === 0 ? 'Pro' : 'Free',
      won: String(i % 2),
    }));

    const { plans, excluded } = planColumns(data, all(data), ['Account ID', 'Lead Number', 'plan'], OPTIONS);

    expect(plans.map((plan) => plan.name)).toEqual(['plan']);
    expect(excluded).toEqual([
      { name: 'Account ID', reason: 'identifier' },
      { name: 'Lead Number', reason: 'identifier' },
    ]);
  });

  it('leaves out a column with a different value on every row of a small file, whatever its name', () => {
    // 22 rows, as a 30-row file leaves to fit: the 90%-distinct test needs 50 values, so this one applies.
    const data = rows(22, (i) => ({
      ref: String(660_000 + 37 * i),
      code: `X${i}`,
      ratio: String(i + 0.25),
      sparse: i < 5 ? `note ${i}` : '',
      won: String(i % 2),
    }));

    const { excluded } = planColumns(data, all(data), ['ref', 'code', 'ratio', 'sparse'], {
      ...OPTIONS,
      minCount: 2,
    });

    expect(excluded).toContainEqual({ name: 'ref', reason: 'identifier' });
    expect(excluded).toContainEqual({ name: 'code', reason: 'identifier' });
    // Decimals are measurements, and 5 different notes in 22 rows are rare answers, not identifiers.
    expect(excluded.find((column) => column.name === 'ratio')?.reason).not.toBe('identifier');
    expect(excluded.find((column) => column.name === 'sparse')?.reason).not.toBe('identifier');
  });

  it('learns only from the training rows', () => {
    const data = rows(40, (i) => ({ city: i < 20 ? 'Pune' : 'Delhi', won: '1' }));

    const { plans } = planColumns(data, [0, 1, 2, 3, 4, 5, 20, 21, 22], ['city'], OPTIONS);

    if (plans[0]?.kind !== 'categorical') throw new Error('expected a categorical column');
    expect(plans[0].levels.map((level) => [level.value, level.count])).toEqual([
      ['Pune', 6],
      ['Delhi', 3],
    ]);
  });
});

describe('isIdentifierName', () => {
  it('recognises ids and record numbers however they are spelled', () => {
    const names = ['id', 'ID', 'Prospect ID', 'lead_id', 'LeadId', 'HubSpotID', 'uuid', 'Contact GUID'];
    const numbers = ['Lead Number', 'leadNumber', 'Account No.', 'Lead #', 'record_num'];

    [...names, ...numbers].forEach((name) => expect([name, isIdentifierName(name)]).toEqual([name, true]));
  });

  it('leaves names that merely contain the letters, or count something, alone', () => {
    const names = [
      'Paid',
      'Valid',
      'Video Views',
      'Number of Employees',
      'Lead Source',
      'Idle days',
      'Phone',
    ];

    names.forEach((name) => expect([name, isIdentifierName(name)]).toEqual([name, false]));
  });
});
