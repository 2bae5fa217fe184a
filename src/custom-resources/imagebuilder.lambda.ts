import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RAMClient } from '@aws-sdk/client-ram';
import { HandlerDependencies } from './handler/dependencies';
import { CustomResourceEvent, InvocationContext } from './handler/events';
import { jsonLogger } from './handler/log';
import { processEvent } from './handler/process-event';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Retries are the handler's own (see handler/retry.ts), so every client makes one attempt per call.
const dependencies: HandlerDependencies = {
  imagebuilder: new ImagebuilderClient({ maxAttempts: 1 }),
  ram: new RAMClient({ maxAttempts: 1 }),
  lambda: new LambdaClient({ maxAttempts: 1 }),
  retry: { attempts: 8, baseDelayMs: 1_000, maxTotalDelayMs: 120_000, sleep },
  pollIntervalMs: 30_000,
  handOverMarginMs: 60_000,
  now: Date.now,
  log: jsonLogger,
};

/** The entry point of the library's one custom-resource function per stack. */
export async function handler(event: CustomResourceEvent, context: InvocationContext): Promise<void> {
  await processEvent(event, context, dependencies);
}
