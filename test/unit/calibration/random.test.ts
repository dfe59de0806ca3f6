import { seededRandom, stratifiedSplit } from '../../../lib/calibration/random';

describe('stratifiedSplit', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 5 < 2 ? 1 : 0)); // 400 positives, 600 negatives

  it('holds out the asked share of each class and puts every row in exactly one part', () => {
    const { train, validation } = stratifiedSplit(labels, 0.25, 1);

    expect(validation.filter((i) => labels[i] === 1)).toHaveLength(100);
    expect(validation.filter((i) => labels[i] === 0)).toHaveLength(150);
    expect(new Set([...train, ...validation]).size).toBe(1000);
    expect(train.length + validation.length).toBe(1000);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(stratifiedSplit(labels, 0.25, 9)).toEqual(stratifiedSplit(labels, 0.25, 9));
    expect(stratifiedSplit(labels, 0.25, 9).validation).not.toEqual(
      stratifiedSplit(labels, 0.25, 10).validation,
    );
  });

  it('refuses a share outside (0, 1)', () => {
    expect(() => stratifiedSplit(labels, 1, 1)).toThrow(RangeError);
    expect(() => stratifiedSplit(labels, 0, 1)).toThrow(RangeError);
  });
});

describe('seededRandom', () => {
  it('yields numbers in [0, 1) spread over the whole range', () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });
});
