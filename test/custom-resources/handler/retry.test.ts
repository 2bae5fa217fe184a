import { isNotFound, isRetryable, OperationFailedError } from '../../../src/custom-resources/handler/errors';
import { callWithRetry, longestCallMs, RetryOptions } from '../../../src/custom-resources/handler/retry';

const ARN = 'arn:aws:imagebuilder:us-east-1:123456789012:component/hello/1.0.0/1';

/** An error shaped like the SDK's: a name and the HTTP status in `$metadata`. */
function serviceError(name: string, httpStatusCode: number, message = `${name} happened`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/** A call that fails with `errors` in turn, then answers 'done'. */
function failing(...errors: Error[]) {
  const call = jest.fn(async () => {
    const error = errors[call.mock.calls.length - 1];
    if (error) {
      throw error;
    }
    return 'done';
  });
  return call;
}

let sleeps: number[];
let options: RetryOptions;

beforeEach(() => {
  sleeps = [];
  options = { attempts: 4, baseDelayMs: 1_000, maxTotalDelayMs: 60_000, attemptTimeoutMs: 10_000, sleep: async (ms) => { sleeps.push(ms); } };
});

afterEach(() => jest.restoreAllMocks());

test('a call that succeeds is made once, without sleeping', async () => {
  const call = failing();

  await expect(callWithRetry('GetImage', ARN, call, options)).resolves.toBe('done');

  expect(call).toHaveBeenCalledTimes(1);
  expect(sleeps).toEqual([]);
});

test.each([
  ['CallRateLimitExceededException', 429],
  ['ThrottlingException', 429],
  ['TooManyRequestsException', 429],
  ['ResourceInUseException', 400],
  ['ServiceException', 500],
  ['ServiceUnavailableException', 503],
  ['ServerInternalException', 500],
  ['an unnamed server fault', 502],
])('%s (%i) is retried', async (name, status) => {
  const call = failing(serviceError(name, status), serviceError(name, status));

  await expect(callWithRetry('GetImage', ARN, call, options)).resolves.toBe('done');

  expect(call).toHaveBeenCalledTimes(3);
  expect(sleeps).toHaveLength(2);
});

test('an attempt the client abandoned after its timeout (TimeoutError, no status) is retried', async () => {
  const timedOut = () => Object.assign(new Error('a request has exceeded the configured 10000 ms requestTimeout'), { name: 'TimeoutError' });
  const call = failing(timedOut(), timedOut());

  await expect(callWithRetry('GetImage', ARN, call, options)).resolves.toBe('done');

  expect(call).toHaveBeenCalledTimes(3);
});

test.each([
  ['ResourceNotFoundException', 404],
  ['IdempotentParameterMismatchException', 400],
  ['InvalidParameterValueException', 400],
  ['ForbiddenException', 403],
  ['UnmatchedPolicyPermissionException', 400],
])('%s (%i) is not retried', async (name, status) => {
  const cause = serviceError(name, status);
  const call = failing(cause);

  const error = await callWithRetry('GetImage', ARN, call, options).catch((e) => e);

  expect(error).toBeInstanceOf(OperationFailedError);
  expect(error).toMatchObject({ operation: 'GetImage', resourceArn: ARN, cause });
  expect(call).toHaveBeenCalledTimes(1);
  expect(sleeps).toEqual([]);
});

test('back-off doubles from the base delay, with jitter between half and all of it', async () => {
  const throttled = () => serviceError('ThrottlingException', 429);
  jest.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.999999).mockReturnValueOnce(0.5);

  await callWithRetry('ListResources', ARN, failing(throttled(), throttled(), throttled()), options);

  expect(sleeps).toEqual([500, 2_000, 3_000]);
});

test('the last of `attempts` failures is thrown, naming the operation, the resource, the error and its message', async () => {
  const call = failing(...Array.from({ length: 10 }, () => serviceError('CallRateLimitExceededException', 429, 'Rate exceeded')));

  const error = await callWithRetry('StartImagePipelineExecution', ARN, call, options).catch((e) => e);

  expect(call).toHaveBeenCalledTimes(4);
  expect(sleeps).toHaveLength(3);
  expect(error.message).toBe(`StartImagePipelineExecution on ${ARN} failed: CallRateLimitExceededException: Rate exceeded`);
});

test('no more attempts are made than maxTotalDelayMs allows', async () => {
  jest.spyOn(Math, 'random').mockReturnValue(0.999999);
  const call = failing(...Array.from({ length: 10 }, () => serviceError('ThrottlingException', 429)));

  await expect(callWithRetry('ListResources', ARN, call, { ...options, attempts: 10, maxTotalDelayMs: 3_000 })).rejects.toThrow(OperationFailedError);

  // 1 s + 2 s fit into 3 s; the next 4 s would not.
  expect(sleeps).toEqual([1_000, 2_000]);
  expect(call).toHaveBeenCalledTimes(3);
});

describe('longestCallMs', () => {
  test.each([
    // 1 + 2 + 4 s of back-off, 4 attempts of 10 s.
    [{ attempts: 4, baseDelayMs: 1_000, maxTotalDelayMs: 60_000, attemptTimeoutMs: 10_000 }, 47_000],
    // 1 + 2 + ... + 64 s would be 127 s: the budget caps it at 120 s.
    [{ attempts: 8, baseDelayMs: 1_000, maxTotalDelayMs: 120_000, attemptTimeoutMs: 10_000 }, 200_000],
  ])('%j: %i ms', (settings, expected) => {
    expect(longestCallMs(settings)).toBe(expected);
  });

  test('is never exceeded by a call that keeps failing, with the longest jitter', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999999);
    const settings = { attempts: 8, baseDelayMs: 1_000, maxTotalDelayMs: 120_000, attemptTimeoutMs: 10_000 };
    let elapsed = 0;
    const call = async () => {
      elapsed += settings.attemptTimeoutMs;
      throw serviceError('ThrottlingException', 429);
    };

    await expect(callWithRetry('GetImage', ARN, call, { ...settings, sleep: async (ms) => { elapsed += ms; } })).rejects.toThrow(OperationFailedError);

    expect(elapsed).toBeLessThanOrEqual(longestCallMs(settings));
  });
});

describe('errors', () => {
  test.each([
    ['ResourceNotFoundException', true],
    ['UnknownResourceException', true],
    ['InvalidParameterValueException', false],
  ])('%s means already gone: %s', (name, gone) => {
    expect(isNotFound(serviceError(name, 400))).toBe(gone);
  });

  test('an error without a name or status is neither gone nor retryable', () => {
    expect([isNotFound(undefined), isRetryable(undefined), isNotFound('text'), isRetryable(new Error('x'))]).toEqual([false, false, false, false]);
  });
});
