// Creating an incident: its row and its first update (the meta) land in one transaction. The
// title and commander go into every summarizer prompt and export: they are sanitized first,
// under the new incident's key and the deployment's policy, like an HTTP append (secrets and
// private data replaced; data the policy refuses is gate.private). The update is made by the
// server and still passes the gate, against an empty document. A drill's opening (its scenario
// and question gaps, createDrill.ts) is sanitized with them and lands in the same transaction.
import { randomBytes } from 'node:crypto';
import {
  CreateIncident,
  type Entry,
  type IncidentMeta,
  type MetaKey,
  type Scenario,
  parseInput,
} from '@sitrep/shared';
import { type PrivacyPolicy, newIncidentKey, sanitizeValue } from '@sitrep/shared/sanitizer';
import * as Y from 'yjs';
import { PendingWrites } from '../gate/PendingWrites.js';
import { inspectUpdate } from '../gate/WriteGate.js';
import { SECRETS_ONLY, refuseContent } from '../gate/refusals.js';
import { privateDataRefused } from '../gate/refusals.js';
import type { CreatedIncident, Creator, Store } from '../store/Store.js';
import { creationWrites } from '../store/logWrites.js';
import { encodeMapInserts } from './serverUpdates.js';

/** Up to 40 characters of a-z, 0-9 and inner dashes from a text: the readable part of an id. */
export const slugOf = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

/** A readable id from the title, with a random suffix: `checkout-latency-7k2q`. */
export function incidentIdFor(title: string): string {
  const slug = slugOf(title);
  const suffix = randomBytes(3).toString('hex');
  return slug ? `${slug}-${suffix}` : `incident-${suffix}`;
}

/**
 * What a drill starts with: its scenario (`meta.scenario`, where a secret refuses the whole
 * incident: it cannot be redacted out of what the drill is about) and its first entries.
 */
export interface Opening {
  scenario: Scenario;
  entries: readonly Entry[];
}

/**
 * Creates the incident; `by` (who asks, under their quota) is null for the server's own (the
 * demo). Without an id in `input`, the id is made from the sanitized title.
 */
export async function createIncident(
  store: Store,
  input: CreateIncident,
  by: Creator | null,
  policy: PrivacyPolicy,
  now = new Date(),
  opening?: Opening,
): Promise<CreatedIncident> {
  // An id given is kept in URLs, the audit trail and exports, and cannot be redacted.
  if (input.id) await refuseContent([input.id], 'incident id', policy);
  if (opening) await refuseContent([opening.scenario], 'scenario', SECRETS_ONLY);
  const sanitizerKey = newIncidentKey();
  const named = { title: input.title, commander: input.commander ?? null, opening: opening ?? null };
  const clean = await sanitizeValue(named, { key: sanitizerKey, policy });
  if (clean.refused.length > 0)
    throw privateDataRefused(clean.refused, opening ? 'the drill' : 'the incident');
  const { title, commander } = parseInput(
    CreateIncident.pick({ title: true, commander: true }),
    { title: clean.value.title, commander: clean.value.commander ?? undefined },
    'incident once redacted',
  );
  const id = input.id ?? incidentIdFor(title);
  const meta: IncidentMeta = {
    title,
    severity: input.severity ?? 'SEV3',
    status: input.status ?? 'investigating',
    kind: input.kind ?? 'incident',
    commander: commander ?? null,
    createdAt: now.toISOString(),
    detectedAt: input.detectedAt ?? now.toISOString(),
    // A record made with a later status says when it got there, or leaves it unknown: the server
    // stamps only the status changes it sees, never times it was not told (docs/decisions.md).
    startedAt: input.startedAt,
    acknowledgedAt: input.acknowledgedAt,
    mitigatedAt: input.mitigatedAt,
    resolvedAt: input.resolvedAt,
    ...(clean.value.opening && { scenario: clean.value.opening.scenario }),
  };
  const first = clean.value.opening?.entries ?? [];
  // What was sanitized still passes the gate's refusals.
  await refuseContent([meta, first], 'incident', SECRETS_ONLY);
  const pairs = (Object.entries(meta) as [MetaKey, unknown][]).filter(([, v]) => v !== undefined);
  const client = new Y.Doc().clientID;
  const updates = [encodeMapInserts(client, 0, 'meta', pairs)];
  if (first.length > 0)
    updates.push(
      encodeMapInserts(
        client,
        pairs.length,
        'entries',
        first.map((e) => [e.id, e] as const),
      ),
    );
  // Each update passes the gate against the document the ones before it make.
  const scratch = new Y.Doc();
  const pending = new PendingWrites();
  const appends = updates.map((update) => {
    const { entries } = inspectUpdate(scratch, pending, update, 'server');
    Y.applyUpdate(scratch, update.bytes);
    return { bytes: update.bytes, entries };
  });
  scratch.destroy();
  // The audit record says what was redacted, never what it was.
  const redactions = Object.keys(clean.counts).length > 0 ? { redactions: clean.counts } : {};
  const audited = by && {
    ...by,
    audit: {
      ...by.audit,
      incidentId: id,
      detail: { ...by.audit.detail, title, ...redactions, ...(input.private && { private: true }) },
    },
  };
  return store.createIncident(id, meta, creationWrites(appends), {
    sanitizerKey,
    private: input.private ?? false,
    by: audited,
  });
}
