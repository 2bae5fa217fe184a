import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RAMClient } from '@aws-sdk/client-ram';
import { HandlerDependencies } from '../../../src/custom-resources/handler/dependencies';
import { CustomResourceEvent, InvocationContext } from '../../../src/custom-resources/handler/events';
import { processEvent } from '../../../src/custom-resources/handler/process-event';
import { RetryOptions } from '../../../src/custom-resources/handler/retry';
import { handOverMarginMs } from '../../../src/custom-resources/handler/waits';
import { CfnResponseServer } from '../../helpers/cfn-response-server';
import { FakeAwsEndpoint } from '../../helpers/fake-aws-endpoint';

/**
 * Runs the custom-resource handler's `processEvent` with the real SDK v3 clients against the fake
 * AWS endpoint, answering to a local response server. Time only moves when the handler sleeps, so
 * back-off, polling, deadlines and hand-over run instantly and deterministically.
 */

export const ARN_PREFIX = 'arn:aws:imagebuilder:us-east-1:123456789012';
export const COMPONENT = `${ARN_PREFIX}:component/hello/1.0.0/1`;
export const IMAGE = `${ARN_PREFIX}:image/golden/1.0.0/1`;
export const IMAGE_RECIPE = `${ARN_PREFIX}:image-recipe/golden/1.0.0`;
export const CONTAINER_RECIPE = `${ARN_PREFIX}:container-recipe/web/1.0.0`;
export const PIPELINE = `${ARN_PREFIX}:image-pipeline/golden`;

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/golden/5b4c3a20-1111-4000-8000-000000000001';
export const FUNCTION_NAME = 'golden-ImageBuilderHandler';
export const RESOURCE_POLICY = 'Custom::ImageBuilderResourcePolicy';
export const PIPELINE_EXECUTION = 'Custom::ImageBuilderPipelineExecution';

/** Attempts per call, as the handler's own retry counts them. */
export const RETRY_ATTEMPTS = 4;
/** The handler's retry settings in these tests (the fake clock moves only when the handler sleeps). */
const RETRY: Omit<RetryOptions, 'sleep'> = { attempts: RETRY_ATTEMPTS, baseDelayMs: 1_000, maxTotalDelayMs: 60_000, attemptTimeoutMs: 10_000 };
export const POLL_INTERVAL_MS = 30_000;
/** Derived from the retry settings, as the handler's function derives it. */
export const HAND_OVER_MARGIN_MS = handOverMarginMs(RETRY);
/** Lambda's longest timeout: plenty for any wait that is not meant to hand over. */
const DEFAULT_INVOCATION_MS = 900_000;

/** Part of the pre-signed URL that grants the right to answer for the resource; it must never be logged. */
const RESPONSE_URL_SIGNATURE = 'X-Amz-Signature=5ec12e7a5ec12e7a';

/** The body the handler PUT to the response URL. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface EventOptions {
  readonly RequestType: CustomResourceEvent['RequestType'];
  readonly ResourceType: string;
  readonly ResourceProperties: Record<string, any>;
  readonly OldResourceProperties?: Record<string, any>;
  readonly PhysicalResourceId?: string;
  /** @default - a new one per event */
  readonly RequestId?: string;
  /** @default 'Resource' */
  readonly LogicalResourceId?: string;
}

export class HandlerHarness {
  public readonly endpoint = new FakeAwsEndpoint();
  public readonly responseServer = new CfnResponseServer();
  /** Every entry the handler logged. */
  public readonly logs: Array<Record<string, any>> = [];
  /** Every delay the handler slept, in order. */
  public readonly sleeps: number[] = [];
  /** The fake clock, in epoch milliseconds; sleeping advances it. */
  public now = Date.UTC(2025, 0, 1);

  private clients?: { imagebuilder: ImagebuilderClient; ram: RAMClient; lambda: LambdaClient };
  private requests = 0;

  public async start(): Promise<void> {
    await this.responseServer.start();
    // The production handler also makes one attempt per SDK call and retries on its own.
    const config = {
      endpoint: await this.endpoint.start(),
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    };
    this.clients = { imagebuilder: new ImagebuilderClient(config), ram: new RAMClient(config), lambda: new LambdaClient(config) };
  }

  public async stop(): Promise<void> {
    Object.values(this.clients ?? {}).forEach((client) => client.destroy());
    await Promise.all([this.endpoint.stop(), this.responseServer.stop()]);
  }

  public reset(): void {
    this.endpoint.reset();
    this.responseServer.reset();
    this.logs.length = 0;
    this.sleeps.length = 0;
  }

