// The evaluation set for incident memory ("seen before"): resolved past incidents over eleven
// months, each failure mode told two or three times by different people in different words, plus
// distractors; and new incidents (a title and first findings) that should find the past incidents
// of their mode, or, for failure modes the past never saw, nothing above the threshold.
// A follow-up (action or gap) counts as closed when a later finding, dataset or decision refs it
// (a finished action's finding is tagged `done`): `openFollowUps` lists the rest.
import { type NewIncident, type PastIncident, buildNew, buildPast } from './build.js';
import { blindRelated, blindUnrelated } from './newBlind.js';
import { blind2Related, blind2Unrelated } from './newBlind2.js';
import { blind3Related, blind3Unrelated } from './newBlind3.js';
import { related, unrelated } from './newIncidents.js';
import { pastA } from './pastA.js';
import { pastB } from './pastB.js';
import { pastC } from './pastC.js';

export type { EvalSet, NewIncident, PastIncident } from './build.js';

export interface MemoryEvalSet {
  /** Resolved incidents, oldest first. */
  past: PastIncident[];
  /** New incidents (the first set, then the blind sets: `set`) whose `expected` past incidents `related` should rank in its top 3. */
  related: NewIncident[];
  /** New incidents of failure modes never seen before: `related` should return nothing for them. */
  unrelated: NewIncident[];
}

/** The whole set, the same every call (ids and times are fixed). */
export function memoryEvalSet(): MemoryEvalSet {
  const past = [...pastA, ...pastB, ...pastC]
    .map(buildPast)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return {
    past,
    related: [
      ...related.map((s) => buildNew(s, past)),
      ...blindRelated.map((s) => buildNew(s, past, 'blind')),
      ...blind2Related.map((s) => buildNew(s, past, 'blind2')),
      ...blind3Related.map((s) => buildNew(s, past, 'blind3')),
    ],
    unrelated: [
      ...unrelated.map((s) => buildNew(s, past)),
      ...blindUnrelated.map((s) => buildNew(s, past, 'blind')),
      ...blind2Unrelated.map((s) => buildNew(s, past, 'blind2')),
      ...blind3Unrelated.map((s) => buildNew(s, past, 'blind3')),
    ],
  };
}
