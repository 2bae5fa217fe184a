import { errorName, isRetryable, OperationFailedError } from './errors';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; each later delay doubles, with jitter. */
  readonly baseDelayMs: number;
  /** Never wait longer than this in total, whatever `attempts` says. */
  readonly maxTotalDelayMs: number;
  /** The longest one attempt may take: the clients abandon it then with a TimeoutError. */
  readonly attemptTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The settings of the handler's function; `sleep` is the caller's. */
export const LAMBDA_RETRY: Omit<RetryOptions, 'sleep'> = { attempts: 8, baseDelayMs: 1_000, maxTotalDelayMs: 120_000, attemptTimeoutMs: 10_000 };

/**
 * Calls the service, retrying throttling, "resource in use", server faults and attempts that timed
 * out, with exponential back-off. Any other error, or the last retryable one, is thrown as an
 * OperationFailedError naming the operation and the resource.
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
      const delay = backOffDelay(attempt, options);
      const retryable = isRetryable(error) || errorName(error) === 'TimeoutError';
      if (!retryable || attempt >= options.attempts || waited + delay > options.maxTotalDelayMs) {
        throw new OperationFailedError(operation, resourceArn, error);
      }
      waited += delay;
      await options.sleep(delay);
    }
  }
}

/** The delay after attempt `attempt` (from 1): the base doubled per attempt, between half and all of it. */
export function backOffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs'>): number {
  return Math.round(options.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
}

/**
 * The longest `callWithRetry` can take: every attempt up to its timeout, and the back-off between
 * them (each delay at most its doubled base, all of them within `maxTotalDelayMs`).
 */
export function longestCallMs(options: Omit<RetryOptions, 'sleep'>): number {
  const backOff = Math.min(options.maxTotalDelayMs, options.baseDelayMs * (2 ** (options.attempts - 1) - 1));
  return backOff + options.attempts * options.attemptTimeoutMs;
}
