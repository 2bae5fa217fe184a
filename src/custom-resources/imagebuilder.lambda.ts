import { LambdaClient } from '@aws-sdk/client-lambda';
import { RAMClient } from '@aws-sdk/client-ram';
import { HandlerDependencies } from './handler/dependencies';
import { CustomResourceEvent, InvocationContext } from './handler/events';
import { ImagebuilderClient } from './handler/imagebuilder-sdk';
import { jsonLogger } from './handler/log';
import { processEvent } from './handler/process-event';
import { LAMBDA_RETRY } from './handler/retry';
import { handOverMarginMs, POLL_INTERVAL_MS } from './handler/waits';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Retries are the handler's own (see handler/retry.ts), so every client makes one attempt per call,
// and abandons it after the attempt timeout the hand-over margin counts on.
const clientConfig = { maxAttempts: 1, requestHandler: { requestTimeout: LAMBDA_RETRY.attemptTimeoutMs, throwOnRequestTimeout: true } };
const dependencies: HandlerDependencies = {
  imagebuilder: new ImagebuilderClient(clientConfig),
  ram: new RAMClient(clientConfig),
  lambda: new LambdaClient(clientConfig),
  retry: { ...LAMBDA_RETRY, sleep },
  pollIntervalMs: POLL_INTERVAL_MS,
  handOverMarginMs: handOverMarginMs(LAMBDA_RETRY),
  now: Date.now,
  log: jsonLogger,
};

/** The entry point of the library's one custom-resource function per stack. */
export async function handler(event: CustomResourceEvent, context: InvocationContext): Promise<void> {
  await processEvent(event, context, dependencies);
}
