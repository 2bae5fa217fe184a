import { InvokeCommand } from '@aws-sdk/client-lambda';
import { HandlerDependencies } from './dependencies';
import { CustomResourceEvent, InvocationContext, numberProperty } from './events';
import { callWithRetry, longestCallMs, RetryOptions } from './retry';

/** What a wait returns when it is to continue in a new invocation. */
export const HANDED_OVER = 'handed-over';

/** How often a wait polls in the function. */
export const POLL_INTERVAL_MS = 30_000;

/**
 * Calls `check` every poll interval until it returns a value, telling it whether the deadline has
 * passed (its last call: it must then answer or throw); returns HANDED_OVER when this invocation
 * runs short of time first.
 */
export async function poll<T>(
  check: (last: boolean) => Promise<T | undefined>, deadline: number, context: InvocationContext, deps: HandlerDependencies,
): Promise<T | typeof HANDED_OVER> {
  for (;;) {
    const result = await check(deps.now() >= deadline);
    if (result !== undefined) {
      return result;
    }
    if (handsOver(context.getRemainingTimeInMillis(), deps)) {
      return HANDED_OVER;
    }
    await deps.retry.sleep(deps.pollIntervalMs);
  }
}

/**
 * When a wait fails: `WaitTimeoutSeconds` after CloudFormation signed the response URL (its
 * X-Amz-Date), which stays the same when Lambda retries an invocation; after now if it has none.
 */
export function waitDeadline(event: CustomResourceEvent, deps: HandlerDependencies): number {
  const signed = /[?&]X-Amz-Date=(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(event.ResponseURL);
  const now = deps.now();
  const start = signed ? Math.min(now, Date.UTC(+signed[1], +signed[2] - 1, +signed[3], +signed[4], +signed[5], +signed[6])) : now;
  return start + numberProperty(event.ResourceProperties.WaitTimeoutSeconds, 3300) * 1000;
}

/**
 * Whether a wait hands over now rather than poll again: polling again takes the poll interval and
 * then the time `handOverMarginMs` keeps in hand.
 */
export function handsOver(remainingMs: number, deps: Pick<HandlerDependencies, 'pollIntervalMs' | 'handOverMarginMs'>): boolean {
  return remainingMs < deps.pollIntervalMs + deps.handOverMarginMs;
}

/**
 * Whether the invocation has too little time left for one more call and the hand-over after it:
 * loops that make a call per image check it before each.
 */
export function runsShort(context: InvocationContext, deps: Pick<HandlerDependencies, 'handOverMarginMs'>): boolean {
  return context.getRemainingTimeInMillis() < deps.handOverMarginMs;
}

/**
 * The time a wait keeps in hand before it polls again: for the next poll's call (GetImage,
 * GetLifecycleExecution) and then the Invoke that hands over (or the answer), each of which may take
 * every attempt and back-off `retry` allows.
 */
export function handOverMarginMs(retry: Omit<RetryOptions, 'sleep'>): number {
  return 2 * longestCallMs(retry);
}

/** Hands `event` to a new asynchronous invocation of this function, which answers CloudFormation. */
export async function invokeAgain(event: CustomResourceEvent, context: InvocationContext, deps: HandlerDependencies): Promise<void> {
  await callWithRetry('Invoke', context.functionName, () => deps.lambda.send(new InvokeCommand({
    FunctionName: context.functionName,
    InvocationType: 'Event',
    Payload: Buffer.from(JSON.stringify(event)),
  })), deps.retry);
}
