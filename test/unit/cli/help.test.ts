// "Did you mean" suggestions for mistyped commands.
import { closestName } from '../../../lib/cli/help';

describe('closestName', () => {
  const names = ['score', 'rules', 'rules validate', 'rescore'];

  it.each([
    ['socre', 'score'],
    ['scor', 'score'],
    ['rules valdiate', 'rules validate'],
    ['rescroe', 'rescore'],
  ])('suggests %s -> %s', (typed, expected) => {
    expect(closestName(typed, names)).toBe(expected);
  });

  it('suggests nothing for an unrelated word', () => {
    expect(closestName('deploy', names)).toBeUndefined();
  });
});
