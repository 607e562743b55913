// The summarizer service of a node: it gives every loaded room a ViewKeeper, and holds what
// outlives a room's stay in memory: the model, each incident's circuit breaker, this node's id
// for view leases.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { IncidentRoom } from '../room/IncidentRoom.js';
import type { Store } from '../store/Store.js';
import { AnthropicModel, type CommanderModel } from './AnthropicModel.js';
import { Breaker } from './Breaker.js';
import { ViewKeeper } from './ViewKeeper.js';

export interface SummarizerDeps {
  store: Store;
  log: Logger;
  metrics: Metrics;
  config: Config['summarizer'];
  /** Null without an API key: the rules view only. */
  model: CommanderModel | null;
}

export class Summarizer {
  readonly nodeId = randomUUID();
  private readonly breakers = new Map<string, Breaker>();
  private readonly keepers = new Map<string, ViewKeeper>();

  constructor(readonly deps: SummarizerDeps) {}

  static fromConfig(config: Config, deps: Omit<SummarizerDeps, 'model' | 'config'>): Summarizer {
    const { apiKey, baseUrl, model } = config.anthropic;
    const llm = apiKey ? new AnthropicModel({ apiKey, baseUrl, model, timeoutMs: config.summarizer.timeoutMs, maxOutputTokens: 2_048 }) : null;
    return new Summarizer({ ...deps, config: config.summarizer, model: llm });
  }

  breaker(incidentId: string): Breaker {
    let b = this.breakers.get(incidentId);
    if (!b) this.breakers.set(incidentId, (b = new Breaker({ threshold: 3, cooldownMs: this.deps.config.breakerCooldownMs, maxCooldownMs: 20 * this.deps.config.breakerCooldownMs })));
    return b;
  }

  /** Starts keeping a loaded room's views; called as the room loads. */
  attach(room: IncidentRoom): void {
    const keeper = new ViewKeeper(room, this);
    this.keepers.set(room.id, keeper);
    keeper.start();
  }

  /** Stops keeping a room's views; its pending work is dropped (another load starts afresh). */
  detach(room: IncidentRoom): void {
    this.keepers.get(room.id)?.stop();
    this.keepers.delete(room.id);
  }

  /** Resolves once the room's views are written and no view work is pending (for tests and shutdown). */
  async settled(incidentId: string): Promise<void> {
    await this.keepers.get(incidentId)?.settled();
  }

  /** The commander's andon cord: pause or resume the LLM for one incident. */
  async setPaused(incidentId: string, paused: boolean): Promise<void> {
    await this.deps.store.summaries.setPaused(incidentId, paused);
    this.keepers.get(incidentId)?.summarizeSoon(0);
  }
}
