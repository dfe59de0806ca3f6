// The json-rules-engine baseline must compute the example's fit exactly as the rules language defines it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildJsonRulesEngineFit } from '../../../bench/json-rules-engine-fit';
import { median } from '../../../bench/measure';

const example = parse(readFileSync(join(__dirname, '../../fixtures/rules/default.yaml'), 'utf8')) as {
  fit: Record<string, unknown>[];
};

describe('buildJsonRulesEngineFit', () => {
  const fit = buildJsonRulesEngineFit(example.fit);

  it.each([
    // title-exec 20 + mid-market 15 + free-email -10
    [{ jobtitle: 'VP Sales', numberofemployees: '450', email: 'x@gmail.com' }, 25],
    // case and surrounding spaces are ignored; 200 is inside [200, 5000)
    [{ jobtitle: 'Head of Growth', numberofemployees: '200', email: '  X@YAHOO.COM ' }, 25],
    // "SVP" and "Directory" are not whole words of the regex; 5000 is outside [200, 5000)
    [{ jobtitle: 'SVP Sales', numberofemployees: '5000', email: 'a@yahoo.com.au' }, 0],
    [{ jobtitle: 'Directory Services Admin', numberofemployees: 4999 }, 15],
    // missing and empty fields match nothing
    [{ numberofemployees: '' }, 0],
    [{}, 0],
  ])('scores %j as fit %d', async (profile, expected) => {
    expect(await fit(profile)).toBe(expected);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
