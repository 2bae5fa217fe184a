import { isRetryable, OperationFailedError } from './errors';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; each later delay doubles, with jitter. */
  readonly baseDelayMs: number;
  /** Never wait longer than this in total, whatever `attempts` says. */
  readonly maxTotalDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Calls the service, retrying throttling, "resource in use" and server faults with exponential
 * back-off. Any other error, or the last retryable one, is thrown as an OperationFailedError
 * naming the operation and the resource.
 */
export async function callWithRetry<T>(
  operation: string,
  resourceArn: string,
  call: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = Math.round(options.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      if (!isRetryable(error) || attempt >= options.attempts || waited + delay > options.maxTotalDelayMs) {
        throw new OperationFailedError(operation, resourceArn, error);
      }
      waited += delay;
      await options.sleep(delay);
    }
  }
}
