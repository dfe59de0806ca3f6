import { Simulation } from '../../../lib/rules-admin/simulate';
import { formatSimulation } from '../../../lib/rules-admin/format-simulation';
import { loadModel, SIMULATION_AT, SIMULATION_LEADS } from './simulation-leads';

describe('Simulation', () => {
  function simulate(top = 3) {
    const simulation = new Simulation(loadModel('active'), loadModel('candidate'), SIMULATION_AT, top);
    SIMULATION_LEADS.forEach((lead) => simulation.add(lead));
    return simulation.report();
  }

  it('counts grade and stage transitions, before in rows and after in columns', () => {
    const report = simulate();

    // Grades: A→B L1 and L6, A→A L2, C→B L3, C→C L4.
    expect(report.grades).toEqual({
      from: ['A', 'B', 'C'],
      to: ['A', 'B', 'C'],
      counts: [
        [1, 2, 0],
        [0, 0, 0],
        [0, 1, 1],
      ],
    });
    // Stages: sales→marketing L6, marketing→marketing L2, marketing→lead L1, lead→lead L3 and L4.
    expect(report.stages).toEqual({
      from: ['sales-qualified', 'marketing-qualified', 'lead'],
      to: ['sales-qualified', 'marketing-qualified', 'lead'],
      counts: [
        [0, 1, 0],
        [0, 1, 1],
        [0, 0, 2],
      ],
    });
  });

  it('counts leads crossing each candidate stage threshold up and down', () => {
    const report = simulate();

    // Sales-qualified: only L6 was there, and it drops. Marketing-qualified or above: L1 drops out
    // (20 < 40); L3 rises to 30, still under 40, so it crosses nothing.
    expect(report.crossings).toEqual([
      { stage: 'sales-qualified', min: 60, up: 0, down: 1 },
      { stage: 'marketing-qualified', min: 40, up: 0, down: 1 },
    ]);
  });

  it('lists the biggest movers, largest change first, with both sides and their reasons', () => {
    const report = simulate(3);

    // |Δ|: L3 30, L1 20, L6 20 (tie broken by id), L2 10.
    expect(report.movers.map((mover) => [mover.leadId, mover.delta])).toEqual([
      ['hubspot:contact:3', 30],
      ['hubspot:contact:1', -20],
      ['hubspot:contact:6', -20],
    ]);
    expect(report.movers[2]).toMatchObject({
      before: {
        score: 70,
        grade: 'A',
        stage: 'sales-qualified',
        reasons: 'title-exec +40, demo-request +30',
      },
      after: {
        score: 50,
        grade: 'B',
        stage: 'marketing-qualified',
        reasons: 'demo-request +30, title-exec +20',
      },
    });
  });

  it('sums up: scored and skipped leads, how many changed, mean scores', () => {
    const report = simulate();

    expect(report).toMatchObject({
      leads: 5,
      skipped: 1,
      scoreChanged: 4,
      gradeChanged: 3,
      stageChanged: 2,
      meanBefore: 30,
      meanAfter: 30,
    });
  });

  it('formats the report with the matrices and the movers', () => {
    const text = formatSimulation(simulate(1), { active: 'active (v1)', candidate: 'candidate.yaml' }).join(
      '\n',
    );

    expect(text).toContain(
      'Simulated 5 active leads at 2024-06-01T00:00:00.000Z: active (v1) → candidate.yaml',
    );
    expect(text).toMatch(/grade: before ↓ after →\s+A\s+B\s+C\n\s+A\s+1\s+2\s+0/);
    expect(text).toContain('marketing-qualified (min 40): 0 cross up, 1 cross down');
    expect(text).toContain('hubspot:contact:3  0 → 30 (+30)  grade C → B, stage lead → lead');
  });
});
