import { compileTextTest } from '../../../lib/scoring/text-match';

describe('compileTextTest', () => {
  it.each([
    ['equals', ['demo-request'], ' Demo-Request\t', true],
    ['equals', ['demo'], 'demo-request', false],
    ['equals', ['demo'], 'dem', false],
    ['equals', [' a ', 'b'], '\u00a0B\u3000', true],
    ['startsWith', ['vp'], '  VP of sales', true],
    ['startsWith', ['vp'], 'SVP', false],
    ['startsWith', ['long prefix'], 'long', false],
    ['endsWith', ['@gmail.com', '@yahoo.com'], 'ann@YAHOO.com \n', true],
    ['endsWith', ['@gmail.com'], 'ann@gmail.com.au', false],
    ['endsWith', ['@gmail.com'], 'gmail.com', false],
    ['contains', ['/pricing'], 'https://x.com/PRICING?a=1', true],
    ['contains', ['/pricing'], 'https://x.com/price', false],
    ['contains', ['a.b'], 'axb', false],
  ] as const)('%s %j on %j is %s', (operator, needles, text, expected) => {
    // Act
    const result = compileTextTest(operator, needles)(text);

    // Assert
    expect(result).toBe(expected);
  });

  it('folds ASCII case only: a non-ASCII character never equals an ASCII one', () => {
    // Arrange: U+212A KELVIN SIGN lower-cases to "k", but is not the letter k.
    const test = compileTextTest('equals', ['kelvin']);

    // Act / Assert
    expect(test('KELVIN')).toBe(true);
    expect(test('\u212aelvin')).toBe(false);
  });

  it('ignores case for non-ASCII rule values too', () => {
    expect(compileTextTest('equals', ['Müller'])('MÜLLER')).toBe(true);
    expect(compileTextTest('startsWith', ['Ärzte'])(' ärzte ohne grenzen')).toBe(true);
    expect(compileTextTest('endsWith', ['.café'])('bistro.cafe')).toBe(false);
    expect(compileTextTest('endsWith', ['.café'])('bistro.CAFÉ ')).toBe(true);
  });

  it('matches any text with an empty needle, except equals', () => {
    expect(compileTextTest('startsWith', [' '])('x')).toBe(true);
    expect(compileTextTest('endsWith', [''])('x')).toBe(true);
    expect(compileTextTest('contains', [''])('x')).toBe(true);
    expect(compileTextTest('equals', [''])('x')).toBe(false);
  });

  it('looks long equals lists up, ignoring case and surrounding spaces', () => {
    // Arrange
    const test = compileTextTest(
      'equals',
      Array.from({ length: 50 }, (_, i) => `Country ${i}`),
    );

    // Act / Assert
    expect(test('  COUNTRY 49 ')).toBe(true);
    expect(test('country 50')).toBe(false);
  });
});
