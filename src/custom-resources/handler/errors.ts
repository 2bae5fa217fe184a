/** The service error names that mean "already gone". */
const NOT_FOUND = new Set(['ResourceNotFoundException', 'UnknownResourceException']);

/** Errors worth another attempt: throttling, a resource busy with another change, a server fault. */
const RETRYABLE = new Set([
  'CallRateLimitExceededException',
  'ThrottlingException',
  'TooManyRequestsException',
  'ResourceInUseException',
  'ServiceException',
  'ServiceUnavailableException',
  'ServerInternalException',
]);

export function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? 'Error';
}

export function isNotFound(error: unknown): boolean {
  return NOT_FOUND.has(errorName(error));
}

/** What `call` answers, or undefined when the service says the resource does not exist. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound((error as { cause?: unknown }).cause)) {
      return undefined;
    }
    throw error;
  }
}

export function isRetryable(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return RETRYABLE.has(errorName(error)) || (status !== undefined && status >= 500);
}

/** A failed call, described so that a person reading the stack events can act on it. */
export class OperationFailedError extends Error {
  public constructor(
    public readonly operation: string,
    public readonly resourceArn: string,
    public readonly cause: unknown,
  ) {
    super(`${operation} on ${resourceArn} failed: ${errorName(cause)}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'OperationFailedError';
  }
}

/**
 * A failure after the request created something (a started build, a policy put): the response names it as the
 * physical ID, so CloudFormation's rollback Delete cleans it up.
 */
export class FailedAfterCreatingError extends Error {
  public constructor(public readonly physicalResourceId: string, public readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'FailedAfterCreatingError';
  }
}
