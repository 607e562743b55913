import { ExportMetricsServiceRequest, SitrepError } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { COST_METRIC, TOKEN_METRIC, attributeValues, usagePoints } from './otlpUsage.js';

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** An export in the OTLP JSON encoding, as the OpenTelemetry SDK writes it. */
function exportOf(metrics: unknown[], resource = [attr('service.name', 'claude-code')]) {
  return ExportMetricsServiceRequest.parse({
    resourceMetrics: [
      { resource: { attributes: resource }, scopeMetrics: [{ scope: { name: 'cc' }, metrics }] },
    ],
  });
}
const point = (attributes: unknown[], value: number, time = '1796478351664000000') => ({
  attributes,
  startTimeUnixNano: '1796478351000000000',
  timeUnixNano: time,
  asDouble: value,
});
const sum = (name: string, points: unknown[], aggregationTemporality = 1) => ({
  name,
  sum: { aggregationTemporality, isMonotonic: true, dataPoints: points },
});

describe('usage points of an OTLP export', () => {
  const standard = [
    attr('session.id', 's1'),
    attr('model', 'claude-sonnet-4-5'),
    attr('user.account_uuid', 'acc-1'),
  ];

  it("reads Claude Code's token and cost metrics, and no other", () => {
    const req = exportOf([
      sum(TOKEN_METRIC, [point([...standard, attr('type', 'cacheRead')], 900)]),
      sum(COST_METRIC, [point(standard, 0.25)], 2),
      sum('claude_code.lines_of_code.count', [point(standard, 12)]),
    ]);
    const points = usagePoints(req, new Set());
    expect(points.map((p) => [p.kind, p.value, p.temporality, p.sessionId, p.model])).toEqual([
      ['cacheRead', 900, 'delta', 's1', 'claude-sonnet-4-5'],
      ['cost', 0.25, 'cumulative', 's1', 'claude-sonnet-4-5'],
    ]);
    expect(points[0]?.endNs).toBe(1796478351664000000n);
    expect(points[0]?.attributes).toEqual({ 'service.name': 'claude-code', 'user.account_uuid': 'acc-1' });
  });

  it('drops user.email whatever it holds, and any value found to be private, before the series is named', () => {
    const withEmail = exportOf([
      sum(TOKEN_METRIC, [point([...standard, attr('type', 'input'), attr('user.email', 'ana')], 1)]),
    ]);
    const without = exportOf([sum(TOKEN_METRIC, [point([...standard, attr('type', 'input')], 1)])]);
    const [a] = usagePoints(withEmail, new Set());
    const [b] = usagePoints(without, new Set());
    expect(JSON.stringify(a?.attributes)).not.toContain('ana');
    expect(a?.series).toBe(b?.series);
    const [c] = usagePoints(without, new Set(['acc-1']));
    expect(c?.attributes).not.toHaveProperty('user.account_uuid');
  });

  it('names one series per attribute set, the same for every export of it', () => {
    const req = (time: string) =>
      exportOf([
        sum(TOKEN_METRIC, [
          point([...standard, attr('type', 'input')], 1, time),
          point([...standard, attr('type', 'output')], 1, time),
        ]),
      ]);
    const [input, output] = usagePoints(req('1796478351664000000'), new Set());
    const [later] = usagePoints(req('1796478411664000000'), new Set());
    expect(input?.series).not.toBe(output?.series);
    expect(later?.series).toBe(input?.series);
  });

  it('collects the values to check for private data from usage metrics and resources', () => {
    const req = exportOf([
      sum(TOKEN_METRIC, [point([attr('type', 'input')], 1)]),
      sum('other', [point([attr('x', 'secret-ish')], 1)]),
    ]);
    expect([...attributeValues(req)].sort()).toEqual(['claude-code', 'input']);
  });

  it('refuses a usage point it cannot count', () => {
    const bad = [
      exportOf([sum(TOKEN_METRIC, [point([attr('type', 'input')], 1)], 0)]),
      exportOf([sum(TOKEN_METRIC, [point([attr('type', 'input')], 1, '0')])]),
      exportOf([sum(COST_METRIC, [point([], -1)])]),
    ];
    for (const req of bad) expect(() => usagePoints(req, new Set())).toThrow(SitrepError);
  });

  it('reads a gauge as the running total it reports', () => {
    const req = exportOf([
      { name: TOKEN_METRIC, gauge: { dataPoints: [point([attr('type', 'output')], 40)] } },
    ]);
    expect(usagePoints(req, new Set())[0]).toMatchObject({
      kind: 'output',
      temporality: 'cumulative',
      value: 40,
    });
  });
});
