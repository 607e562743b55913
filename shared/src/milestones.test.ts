import { describe, expect, it } from 'vitest';
import { type StampedMeta, milestoneStamps } from './milestones.js';

const AT = '2026-12-05T10:00:00.000Z';
const EARLIER = '2026-12-05T09:00:00.000Z';
const meta = (extra: Partial<StampedMeta> = {}): StampedMeta => ({ status: 'investigating', ...extra });

describe('milestone stamps', () => {
  it('stamps acknowledgement when the incident is identified or mitigating', () => {
    expect(milestoneStamps('investigating', meta({ status: 'identified' }), AT)).toEqual({
      acknowledgedAt: AT,
    });
    expect(milestoneStamps('investigating', meta({ status: 'mitigating' }), AT)).toEqual({
      acknowledgedAt: AT,
    });
  });

  it('stamps every milestone a jump straight to resolved passes', () => {
    expect(milestoneStamps('investigating', meta({ status: 'resolved' }), AT)).toEqual({
      acknowledgedAt: AT,
      mitigatedAt: AT,
      resolvedAt: AT,
    });
  });

  it('stamps a new incident made with a later status as if it changed from nothing', () => {
    expect(milestoneStamps(null, meta({ status: 'monitoring' }), AT)).toEqual({
      acknowledgedAt: AT,
      mitigatedAt: AT,
    });
    expect(milestoneStamps(null, meta(), AT)).toEqual({});
  });

  it('never overwrites a time set by hand or stamped before; a null one is unset', () => {
    const m = meta({ status: 'resolved', acknowledgedAt: EARLIER, mitigatedAt: null });
    expect(milestoneStamps('identified', m, AT)).toEqual({ mitigatedAt: AT, resolvedAt: AT });
  });

  it('stamps only the milestones the change passes: one passed before stays unknown', () => {
    // Made as monitoring without its times (a record after the fact), then resolved now.
    expect(milestoneStamps('monitoring', meta({ status: 'resolved' }), AT)).toEqual({ resolvedAt: AT });
    expect(milestoneStamps('mitigating', meta({ status: 'monitoring', acknowledgedAt: null }), AT)).toEqual({
      mitigatedAt: AT,
    });
  });

  it('leaves a time the change itself sets, even to null', () => {
    const m = meta({ status: 'resolved', acknowledgedAt: null });
    expect(milestoneStamps('investigating', m, AT, ['status', 'acknowledgedAt'])).toEqual({
      mitigatedAt: AT,
      resolvedAt: AT,
    });
  });

  it('stamps nothing when the status does not change', () => {
    expect(milestoneStamps('resolved', meta({ status: 'resolved' }), AT)).toEqual({});
    expect(milestoneStamps('identified', meta({ status: 'identified' }), AT)).toEqual({});
  });

  it('counts a reopening and keeps the earlier times', () => {
    const resolved = { acknowledgedAt: EARLIER, mitigatedAt: EARLIER, resolvedAt: EARLIER };
    expect(milestoneStamps('resolved', meta({ ...resolved, status: 'investigating' }), AT)).toEqual({
      reopens: 1,
      reopenedAt: AT,
    });
    expect(milestoneStamps('resolved', meta({ ...resolved, status: 'mitigating', reopens: 2 }), AT)).toEqual({
      reopens: 3,
      reopenedAt: AT,
    });
    // Resolved again: the first resolution stands.
    expect(milestoneStamps('monitoring', meta({ ...resolved, status: 'resolved', reopens: 1 }), AT)).toEqual(
      {},
    );
  });

  it('is not a reopening to step back from an earlier status', () => {
    expect(milestoneStamps('monitoring', meta({ status: 'investigating' }), AT)).toEqual({});
  });
});
