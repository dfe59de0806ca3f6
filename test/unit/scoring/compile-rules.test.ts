import { DAY, model } from './helpers';

describe('compileRules', () => {
  it('lists every profile field fit rules read, nested ones included, once each', () => {
    // Arrange / Act
    const compiled = model({
      fit: [
        { id: 'a', field: 'jobtitle', exists: true, points: 1 },
        {
          id: 'b',
          any: [{ field: 'country', equals: 'x' }, { not: { all: [{ field: 'industry', exists: true }] } }],
          points: 1,
        },
        { id: 'c', field: 'jobtitle', equals: 'x', points: 1 },
      ],
      engagement: [{ id: 'd', event: 'page.viewed', where: { field: 'url', exists: true }, points: 1 }],
    });

    // Assert
    expect(compiled.profileFields).toEqual(['jobtitle', 'country', 'industry']);
  });

  it('lists every event type engagement rules read, once each', () => {
    // Arrange / Act
    const compiled = model({
      engagement: [
        { id: 'a', event: ['email.opened', 'email.clicked'], points: 1 },
        { id: 'b', event: 'email.opened', points: 1 },
      ],
    });

    // Assert
    expect(compiled.eventTypes).toEqual(['email.opened', 'email.clicked']);
  });

  it.each([
    ['no event rules', {}, 0],
    [
      'the longest within',
      {
        engagement: [
          { id: 'a', event: 'email.opened', points: 1, within: '7d' },
          { id: 'b', event: 'page.viewed', points: 1, within: '90d' },
        ],
      },
      90 * DAY,
    ],
    [
      'a rule without within',
      {
        engagement: [
          { id: 'a', event: 'email.opened', points: 1, within: '7d' },
          { id: 'b', event: 'page.viewed', points: 1 },
        ],
      },
      Infinity,
    ],
    [
      'a once rule, which needs the first event ever',
      { engagement: [{ id: 'a', event: 'email.opened', points: 1, within: '7d', once: true }] },
      Infinity,
    ],
    [
      're-engagement, which needs the previous event',
      { reengagement: { after: '30d', points: 5 } },
      Infinity,
    ],
  ])('keeps events for %s', (_label, rules, expected) => {
    // Act
    const compiled = model(rules);

    // Assert
    expect(compiled.longestWindowMs).toBe(expected);
  });

  it('keeps the name and the rules it was built from', () => {
    // Act
    const compiled = model({ name: 'q3', fit: [] });

    // Assert
    expect(compiled.name).toBe('q3');
    expect(compiled.rules).toEqual({ name: 'q3', fit: [] });
  });
});
