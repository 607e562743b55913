// Making a drill: an incident of kind `drill` whose `meta.scenario` holds what happened elsewhere
// (or in one of ours, replayed) and which starts with the pre-mortem questions as gaps
// (shared/src/drill.ts). A scenario's drill has an id made from its fingerprint, so a batch sent
// again finds the drills it made instead of making them twice.
import { createHash } from 'node:crypto';
import {
  type Author,
  type CreateIncident,
  type Scenario,
  type ScenarioFields,
  SitrepError,
  questionEntries,
  readEntries,
  readMeta,
  readView,
  replayScenario,
} from '@sitrep/shared';
import { type PrivacyPolicy, findSensitive } from '@sitrep/shared/sanitizer';
import type { CreatedIncident, Creator, Store } from '../store/Store.js';
import type { RoomRegistry } from './RoomRegistry.js';
import { createIncident, incidentIdFor, slugOf } from './createIncident.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `text` with each secret, and each private datum the policy does not allow, written as its type
 * (`refunds to email failed`): the same each time, where a placeholder differs per incident.
 */
async function byType(text: string, policy: PrivacyPolicy): Promise<{ text: string; found: number }> {
  const found = await findSensitive(text, { policy });
  return {
    text: found.reduceRight((t, f) => `${t.slice(0, f.start)} ${f.type} ${t.slice(f.end)}`, text),
    found: found.length,
  };
}

/**
 * A scenario's fields with their fingerprint: a hash of the front matter id when it has one, else
 * a hash of its fields (sorted, so the same content sent as a file or as fields is the same
 * scenario). Never the id as sent: the fingerprint is kept in the audit trail and the drill's
 * meta, and an id can hold private data (`refunds-4111111111111111`); such an id is kept with
 * each datum as its type (`refunds-card`), as the drill's own id is (drillIdFor).
 */
export async function fingerprinted(fields: ScenarioFields, policy: PrivacyPolicy): Promise<Scenario> {
  if (fields.id) {
    const typed = await byType(fields.id, policy);
    const id = typed.found ? slugOf(typed.text) : fields.id;
    return { ...fields, id, fingerprint: `id:${sha256(fields.id)}` };
  }
  const sorted = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1));
  return { ...fields, fingerprint: `sha256:${sha256(JSON.stringify(sorted))}` };
}

/**
 * The id of a scenario's drill, the same each time it is sent: `drill-`, its front matter id or
 * title as a slug, and 8 hex digits of a hash of its fingerprint (two of one title differ). A
 * private drill's hash also covers `keyedTo` (its creator), so nobody else sending the same
 * scenario lands on its id and learns from the answer that it exists. An id is never redacted
 * (URLs, the audit trail and exports hold it), and a slug no longer reads as the datum it was
 * made of (`jane-doe-example-com`): each secret, and each private datum the policy does not
 * allow, is its type in the slug (`refunds-to-email-failed`), not a placeholder, which differs
 * from incident to incident and would make the same scenario a new drill each time.
 */
export async function drillIdFor(
  scenario: Scenario,
  policy: PrivacyPolicy,
  keyedTo?: string,
): Promise<string> {
  const slug = slugOf((await byType(scenario.id ?? scenario.title, policy)).text);
  const key = keyedTo === undefined ? scenario.fingerprint : `${scenario.fingerprint}\nprivate:${keyedTo}`;
  return `drill-${slug ? `${slug}-` : ''}${sha256(key).slice(0, 8)}`;
}

/** The scenario of a replay of our incident `id`, read from its room (the caller may read it). */
export async function replayOf(rooms: RoomRegistry, id: string): Promise<Scenario> {
  const room = await rooms.open(id);
  const meta = readMeta(room.doc);
  if (!meta) throw new SitrepError('incident.not_found', `incident ${id} has no meta yet`);
  return replayScenario({
    id,
    title: meta.title,
    severity: meta.severity,
    status: meta.status,
    headline: readView(room.doc, 'commander')?.headline.text ?? null,
    startedAt: meta.startedAt ?? meta.detectedAt,
    resolvedAt: meta.resolvedAt,
    entries: readEntries(room.doc),
  });
}

/**
 * Checks that incident `id`, which exists, is the drill of this scenario: incident.exists when it
 * holds something else (a scenario whose slug and hash collide, an incident given that id).
 */
export async function checkSameDrill(rooms: RoomRegistry, id: string, scenario: Scenario): Promise<void> {
  const meta = readMeta((await rooms.open(id)).doc);
  if (meta?.kind === 'drill' && meta.scenario?.fingerprint === scenario.fingerprint) return;
  throw new SitrepError('incident.exists', `incident ${id} exists and is not the drill of this scenario`);
}

export interface DrillRequest {
  scenario: Scenario;
  /** A scenario's drill has its id from its fingerprint (drillIdFor); a replay's from its title. */
  id?: string;
  severity: CreateIncident['severity'];
  commander?: string | undefined;
  private: boolean;
  /** Who asks: the questions are theirs. */
  author: Author;
}

/** Creates the drill: its row, its meta with the scenario and its question gaps, in one transaction. */
export function createDrill(
  store: Store,
  request: DrillRequest,
  by: Creator | null,
  policy: PrivacyPolicy,
  now = new Date(),
): Promise<CreatedIncident> {
  const { scenario } = request;
  return createIncident(
    store,
    {
      id: request.id ?? incidentIdFor(`drill ${scenario.title}`),
      title: scenario.title,
      severity: request.severity,
      kind: 'drill',
      commander: request.commander,
      private: request.private,
    },
    by,
    policy,
    now,
    { scenario, entries: questionEntries(request.author, now) },
  );
}
