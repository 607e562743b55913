// The LLM adapter: one Messages API call through @anthropic-ai/sdk, answered by a forced call of
// the commander_view tool whose input schema is the CommanderBrief zod schema. Base URL and model
// come from config, so an Anthropic-compatible local model server serves as well.
import Anthropic from '@anthropic-ai/sdk';
import { CommanderBrief, SitrepError, containsUnstorable, cut } from '@sitrep/shared';
import { z } from 'zod';
import type { SummaryRequest } from './prompt.js';

export interface ModelAnswer {
  /** The tool input as the model gave it: unchecked. */
  output: unknown;
  inputTokens: number;
  outputTokens: number;
  model: string;
}

/** What the summarizer needs of a model; tests drive the real adapter against a fake server. */
export interface CommanderModel {
  readonly model: string;
  answer(request: SummaryRequest): Promise<ModelAnswer>;
}

const TOOL = {
  name: 'commander_view',
  description: "Write the incident commander's view. Every item cites the ids of the entries it rests on.",
  input_schema: z.toJSONSchema(CommanderBrief, { target: 'draft-7' }) as Anthropic.Tool.InputSchema,
};

export interface AnthropicOptions {
  apiKey: string;
  baseUrl: string | undefined;
  model: string;
  timeoutMs: number;
  maxOutputTokens: number;
}

export class AnthropicModel implements CommanderModel {
  readonly model: string;
  private readonly client: Anthropic;

  constructor(private readonly options: AnthropicOptions) {
    this.model = options.model;
    // Retries are the breaker's business: one failure is one failure.
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? null,
      maxRetries: 0,
      timeout: options.timeoutMs,
    });
  }

  async answer(request: SummaryRequest): Promise<ModelAnswer> {
    let message: Anthropic.Message;
    try {
      message = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: this.options.maxOutputTokens,
          system: request.system,
          messages: [{ role: 'user', content: request.user }],
          tools: [TOOL],
          tool_choice: { type: 'tool', name: TOOL.name },
        },
        // The SDK's timeout ends once the headers arrive; this one bounds the body as well.
        { signal: AbortSignal.timeout(this.options.timeoutMs) },
      );
    } catch (err) {
      throw new SitrepError('summarizer.failed', describeFailure(err));
    }
    const call = message.content.find(
      (b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === TOOL.name,
    );
    if (!call)
      throw new SitrepError(
        'summarizer.bad_output',
        `the model did not call ${TOOL.name} (stop reason ${message.stop_reason ?? 'none'})`,
      );
    // The model name is the server's word; a compatible server may leave it out or send anything.
    const named =
      typeof message.model === 'string' &&
      message.model.length > 0 &&
      message.model.length <= 200 &&
      !containsUnstorable(message.model);
    return {
      output: call.input,
      inputTokens: message.usage.input_tokens,
      outputTokens: message.usage.output_tokens,
      model: named ? message.model : this.model,
    };
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof Anthropic.APIError && err.status !== undefined)
    return cut(`the model API answered ${err.status}: ${err.message}`, 300);
  if (
    err instanceof Anthropic.APIConnectionTimeoutError ||
    err instanceof Anthropic.APIUserAbortError ||
    (err instanceof Error && err.name === 'AbortError')
  ) {
    return 'the model API timed out';
  }
  if (err instanceof Anthropic.APIConnectionError)
    return cut(`the model API is unreachable: ${err.message}`, 300);
  return cut(`the model call failed: ${err instanceof Error ? err.message : String(err)}`, 300);
}
