// The HTTP API's request and response bodies, shared by the server and its clients.
import { z } from 'zod';
import { Entry, EntryDraft, EntryId, EntryKind } from './entry.js';

/** At most this many entries in one append; larger batches are split by the client. */
export const MAX_APPEND_BATCH = 500;

export const AppendEntriesRequest = z.strictObject({
  entries: z.array(EntryDraft).min(1).max(MAX_APPEND_BATCH),
});
export type AppendEntriesRequest = z.input<typeof AppendEntriesRequest>;

export const AppendEntriesResponse = z.object({
  entries: z.array(z.object({ id: EntryId, seq: z.number().int(), created: z.boolean() })),
});
export type AppendEntriesResponse = z.infer<typeof AppendEntriesResponse>;

export const EntryQuery = z.strictObject({
  kind: EntryKind.optional(),
  author: z.string().min(1).max(128).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  after: EntryId.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const EntriesResponse = z.object({ entries: z.array(Entry) });

export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
