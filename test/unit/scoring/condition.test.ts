import { compileCondition, type FieldRecord } from '../../../lib/scoring/condition';
import type { Condition } from '../../../lib/scoring';

function matches(condition: Condition, record: FieldRecord): boolean {
  return compileCondition(condition)(record);
}

// Every value the engine must treat as "no value".
const MISSING: readonly [string, FieldRecord][] = [
  ['absent', {}],
  ['null', { f: null }],
  ['empty', { f: '' }],
  ['blank', { f: '   ' }],
  ['non-breaking spaces', { f: '\u00a0\u3000' }],
  ['NaN', { f: Number.NaN }],
];

describe('compileCondition', () => {
  describe('equals', () => {
    it('ignores case and surrounding spaces', () => {
      expect(matches({ field: 'f', equals: 'Demo-Request' }, { f: '  demo-REQUEST ' })).toBe(true);
      expect(matches({ field: 'f', equals: ' demo ' }, { f: 'DEMO' })).toBe(true);
    });

    it('does not match another value or a substring', () => {
      expect(matches({ field: 'f', equals: 'demo' }, { f: 'demo-request' })).toBe(false);
    });

    it('matches any value of a list', () => {
      const condition: Condition = { field: 'f', equals: ['a', 'b'] };
      expect(matches(condition, { f: 'B' })).toBe(true);
      expect(matches(condition, { f: 'c' })).toBe(false);
    });

    it('compares numbers numerically, numeric strings included', () => {
      expect(matches({ field: 'f', equals: 200 }, { f: '200' })).toBe(true);
      expect(matches({ field: 'f', equals: 200 }, { f: ' 200.0 ' })).toBe(true);
      expect(matches({ field: 'f', equals: 200 }, { f: 200 })).toBe(true);
      expect(matches({ field: 'f', equals: 200 }, { f: '201' })).toBe(false);
      expect(matches({ field: 'f', equals: 200 }, { f: 'two hundred' })).toBe(false);
    });

    it('compares a string rule value with a number field as text', () => {
      expect(matches({ field: 'f', equals: '42' }, { f: 42 })).toBe(true);
    });

    it('compares booleans with boolean and textual fields', () => {
      expect(matches({ field: 'f', equals: true }, { f: true })).toBe(true);
      expect(matches({ field: 'f', equals: true }, { f: 'TRUE' })).toBe(true);
      expect(matches({ field: 'f', equals: true }, { f: false })).toBe(false);
    });

    it('treats an object or a list field as opaque', () => {
      expect(matches({ field: 'f', equals: 'a' }, { f: ['a'] })).toBe(false);
    });
  });

  describe('notEquals', () => {
    it('matches a present, different value', () => {
      expect(matches({ field: 'f', notEquals: 'student' }, { f: 'Engineer' })).toBe(true);
      expect(matches({ field: 'f', notEquals: 'student' }, { f: ' STUDENT' })).toBe(false);
    });

    it('with a list means none of them', () => {
      const condition: Condition = { field: 'f', notEquals: ['a', 'b'] };
      expect(matches(condition, { f: 'c' })).toBe(true);
      expect(matches(condition, { f: 'b' })).toBe(false);
    });
  });

  describe('in and notIn', () => {
    it('in matches a listed value, ignoring case and spaces', () => {
      const condition: Condition = { field: 'country', in: ['United States', 'Canada', 5] };
      expect(matches(condition, { country: 'canada ' })).toBe(true);
      expect(matches(condition, { country: '5' })).toBe(true);
      expect(matches(condition, { country: 'France' })).toBe(false);
    });

    it('in handles long lists', () => {
      const short: Condition = { field: 'f', in: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] };
      const long: Condition = { field: 'f', in: Array.from({ length: 40 }, (_, i) => `Value ${i}`) };
      expect(matches(short, { f: 'G' })).toBe(true);
      expect(matches(short, { f: 'h' })).toBe(false);
      expect(matches(long, { f: ' value 39' })).toBe(true);
      expect(matches(long, { f: 'value 40' })).toBe(false);
      expect(matches({ field: 'f', notIn: Array.from({ length: 40 }, (_, i) => `v${i}`) }, { f: 'V7' })).toBe(
        false,
      );
    });

    it('notIn matches a present value outside the list', () => {
      const condition: Condition = { field: 'country', notIn: ['France', 'Germany'] };
      expect(matches(condition, { country: 'Japan' })).toBe(true);
      expect(matches(condition, { country: 'germany' })).toBe(false);
    });
  });

  describe('contains, startsWith, endsWith', () => {
    it('contains finds a substring, ignoring case', () => {
      expect(
        matches({ field: 'url', contains: '/pricing' }, { url: 'https://x.com/PRICING/enterprise' }),
      ).toBe(true);
      expect(matches({ field: 'url', contains: '/pricing' }, { url: 'https://x.com/blog' })).toBe(false);
    });

    it('contains with a list matches any', () => {
      const condition: Condition = { field: 'f', contains: ['academic', 'student'] };
      expect(matches(condition, { f: 'Student project' })).toBe(true);
      expect(matches(condition, { f: 'evaluating' })).toBe(false);
    });

    it('startsWith ignores surrounding spaces and case', () => {
      expect(matches({ field: 'f', startsWith: 'VP' }, { f: '  vp of sales' })).toBe(true);
      expect(matches({ field: 'f', startsWith: 'vp' }, { f: 'SVP' })).toBe(false);
    });

    it('endsWith matches any of a list, ignoring case and trailing spaces', () => {
      const condition: Condition = { field: 'email', endsWith: ['@gmail.com', '@yahoo.com'] };
      expect(matches(condition, { email: 'Ann@GMAIL.com ' })).toBe(true);
      expect(matches(condition, { email: 'ann@yahoo.com' })).toBe(true);
      expect(matches(condition, { email: 'ann@yahoo.com.au' })).toBe(false);
      expect(matches(condition, { email: 'ann@acme.io' })).toBe(false);
    });

    it('takes the text literally, special characters included', () => {
      expect(matches({ field: 'f', contains: 'a.b' }, { f: 'axb' })).toBe(false);
      expect(matches({ field: 'f', contains: 'a.b' }, { f: 'xA.Bx' })).toBe(true);
      expect(matches({ field: 'f', startsWith: '(x' }, { f: '(X) y' })).toBe(true);
      expect(matches({ field: 'f', endsWith: '$1+' }, { f: 'cost $1+' })).toBe(true);
      expect(matches({ field: 'f', equals: 'a|b' }, { f: 'a' })).toBe(false);
      expect(matches({ field: 'f', equals: 'a|b' }, { f: 'A|B' })).toBe(true);
    });

    it('applies to numbers as text', () => {
      expect(matches({ field: 'zip', startsWith: 94 }, { zip: 94107 })).toBe(true);
    });
  });

  describe('matches', () => {
    const exec: Condition = { field: 'title', matches: '\\b(vp|vice president|chief|director|head of)\\b' };

    it('is a case-insensitive regular expression', () => {
      expect(matches(exec, { title: 'VP Marketing' })).toBe(true);
      expect(matches(exec, { title: 'Chief of Staff' })).toBe(true);
      expect(matches(exec, { title: 'Art Director' })).toBe(true);
    });

    it('respects the pattern (word boundaries)', () => {
      expect(matches(exec, { title: 'SVP Sales' })).toBe(false);
      expect(matches(exec, { title: 'Directory Admin' })).toBe(false);
    });

    it('runs on the trimmed value', () => {
      expect(matches({ field: 'f', matches: '^abc$' }, { f: '  ABC  ' })).toBe(true);
    });

    it('matches any of a list of patterns', () => {
      const condition: Condition = { field: 'f', matches: ['^a', 'z$'] };
      expect(matches(condition, { f: 'xyz' })).toBe(true);
      expect(matches(condition, { f: 'xyx' })).toBe(false);
    });

    it('gives the same answer on repeated calls (no global-flag state)', () => {
      const predicate = compileCondition({ field: 'f', matches: 'a' });
      expect([predicate({ f: 'a' }), predicate({ f: 'a' }), predicate({ f: 'a' })]).toEqual([
        true,
        true,
        true,
      ]);
    });
  });

  describe('gt, gte, lt, lte', () => {
    it.each([
      [{ gt: 200 }, '201', true],
      [{ gt: 200 }, '200', false],
      [{ gte: 200 }, '200', true],
      [{ gte: 200 }, '199.5', false],
      [{ lt: 5000 }, ' 4999 ', true],
      [{ lt: 5000 }, 5000, false],
      [{ lte: 5000 }, 5000, true],
      [{ lte: 5000 }, '5000.1', false],
    ] as const)('%j on %j is %s', (operator, value, expected) => {
      expect(matches({ field: 'n', ...operator }, { n: value })).toBe(expected);
    });

    it('never matches text that is no number', () => {
      expect(matches({ field: 'n', gt: 0 }, { n: 'many' })).toBe(false);
      expect(matches({ field: 'n', lt: 10 }, { n: 'many' })).toBe(false);
      expect(matches({ field: 'n', lt: 10 }, { n: true })).toBe(false);
    });

    it('combines several operators on one leaf as "all of them"', () => {
      const condition: Condition = { field: 'n', gte: 200, lt: 5000 };
      expect(matches(condition, { n: '200' })).toBe(true);
      expect(matches(condition, { n: '5000' })).toBe(false);
      expect(matches(condition, { n: '199' })).toBe(false);
    });
  });

  describe('exists', () => {
    it('true matches any present value, false and 0 included', () => {
      expect(matches({ field: 'f', exists: true }, { f: 'x' })).toBe(true);
      expect(matches({ field: 'f', exists: true }, { f: 0 })).toBe(true);
      expect(matches({ field: 'f', exists: true }, { f: false })).toBe(true);
      expect(matches({ field: 'f', exists: true }, { f: { nested: 1 } })).toBe(true);
    });

    it('false does not match a present value', () => {
      expect(matches({ field: 'f', exists: false }, { f: 'x' })).toBe(false);
    });

    it('treats inherited properties as missing', () => {
      expect(matches({ field: 'constructor', exists: true }, {})).toBe(false);
      expect(matches({ field: 'toString', exists: false }, {})).toBe(true);
    });
  });

  describe('a missing or empty field', () => {
    const operators: Condition[] = [
      { field: 'f', equals: '' },
      { field: 'f', notEquals: 'x' },
      { field: 'f', in: ['x'] },
      { field: 'f', notIn: ['x'] },
      { field: 'f', contains: '' },
      { field: 'f', startsWith: 'x' },
      { field: 'f', endsWith: 'x' },
      { field: 'f', matches: '.*' },
      { field: 'f', gt: -1 },
      { field: 'f', gte: 0 },
      { field: 'f', lt: 1 },
      { field: 'f', lte: 0 },
      { field: 'f', exists: true },
    ];

    it.each(MISSING)('(%s) matches no operator but exists: false', (_label, record) => {
      expect(operators.filter((condition) => matches(condition, record))).toEqual([]);
      expect(matches({ field: 'f', exists: false }, record)).toBe(true);
    });

    it('fails exists: false combined with a value operator', () => {
      expect(matches({ field: 'f', exists: false, equals: 'x' }, {})).toBe(false);
    });
  });

  describe('all, any, not', () => {
    const big: Condition = { field: 'n', gte: 200 };
    const small: Condition = { field: 'n', lt: 5000 };

    it('all needs every condition', () => {
      const condition: Condition = { all: [big, small] };
      expect(matches(condition, { n: '250' })).toBe(true);
      expect(matches(condition, { n: '100' })).toBe(false);
      expect(matches(condition, { n: '9000' })).toBe(false);
    });

    it('all keeps every test when leaves on one field share an operator', () => {
      const condition: Condition = {
        all: [
          { field: 'f', contains: 'a' },
          { field: 'f', contains: 'b' },
          { field: 'f', lt: 0 },
        ],
      };
      expect(
        matches(
          {
            all: [
              { field: 'f', contains: 'a' },
              { field: 'f', contains: 'b' },
            ],
          },
          { f: 'ab' },
        ),
      ).toBe(true);
      expect(
        matches(
          {
            all: [
              { field: 'f', contains: 'a' },
              { field: 'f', contains: 'b' },
            ],
          },
          { f: 'a' },
        ),
      ).toBe(false);
      expect(matches(condition, { f: 'ab' })).toBe(false);
      expect(
        matches(
          {
            all: [
              { field: 'f', exists: false },
              { field: 'g', exists: false },
            ],
          },
          {},
        ),
      ).toBe(true);
      expect(
        matches(
          {
            all: [
              { field: 'f', exists: false },
              { field: 'f', equals: 'x' },
            ],
          },
          {},
        ),
      ).toBe(false);
    });

    it('any needs one condition', () => {
      const condition: Condition = {
        any: [
          { field: 'a', equals: 'x' },
          { field: 'b', equals: 'y' },
        ],
      };
      expect(matches(condition, { b: 'Y' })).toBe(true);
      expect(matches(condition, { a: 'z', b: 'z' })).toBe(false);
    });

    it('works with one and with many children', () => {
      expect(matches({ all: [big] }, { n: 300 })).toBe(true);
      expect(matches({ any: [big] }, { n: 3 })).toBe(false);
      const three: Condition[] = [big, small, { field: 'c', exists: true }];
      expect(matches({ all: three }, { n: 300, c: 1 })).toBe(true);
      expect(matches({ all: three }, { n: 300 })).toBe(false);
      expect(matches({ any: three }, { n: 3, c: 1 })).toBe(true);
      expect(matches({ any: three }, { n: 9000 })).toBe(true);
      expect(
        matches({ any: [big, { field: 'c', exists: true }, { field: 'd', exists: true }] }, { n: 1 }),
      ).toBe(false);
    });

    it('not negates a whole condition, so it matches a missing field', () => {
      const notStudent: Condition = { not: { field: 'title', equals: 'student' } };
      expect(matches(notStudent, { title: 'Engineer' })).toBe(true);
      expect(matches(notStudent, { title: 'Student' })).toBe(false);
      expect(matches(notStudent, {})).toBe(true);
    });

    it('nests', () => {
      const condition: Condition = {
        any: [
          { all: [big, small] },
          {
            not: {
              any: [
                { field: 'c', exists: true },
                { field: 'n', exists: true },
              ],
            },
          },
        ],
      };
      expect(matches(condition, { n: '300' })).toBe(true);
      expect(matches(condition, {})).toBe(true);
      expect(matches(condition, { n: '10' })).toBe(false);
      expect(matches(condition, { c: 'x' })).toBe(false);
    });
  });
});
