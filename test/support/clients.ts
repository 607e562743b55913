// Clients for tests: an unmodified y-websocket WebsocketProvider over `ws`, entries, and a raw
// socket that asks for acks, with the updates a forger would send on it.
import {
  type AckMessage,
  type Entry,
  type EntryKind,
  MESSAGE_SITREP_ACK,
  decodeAck,
  encodeSyncUpdate,
  newEntryId,
  tokenProtocols,
} from '@sitrep/shared';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, vi } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/**
 * A stock provider on the incident. The token goes as the README's stock example sends it
 * (`params`, in the URL) unless `via` is `protocol`, as sitrep's own clients send it. `socket`:
 * the WebSocket class it uses (`recordingSocket` keeps what it receives).
 */
export function connectProvider(
  serverUrl: string,
  incidentId: string,
  token: string,
  doc = new Y.Doc(),
  via: 'params' | 'protocol' = 'params',
  socket: typeof WebSocket = WebSocket,
): WebsocketProvider {
  return new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + '/yjs', incidentId, doc, {
    ...(via === 'params' ? { params: { token } } : { protocols: tokenProtocols(token) }),
    WebSocketPolyfill: socket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
}

/** A WebSocket class whose sockets push every frame they receive onto `frames`: what a client was sent. */
export function recordingSocket(frames: Buffer[]): typeof WebSocket {
  return class RecordingSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      this.on('message', (data) =>
        frames.push(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)),
      );
    }
  } as unknown as typeof WebSocket;
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
 * Findings whose bodies (16,000 characters each, near the gate's limit) add up to at least
 * `bytes`: a large document in few entries, written as any other. `word` marks what they are for.
 */
export function largeEntries(bytes: number, word: string): Entry[] {
  const body = `${word} `.repeat(Math.ceil(16_000 / (word.length + 1)));
  return Array.from({ length: Math.ceil(bytes / body.length) }, (_, i) =>
    makeEntry('finding', { body: `${i} ${body}` }),
  );
}

/**
 * What stock providers report: y-websocket logs permission-denied through console.warn. Returns
 * the list the warnings are collected into while the calling test file runs.
 */
export function collectProviderWarnings(): string[] {
  const warnings: string[] = [];
  beforeAll(() => {
    vi.spyOn(console, 'warn').mockImplementation(
      (...args: unknown[]) => void warnings.push(args.map(String).join(' ')),
    );
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  return warnings;
}

/** The update `change` makes on a copy of `seen` written as `client`: another writer's id, as a forger would. */
export function updateUnder(seen: Y.Doc, client: number, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(seen));
  doc.clientID = client;
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** Sends one update on a raw socket that asked for acks (`?acks=1`) and resolves with its ack or nack. */
export async function sendForAck(
  serverUrl: string,
  incidentId: string,
  token: string,
  update: Uint8Array,
): Promise<AckMessage> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/yjs/${incidentId}?token=${token}&acks=1`);
  try {
    return await new Promise<AckMessage>((resolve, reject) => {
      ws.on('open', () => ws.send(encodeSyncUpdate(update)));
      ws.on('message', (d) => {
        const frame = new Uint8Array(d as Buffer);
        if (frame[0] === MESSAGE_SITREP_ACK) resolve(decodeAck(frame));
      });
      ws.on('error', reject);
      ws.on('close', () => reject(new Error('the socket closed before an ack')));
    });
  } finally {
    ws.close();
  }
}

/** The update a sync frame (step 2 or update) carries. */
export function syncPayload(frame: Uint8Array): Uint8Array {
  const d = decoding.createDecoder(frame);
  decoding.readVarUint(d);
  decoding.readVarUint(d);
  return decoding.readVarUint8Array(d);
}