  public get responseUrl(): string {
    return `${this.responseServer.url}/cloudformation-custom-resource-response-useast1/${encodeURIComponent(STACK_ID)}?${RESPONSE_URL_SIGNATURE}`;
  }

  public deps(): HandlerDependencies {
    return {
      ...this.clients!,
      retry: {
        ...RETRY,
        sleep: async (ms) => {
          this.sleeps.push(ms);
          this.now += ms;
        },
      },
      pollIntervalMs: POLL_INTERVAL_MS,
      handOverMarginMs: HAND_OVER_MARGIN_MS,
      now: () => this.now,
      log: (entry) => this.logs.push(entry),
    };
  }

  /** An invocation context whose remaining time runs down with the fake clock. */
  public context(timeoutMs = DEFAULT_INVOCATION_MS): InvocationContext {
    const end = this.now + timeoutMs;
    return { functionName: FUNCTION_NAME, getRemainingTimeInMillis: () => end - this.now };
  }

  /** A request as CloudFormation sends it: property values are strings (or lists of strings). */
  public event(options: EventOptions): CustomResourceEvent {
    return {
      ResponseURL: this.responseUrl,
      StackId: STACK_ID,
      LogicalResourceId: 'Resource',
      ...options,
      RequestId: options.RequestId ?? `request-${++this.requests}`,
      ResourceProperties: { ServiceToken: `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}`, ...options.ResourceProperties },
    };
  }

  /** Handles the event and returns the one response it PUT to the response URL. */
  public async run(event: CustomResourceEvent, context = this.context()): Promise<CfnResponse> {
    const before = this.responseServer.responses.length;
    await processEvent(event, context, this.deps());
    const sent = this.responseServer.responses.slice(before);
    if (sent.length !== 1) {
      throw new Error(`expected one response to the response URL, got ${sent.length}`);
    }
    expect(sent[0].method).toBe('PUT');
    return sent[0].body;
  }

  /** Handles an event that should hand its wait over to a new invocation; returns that invocation's event. */
  public async runHandingOver(event: CustomResourceEvent, context: InvocationContext): Promise<CustomResourceEvent> {
    const responses = this.responseServer.responses.length;
    const invocations = this.endpoint.invocations.length;
    await processEvent(event, context, this.deps());
    if (this.responseServer.responses.length !== responses) {
      throw new Error(`expected the invocation to hand over without answering, but it answered ${JSON.stringify(this.responseServer.responses.at(-1)?.body)}`);
    }
    const handedOver = this.endpoint.invocations.slice(invocations);
    expect(handedOver).toEqual([expect.objectContaining({ functionName: FUNCTION_NAME, invocationType: 'Event' })]);
    return handedOver[0].payload;
  }

  /**
   * Handles the event like Lambda would: when an invocation hands its wait over, runs the
   * continuation it invoked (with a fresh context) until one invocation answers; returns the answer.
   */
  public async answer(event: CustomResourceEvent, context = this.context()): Promise<CfnResponse> {
    const responses = this.responseServer.responses.length;
    const invocations = this.endpoint.invocations.length;
    await processEvent(event, context, this.deps());
    const continuations = this.endpoint.invocations.slice(invocations);
    if (this.responseServer.responses.length === responses && continuations.length === 1) {
      return this.answer(continuations[0].payload);
    }
    const sent = this.responseServer.responses.slice(responses);
    if (sent.length !== 1) {
      throw new Error(`expected one response to the response URL, got ${sent.length}`);
    }
    return sent[0].body;
  }

  /** Operations the handler called, in order, leaving out those in `except`. */
  public operations(...except: string[]): string[] {
    return this.endpoint.requests.map((r) => r.operation).filter((op) => !except.includes(op));
  }

  /** The logs must not hold the pre-signed response URL: whoever reads it could answer for the resource. */
  public expectResponseUrlNotLogged(): void {
    const logged = JSON.stringify(this.logs);
    expect(logged).not.toContain(RESPONSE_URL_SIGNATURE);
    expect(logged).not.toContain(this.responseServer.url);
  }
}

/** Starts the harness for a test file, resets it before each test and checks the logs after each. */
export function useHarness(): HandlerHarness {
  const harness = new HandlerHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());
  afterEach(() => harness.expectResponseUrlNotLogged());
  return harness;
}

/** Status and reason: comparing both shows the reason when a test expecting success fails. */
export function outcomeOf(response: CfnResponse): Pick<CfnResponse, 'Status' | 'Reason'> {
  return { Status: response.Status, Reason: response.Reason };
}

export const SUCCEEDED = { Status: 'SUCCESS' } as const;

/** The echo of the request every response carries. */
export function echoOf(event: CustomResourceEvent) {
  return { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
}
