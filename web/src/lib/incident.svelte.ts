// One incident, live: a Y.Doc kept in sync by the stock y-websocket provider, exposed as reactive
// state (entries, meta, curation, views, presence, connection). Writes go into the document and
// pass the server's gate like any client's.
import {
  type Curation,
  type Entry,
  type IncidentMeta,
  type Presence,
  type Role,
  entriesMap,
  metaMap,
  readCuration,
  readMeta,
  readPresence,
  deniesAccess,
  readView,
  tokenProtocols,
  ApiClient,
  type EntryReceipt,
} from '@sitrep/shared';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { insertSorted } from './feed.js';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'denied';

export class LiveIncident {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  connection = $state<Connection>('connecting');
  /** The first sync is done: an entry id not in the document now is not in the incident. */
  synced = $state(false);
  deniedReason = $state('');
  entries = $state.raw<Entry[]>([]);
  meta = $state.raw<IncidentMeta | null>(null);
  curation = $state.raw<Record<string, Curation>>({});
  rules = $state.raw(readView(this.doc, 'rules'));
  commander = $state.raw(readView(this.doc, 'commander'));
  timeline = $state.raw(readView(this.doc, 'timeline'));
  summarizer = $state.raw(readView(this.doc, 'summarizer'));
  presence = $state.raw<Presence[]>([]);
  /** Receipts by entry id: which token wrote each entry and when it arrived (from the API). */
  receipts = $state.raw<Record<string, EntryReceipt>>({});
  private readonly api: ApiClient;
  private receiptsFrom: string | undefined;
  private receiptsTimer: ReturnType<typeof setTimeout> | undefined;
  private wasLive = false;
  private pendingEntries: Entry[] = [];
  /** Entries taken out (purged) since the last frame. */
  private readonly pendingRemovals = new Set<string>();
  private frame = 0;

  constructor(
    readonly id: string,
    token: string,
    me: { name: string; role: Role },
    base = location.origin,
  ) {
    // No BroadcastChannel between tabs: each tab may hold another token, and every change should
    // reach the server from the tab (and token) that made it. The token goes as a subprotocol,
    // not in the URL, which the provider prints in its warnings.
    this.provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/yjs`, id, this.doc, {
      protocols: tokenProtocols(token),
      maxBackoffTime: 2_500,
      disableBc: true,
    });
    this.api = new ApiClient(base, { token });
    this.provider.on('status', ({ status }) => this.onStatus(status));
    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      this.onStatus('connected');
      this.schedule(); // entries that came with the sync show in the same frame as `synced`
    });
    this.provider.on('connection-close', (event) => {
      if (event && deniesAccess(event.code)) {
        this.connection = 'denied';
        this.deniedReason = event.reason || 'access denied';
        this.provider.shouldConnect = false;
      }
    });
    entriesMap(this.doc).observe((ev) => {
      const map = entriesMap(this.doc);
      for (const key of ev.keysChanged) {
        const e = map.get(key);
        if (e) this.pendingEntries.push(e);
        else this.pendingRemovals.add(key);
      }
      this.schedule();
      this.fetchReceipts();
    });
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if ([...tr.changed.keys()].some((t) => t !== (entriesMap(this.doc) as unknown))) this.schedule();
    });
    this.provider.awareness.on(
      'change',
      () => (this.presence = readPresence(this.provider.awareness.getStates().values())),
    );
    this.provider.awareness.setLocalState({ name: me.name, kind: 'human', role: me.role });
    addEventListener('online', this.onNetwork);
    addEventListener('offline', this.onNetwork);
  }

  /** Fetches the receipts of entries that arrived since the last fetch, at most once a second. */
  private fetchReceipts(): void {
    this.receiptsTimer ??= setTimeout(async () => {
      try {
        for (let more = true; more; ) {
          const page = await this.api.receipts(this.id, this.receiptsFrom);
          if (Object.keys(page.receipts).length > 0) this.receipts = { ...this.receipts, ...page.receipts };
          this.receiptsFrom = page.next ?? undefined;
          more = page.more;
        }
      } catch {
        // Receipts are extra: the next change tries again.
      } finally {
        this.receiptsTimer = undefined;
      }
    }, 1_000);
  }

  private readonly onNetwork = () => this.onStatus(this.provider.wsconnected ? 'connected' : 'disconnected');

  private onStatus(status: 'connected' | 'connecting' | 'disconnected'): void {
    if (this.connection === 'denied') return;
    if (!navigator.onLine) this.connection = 'offline';
    else if (status === 'connected' && this.provider.synced) {
      this.connection = 'live';
      this.wasLive = true;
    } else this.connection = this.wasLive ? 'reconnecting' : 'connecting';
  }

  /** Applies document changes to the reactive state once per animation frame. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.synced ||= this.provider.synced;
      if (this.pendingEntries.length || this.pendingRemovals.size) {
        const removed = this.pendingRemovals;
        const next = removed.size ? this.entries.filter((e) => !removed.has(e.id)) : this.entries.slice();
        const have = new Set(next.map((e) => e.id));
        for (const e of this.pendingEntries.splice(0))
          if (!have.has(e.id) && !removed.has(e.id)) insertSorted(next, e);
        removed.clear();
        this.entries = next;
      }
      this.meta = readMeta(this.doc);
      this.curation = readCuration(this.doc);
      this.rules = readView(this.doc, 'rules');
      this.commander = readView(this.doc, 'commander');
      this.timeline = readView(this.doc, 'timeline');
      this.summarizer = readView(this.doc, 'summarizer');
    });
  }

  /**
   * Whether an entry id was in the document and was taken out (an admin's purge): Yjs keeps the
   * map's last item for a key, deleted, and entries leave the document by no other way.
   */
  wasPurged(id: string): boolean {
    return entriesMap(this.doc)._map.get(id)?.deleted === true;
  }

  /**
   * Commander: sets a meta field. The server stamps the milestone times a status change calls
   * for (shared/milestones.ts), as it does for every client's.
   */
  setMeta<K extends keyof IncidentMeta>(key: K, value: IncidentMeta[K]): void {
    metaMap(this.doc).set(key, value);
  }

  /** Commander: pins, hides or labels an entry on the timeline. */
  curate(id: string, patch: Curation): void {
    const merged = { ...(this.curation[id] ?? {}), ...patch };
    const clean = Object.fromEntries(
      Object.entries(merged).filter(([, v]) => v !== undefined && v !== false && v !== ''),
    );
    this.doc.getMap('curation').set(id, clean);
  }

  /** Tells the others what this commander is looking at. */
  focus(what: string | undefined): void {
    this.provider.awareness.setLocalStateField('focus', what);
  }

  destroy(): void {
    removeEventListener('online', this.onNetwork);
    removeEventListener('offline', this.onNetwork);
    cancelAnimationFrame(this.frame);
    clearTimeout(this.receiptsTimer);
    this.provider.destroy();
    this.doc.destroy();
  }
}
