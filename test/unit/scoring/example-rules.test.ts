import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileRules, parseRulesText, scoreLead, type ScoringModel } from '../../../lib/scoring';
import { NOW, daysAgo } from './helpers';

// The example rules, scored by hand. Reminders: fit = title-exec 20 (regex), mid-market 15
// (200 <= employees < 5000), free-email -10; engagement decays with a 30-day half-life; pricing-page 10 per
// /pricing view capped at 30; email-open 2 within 90 days; demo-request 40 once; academic-interest -25;
// re-engagement +10 after 30 days of silence; score clamped to 0..100.

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

function exampleModel(): ScoringModel {
  const parsed = parseRulesText(
    readFileSync(resolve(__dirname, '../../fixtures/rules/default.yaml'), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return compileRules(parsed.rules);
}

describe('the example rules from the issue', () => {
  const model = exampleModel();

  it('describe what they read', () => {
    expect(model.name).toBe('default');
    expect(model.profileFields).toEqual(['jobtitle', 'numberofemployees', 'email']);
    expect(model.eventTypes).toEqual(['page.viewed', 'email.opened', 'form.submitted']);
    expect(model.longestWindowMs).toBe(Infinity);
  });

  it('score a hot executive lead: capped pricing views, a demo request, a comeback', () => {
    // Arrange
    const lead = {
      id: 'hot',
      profile: { jobtitle: 'VP of Marketing', numberofemployees: '1200', email: 'ana@acme.io' },
      events: [
        { id: 'e1', type: 'page.viewed', occurredAt: daysAgo(0), url: 'https://acme.com/pricing' },
        { id: 'e2', type: 'page.viewed', occurredAt: daysAgo(1), url: '/pricing/enterprise' },
        { id: 'e3', type: 'page.viewed', occurredAt: daysAgo(2), url: 'https://acme.com/Pricing' },
        { id: 'e4', type: 'page.viewed', occurredAt: daysAgo(3), url: '/pricing' },
        { id: 'e5', type: 'page.viewed', occurredAt: daysAgo(3), url: '/blog' },
        { id: 'e6', type: 'email.opened', occurredAt: daysAgo(1) },
        { id: 'e7', type: 'email.opened', occurredAt: daysAgo(100) },
        { id: 'e8', type: 'form.submitted', occurredAt: daysAgo(4), formId: 'demo-request' },
        { id: 'e9', type: 'form.submitted', occurredAt: daysAgo(1), formId: 'demo-request' },
      ],
    };

    // Act
    const result = scoreLead(model, lead, NOW);

    // Assert
    const pricing = Math.min(30, 10 * (1 + 0.5 ** (1 / 30) + 0.5 ** (2 / 30) + 0.5 ** (3 / 30))); // 38.6 → 30
    const emailOpen = 2 * 0.5 ** (1 / 30); // the 100-day-old open is outside 90d
    const demo = 40 * 0.5 ** (4 / 30); // the first demo request only
    const comeback = 10 * 0.5 ** (4 / 30); // 96 days of silence before the demo request
    const engagement = pricing + emailOpen + demo + comeback;
    expect(pricing).toBe(30);
    expect(result).toEqual({
      score: 100, // 35 + 77.5, clamped
      fit: 20 + 15,
      engagement: oneDecimal(engagement),
      grade: 'B',
      stage: 'sales-qualified',
      reasons: [
        { rule: 'demo-request', points: oneDecimal(demo) },
        { rule: 'pricing-page', points: 30 },
        { rule: 'title-exec', points: 20 },
        { rule: 'mid-market', points: 15 },
        { rule: 'reengagement', points: oneDecimal(comeback) },
        { rule: 'email-open', points: oneDecimal(emailOpen) },
      ],
    });
    expect(result.engagement).toBe(77.5);
  });

  it('score an academic with a free email address at the lower limit', () => {
    // Arrange
    const lead = {
      id: 'student',
      profile: { jobtitle: 'Student', numberofemployees: '', email: ' Kim@GMAIL.com ' },
      events: [
        {
          id: 's1',
          type: 'form.submitted',
          occurredAt: daysAgo(10),
          formId: 'contact-us',
          reason: 'student project (academic)',
        },
        { id: 's2', type: 'page.viewed', occurredAt: daysAgo(40), url: '/pricing' },
        { id: 's3', type: 'email.opened', occurredAt: daysAgo(45) },
      ],
    };

    // Act
    const result = scoreLead(model, lead, NOW);

    // Assert
    const academic = -25 * 0.5 ** (10 / 30);
    const pricing = 10 * 0.5 ** (40 / 30);
    const emailOpen = 2 * 0.5 ** (45 / 30);
    const comeback = 10 * 0.5 ** (10 / 30); // exactly 30 days between the view and the form
    const engagement = academic + pricing + emailOpen + comeback; // -7.2
    expect(-10 + engagement).toBeLessThan(0);
    expect(result).toEqual({
      score: 0,
      fit: -10,
      engagement: oneDecimal(engagement),
      grade: 'D',
      stage: 'lead',
      reasons: [
        { rule: 'academic-interest', points: oneDecimal(academic) },
        { rule: 'free-email', points: -10 },
        { rule: 'reengagement', points: oneDecimal(comeback) },
        { rule: 'pricing-page', points: oneDecimal(pricing) },
        { rule: 'email-open', points: oneDecimal(emailOpen) },
      ],
    });
    expect(result.engagement).toBe(-7.2);
  });

  it('score a cold director: an old demo request, a duplicate, a future event', () => {
    // Arrange
    const demo = { id: 'd1', type: 'form.submitted', occurredAt: daysAgo(60), formId: 'Demo-Request' };
    const lead = {
      id: 'cold',
      profile: { jobtitle: 'Director of Operations', numberofemployees: 200, email: 'lee@yahoo.com' },
      events: [
        demo,
        { ...demo }, // a webhook retry
        { id: 'd2', type: 'page.viewed', occurredAt: daysAgo(-1), url: '/pricing' }, // after the scoring time
        { id: 'd3', type: 'email.opened', occurredAt: daysAgo(89) },
      ],
    };

    // Act
    const result = scoreLead(model, lead, NOW);

    // Assert
    const demoPoints = 40 * 0.5 ** (60 / 30); // 10
    const emailOpen = 2 * 0.5 ** (89 / 30); // inside 90d; 29 days before the demo request: no comeback
    expect(result).toEqual({
      score: Math.round(25 + demoPoints + emailOpen), // 35
      fit: 20 + 15 - 10,
      engagement: oneDecimal(demoPoints + emailOpen),
      grade: 'B',
      stage: 'lead',
      reasons: [
        { rule: 'title-exec', points: 20 },
        { rule: 'mid-market', points: 15 },
        { rule: 'demo-request', points: 10 },
        { rule: 'free-email', points: -10 },
        { rule: 'email-open', points: oneDecimal(emailOpen) },
      ],
    });
    expect(result.score).toBe(35);
  });

  it('score a marketing-qualified mid-market lead', () => {
    // Arrange
    const lead = {
      id: 'mql',
      profile: { jobtitle: 'Head of Growth', numberofemployees: '4999', email: 'sam@globex.com' },
      events: [
        { id: 'm1', type: 'page.viewed', occurredAt: daysAgo(30), url: '/pricing' },
        { id: 'm2', type: 'page.viewed', occurredAt: daysAgo(0), url: '/pricing' },
      ],
    };

    // Act
    const result = scoreLead(model, lead, NOW);

    // Assert: pricing 10 × 0.5 + 10, and a comeback after exactly 30 days, at full value.
    expect(result).toMatchObject({ score: 20 + 15 + (5 + 10) + 10, fit: 35, engagement: 25, grade: 'B' });
    expect(result.stage).toBe('marketing-qualified');
  });

  it('score a lead with nothing known as a C with score 0', () => {
    // Act
    const result = scoreLead(model, { id: 'empty', profile: {}, events: [] }, NOW);

    // Assert
    expect(result).toEqual({ score: 0, fit: 0, engagement: 0, grade: 'C', stage: 'lead', reasons: [] });
  });
});
