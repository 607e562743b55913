// Creating an incident: its row and its first update (the meta) land in one transaction. The
// update is made by the server and still passes the gate, against an empty document, and the
// gate's content refusals: the title and commander go into every summarizer prompt.
import { randomBytes } from 'node:crypto';
import type { CreateIncident, IncidentMeta, IncidentSummary, MetaKey } from '@sitrep/shared';
import { newIncidentKey } from '@sitrep/shared/sanitizer';
import * as Y from 'yjs';
import { PendingWrites } from '../gate/PendingWrites.js';
import { inspectUpdate } from '../gate/WriteGate.js';
import { SECRETS_ONLY, refuseContent } from '../gate/refusals.js';
import type { Creator, Store } from '../store/Store.js';
import { encodeMapInserts } from './serverUpdates.js';

/** A readable id from the title, with a random suffix: `checkout-latency-7k2q`. */
export function incidentIdFor(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const suffix = randomBytes(3).toString('hex');
  return slug ? `${slug}-${suffix}` : `incident-${suffix}`;
}

/** Milestone times known at creation: an incident recorded after the fact (the demo) has them. */
export type Milestones = Partial<Pick<IncidentMeta, 'startedAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt'>>;

/** Creates the incident; `by` (who asks, under their quota) is null for the server's own (the demo). */
export async function createIncident(
  store: Store,
  input: CreateIncident,
  by: Creator | null,
  now = new Date(),
  milestones: Milestones = {},
): Promise<IncidentSummary> {
  const id = input.id ?? incidentIdFor(input.title);
  const meta: IncidentMeta = {
    title: input.title,
    severity: input.severity ?? 'SEV3',
    status: input.status ?? 'investigating',
    kind: input.kind ?? 'incident',
    commander: input.commander ?? null,
    createdAt: now.toISOString(),
    detectedAt: input.detectedAt ?? now.toISOString(),
    ...milestones,
  };
  await refuseContent([meta], 'incident', SECRETS_ONLY);
  const pairs = (Object.entries(meta) as [MetaKey, unknown][]).filter(([, v]) => v !== undefined);
  const update = encodeMapInserts(new Y.Doc().clientID, 0, 'meta', pairs);
  const inspection = inspectUpdate(new Y.Doc(), new PendingWrites(), update, 'server');
  return store.createIncident(id, meta, [{ bytes: update, entries: inspection.entries }], { sanitizerKey: newIncidentKey(), by });
}
