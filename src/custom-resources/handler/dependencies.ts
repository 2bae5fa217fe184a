import { LambdaClient } from '@aws-sdk/client-lambda';
import { RAMClient } from '@aws-sdk/client-ram';
import { ImagebuilderClient } from './imagebuilder-sdk';
import { Logger } from './log';
import { RetryOptions } from './retry';

/** Everything the handler talks to, passed in so tests can point it at a local endpoint. */
export interface HandlerDependencies {
  readonly imagebuilder: ImagebuilderClient;
  readonly ram: RAMClient;
  readonly lambda: LambdaClient;
  readonly retry: RetryOptions;
  /** How often a wait asks for the image's state. */
  readonly pollIntervalMs: number;
  /** Time kept in hand to hand over to a fresh invocation before this one times out. */
  readonly handOverMarginMs: number;
  readonly now: () => number;
  readonly log: Logger;
}
