// The LLM summarizer of a node, a writer of the `view` root beside the rules view: it gives every
// loaded room an IncidentSummarizer, and holds what outlives a room's stay in memory: the model
// and each incident's circuit breaker. It writes through the views' ViewWriter (views/), which
// knows nothing of it.
import type { Config } from '../config.js';
import type { ViewWriter } from '../views/ViewKeeper.js';
import type { ViewAuthor } from '../views/Views.js';
import { Breaker } from './Breaker.js';
import { IncidentSummarizer, type SummarizerDeps } from './IncidentSummarizer.js';

export class Summarizer implements ViewAuthor {
  private readonly breakers = new Map<string, Breaker>();
  private readonly incidents = new Map<string, IncidentSummarizer>();

  constructor(readonly deps: SummarizerDeps) {}

  /** The node's summarizer; the Anthropic SDK is loaded only with an API key (it holds about 5 MB of heap). */
  static async fromConfig(
    config: Config,
    deps: Omit<SummarizerDeps, 'model' | 'config'>,
  ): Promise<Summarizer> {
    const { apiKey, baseUrl, model } = config.anthropic;
    const llm = apiKey
      ? new (await import('./AnthropicModel.js')).AnthropicModel({
          apiKey,
          baseUrl,
          model,
          timeoutMs: config.summarizer.timeoutMs,
          maxOutputTokens: 2_048,
        })
      : null;
    return new Summarizer({ ...deps, config: config.summarizer, model: llm });
  }

  private breaker(incidentId: string): Breaker {
    let b = this.breakers.get(incidentId);
    if (!b)
      this.breakers.set(
        incidentId,
        (b = new Breaker({
          threshold: 3,
          cooldownMs: this.deps.config.breakerCooldownMs,
          maxCooldownMs: 20 * this.deps.config.breakerCooldownMs,
        })),
      );
    return b;
  }

  /** Starts summarizing a loaded room; called as its views start. */
  attach(views: ViewWriter): void {
    const incident = new IncidentSummarizer(views, this.deps, this.breaker(views.room.id));
    this.incidents.set(views.room.id, incident);
    incident.start();
  }

  /** Stops summarizing a room; its pending run is dropped (another load starts afresh). */
  detach(incidentId: string): void {
    this.incidents.get(incidentId)?.stop();
    this.incidents.delete(incidentId);
  }

  async settled(incidentId: string): Promise<void> {
    await this.incidents.get(incidentId)?.settled();
  }

  /** The commander's andon cord: pause or resume the LLM for one incident. */
  async setPaused(incidentId: string, paused: boolean): Promise<void> {
    await this.deps.store.summaries.setPaused(incidentId, paused);
    this.incidents.get(incidentId)?.summarizeSoon(0);
  }
}
