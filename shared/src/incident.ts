// Incident identity and the `meta` root: one zod schema per meta key, so the gate can check a
// single key's write and readers can parse the whole map.
import { z } from 'zod';
import { IncidentId } from './incidentId.js';
import { Scenario } from './scenario.js';
import { isoTime, storableString } from './storable.js';

export { IncidentId } from './incidentId.js';

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const STATUSES = ['investigating', 'identified', 'mitigating', 'monitoring', 'resolved'] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

export const IncidentKind = z.enum(['incident', 'drill']);
export type IncidentKind = z.infer<typeof IncidentKind>;

const Time = isoTime();
const OptionalTime = Time.nullable();

/** Each key the `meta` root may hold, with the schema of its value. */
export const META_FIELDS = {
  title: storableString().min(1).max(200),
  severity: Severity,
  status: Status,
  kind: IncidentKind,
  commander: storableString().min(1).max(128).nullable(),
  createdAt: Time,
  /** When impact began, if known (often set after the fact): the start of time to detect. */
  startedAt: OptionalTime,
  detectedAt: OptionalTime,
  acknowledgedAt: OptionalTime,
  mitigatedAt: OptionalTime,
  resolvedAt: OptionalTime,
  /**
   * A drill's scenario (scenario.ts), written by the server when it makes the drill and never
   * after: the gate refuses any other writer (SERVER_META_KEYS).
   */
  scenario: Scenario,
  /** How often the incident was reopened after being resolved; the server's (milestones.ts). */
  reopens: z.number().int().min(1).max(1_000_000),
  /** When it was last reopened; the server's. */
  reopenedAt: Time,
} as const;
export type MetaKey = keyof typeof META_FIELDS;

/** Meta keys only the server writes: a commander's socket or PATCH may not set or delete them. */
export const SERVER_META_KEYS: ReadonlySet<MetaKey> = new Set(['scenario', 'reopens', 'reopenedAt']);

export const IncidentMeta = z.object({
  title: META_FIELDS.title,
  severity: META_FIELDS.severity,
  status: META_FIELDS.status,
  kind: META_FIELDS.kind,
  commander: META_FIELDS.commander.optional(),
  createdAt: META_FIELDS.createdAt,
  startedAt: OptionalTime.optional(),
  detectedAt: OptionalTime.optional(),
  acknowledgedAt: OptionalTime.optional(),
  mitigatedAt: OptionalTime.optional(),
  resolvedAt: OptionalTime.optional(),
  scenario: Scenario.optional(),
  reopens: META_FIELDS.reopens.optional(),
  reopenedAt: META_FIELDS.reopenedAt.optional(),
});
export type IncidentMeta = z.infer<typeof IncidentMeta>;

export function isMetaKey(key: string): key is MetaKey {
  return Object.hasOwn(META_FIELDS, key);
}

/** The body of a create request; everything but the title has a default. */
export const CreateIncident = z.strictObject({
  id: IncidentId.optional(),
  title: META_FIELDS.title,
  severity: Severity.default('SEV3'),
  status: Status.default('investigating'),
  kind: IncidentKind.default('incident'),
  commander: storableString().min(1).max(128).optional(),
  detectedAt: Time.optional(),
  /**
   * When impact began and the milestones were reached, for a record made after the fact. A status
   * given at creation stamps nothing: a time left out stays unknown (docs/decisions.md).
   */
  startedAt: Time.optional(),
  acknowledgedAt: Time.optional(),
  mitigatedAt: Time.optional(),
  resolvedAt: Time.optional(),
  /**
   * Readable only by admins and tokens limited to it (a security or HR incident; commanders and
   * admins only). A column of the incident's row, never in `meta`.
   */
  private: z.boolean().optional(),
});
export type CreateIncident = z.input<typeof CreateIncident>;

/**
 * A commander's change of an incident's meta (`PATCH /api/incidents/:id`): its status, severity,
 * commander, when impact began, and the milestone times corrected by hand (null clears a time).
 * The server stamps what a status change calls for (milestones.ts); `reopens` is the server's.
 */
export const UpdateIncident = z
  .strictObject({
    status: Status.optional(),
    severity: Severity.optional(),
    commander: META_FIELDS.commander.optional(),
    startedAt: OptionalTime.optional(),
    detectedAt: OptionalTime.optional(),
    acknowledgedAt: OptionalTime.optional(),
    mitigatedAt: OptionalTime.optional(),
    resolvedAt: OptionalTime.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change: give at least one field');
export type UpdateIncident = z.infer<typeof UpdateIncident>;

export const UpdateIncidentResponse = z.object({ meta: IncidentMeta });
export type UpdateIncidentResponse = z.infer<typeof UpdateIncidentResponse>;

/** An incident as the API lists it. */
export const IncidentSummary = z.object({
  id: IncidentId,
  title: z.string(),
  severity: Severity,
  status: Status,
  kind: IncidentKind,
  commander: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSeq: z.number().int(),
  /** When an admin archived it; null while it is in the default list. */
  archivedAt: z.string().nullable(),
  /** Readable only by admins and tokens limited to it (README "Visibility"). */
  private: z.boolean(),
});
export type IncidentSummary = z.infer<typeof IncidentSummary>;

/** Curation of one timeline item, keyed by entry id in the `curation` root. */
export const Curation = z.strictObject({
  pinned: z.boolean().optional(),
  hidden: z.boolean().optional(),
  label: z.string().min(1).max(120).optional(),
});
export type Curation = z.infer<typeof Curation>;
