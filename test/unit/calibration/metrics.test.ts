import { liftByDecile, ratesByGroup, rocAuc } from '../../../lib/calibration/metrics';

describe('rocAuc', () => {
  it('counts the share of positive/negative pairs ranked right', () => {
    // Pairs (positive, negative): (0.35, 0.1) right, (0.35, 0.4) wrong, (0.8, 0.1) right, (0.8, 0.4) right = 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it('counts a tied pair as one half', () => {
    // Positives 1 and 2, negatives 1 and 0: (1,1) half, (1,0), (2,1), (2,0) right = 3.5/4.
    expect(rocAuc([1, 1, 2, 0], [1, 0, 1, 0])).toBeCloseTo(0.875, 12);
  });

  it('is one half when every score is the same, 1 when perfect and 0 when reversed', () => {
    expect(rocAuc([5, 5, 5, 5, 5], [1, 0, 1, 0, 0])).toBe(0.5);
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
  });

  it('handles ties that span both classes among many rows', () => {
    // Scores 0,0,1,1,1,2 with labels 0,1,0,1,1,1. Positives: 0,1,1,2; negatives: 0,1.
    // vs negative 0: 0→half, 1→1, 1→1, 2→1 = 3.5; vs negative 1: 0→0, 1→half, 1→half, 2→1 = 2. Total 5.5 / 8.
    expect(rocAuc([0, 0, 1, 1, 1, 2], [0, 1, 0, 1, 1, 1])).toBeCloseTo(5.5 / 8, 12);
  });

  it('is NaN when one class is absent', () => {
    expect(rocAuc([1, 2, 3], [1, 1, 1])).toBeNaN();
  });
});

describe('liftByDecile', () => {
  it('cuts rows by score, highest first, and compares each part with the overall rate', () => {
    // 10 rows, 4 converted (rate 0.4). Five groups of two, by score descending:
    // [10,9] → labels 1,1; [8,7] → 1,0; [6,5] → 0,1; [4,3] → 0,0; [2,1] → 0,0.
    const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const labels = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];

    const lift = liftByDecile(scores, labels, 5);

    expect(lift.map((group) => group.converted)).toEqual([2, 1, 1, 0, 0]);
    expect(lift.map((group) => group.rate)).toEqual([1, 0.5, 0.5, 0, 0]);
    expect(lift[0]?.lift).toBeCloseTo(2.5, 12);
    expect(lift[1]?.lift).toBeCloseTo(1.25, 12);
    expect(lift.map((group) => group.cumulativeCapture)).toEqual([0.5, 0.75, 1, 1, 1]);
    expect(lift[0]).toMatchObject({ decile: 1, count: 2, minScore: 9, maxScore: 10 });
  });

  it('gives every row to exactly one group when the count does not divide evenly', () => {
    const scores = Array.from({ length: 23 }, (_, i) => i);
    const labels = scores.map((score) => (score % 3 === 0 ? 1 : 0));

    const lift = liftByDecile(scores, labels);

    expect(lift.reduce((sum, group) => sum + group.count, 0)).toBe(23);
    expect(lift.reduce((sum, group) => sum + group.converted, 0)).toBe(8);
  });
});

describe('ratesByGroup', () => {
  it('lists the given labels first (even when empty), then others, with their conversion rate', () => {
    const rates = ratesByGroup(['B', 'A', 'B', 'X'], [1, 1, 0, 0], ['A', 'B', 'C']);

    expect(rates).toEqual([
      { group: 'A', count: 1, converted: 1, rate: 1 },
      { group: 'B', count: 2, converted: 1, rate: 0.5 },
      { group: 'C', count: 0, converted: 0, rate: 0 },
      { group: 'X', count: 1, converted: 0, rate: 0 },
    ]);
  });
});
