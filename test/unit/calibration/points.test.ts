import fc from 'fast-check';
import { choosePointScale, roundPoints, toPoints } from '../../../lib/calibration/points';
import { rocAuc } from '../../../lib/calibration/metrics';
import { linearScores, sparseFromRows } from '../../../lib/calibration/sparse-matrix';

describe('roundPoints', () => {
  it('rounds half away from zero, alike for +x and -x, and never gives -0', () => {
    expect([2.5, -2.5, 0.49, -0.49, 1.5].map(roundPoints)).toEqual([3, -3, 0, 0, 2]);
    expect(Object.is(roundPoints(-0.2), 0)).toBe(true);
  });
});

describe('toPoints', () => {
  it('never reverses the order of two weights (rounding is monotone), only ties them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 40 }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        (weights, perLogOdds) => {
          const points = toPoints(weights, perLogOdds);
          // A property returning false fails: no pair whose weights and points are in opposite order.
          return weights.every((a, i) =>
            weights.every((b, j) => !(a < b) || (points[i] as number) <= (points[j] as number)),
          );
        },
      ),
    );
  });
});

describe('choosePointScale', () => {
  it('aims the largest |points| at maxPoints and keeps the ranking of one-feature rows', () => {
    // Each row has one feature, so its score is that feature's weight: whole points may only tie rows.
    const weights = [-1.3, -0.2, 0.05, 0.7, 2.6];
    const rows = weights.flatMap((_, feature) => [[[feature, 1] as const], [[feature, 1] as const]]);
    const labels = [0, 0, 0, 1, 0, 1, 1, 0, 1, 1];
    const matrix = sparseFromRows(rows, weights.length);

    const scale = choosePointScale(weights, matrix, labels, { maxPoints: 30 });

    const largest = Math.max(...Array.from(scale.points, Math.abs));
    expect(largest).toBeGreaterThanOrEqual(24);
    expect(largest).toBeLessThanOrEqual(45);
    expect(Array.from(scale.points)).toEqual([...scale.points].sort((a, b) => a - b));
    expect(scale.trainAuc).toBeCloseTo(rocAuc(linearScores(matrix, weights), labels), 12);
  });

  it('gives zero points everywhere for all-zero weights', () => {
    const scale = choosePointScale([0, 0], sparseFromRows([[[0, 1]], [[1, 1]]], 2), [1, 0], {
      maxPoints: 30,
    });
    expect(Array.from(scale.points)).toEqual([0, 0]);
  });
});
