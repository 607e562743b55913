// Stock clients for tests: an unmodified y-websocket WebsocketProvider over `ws`, and entries.
import { type Entry, type EntryKind, newEntryId } from '@sitrep/shared';
import { afterAll, beforeAll, vi } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export function connectProvider(serverUrl: string, incidentId: string, token: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + '/yjs', incidentId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
}

export function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
}

export function makeEntry(kind: EntryKind = 'finding', extra: Partial<Entry> = {}): Entry {
  return {
    v: 1,
    id: newEntryId(),
    kind,
    body: `${kind} from a test`,
    author: { id: 'tester', name: 'Tess Ter', kind: 'harness', harness: 'vitest' },
    at: new Date().toISOString(),
    ...(kind === 'theory' ? { title: 'a theory' } : {}),
    ...extra,
  };
}

/**
 * What stock providers report: y-websocket logs permission-denied through console.warn. Returns
 * the list the warnings are collected into while the calling test file runs.
 */
export function collectProviderWarnings(): string[] {
  const warnings: string[] = [];
  beforeAll(() => {
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  return warnings;
}
