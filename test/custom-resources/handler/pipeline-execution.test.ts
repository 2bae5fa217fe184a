import {
  ARN_PREFIX, echoOf, FUNCTION_NAME, HAND_OVER_MARGIN_MS, outcomeOf, PIPELINE, PIPELINE_EXECUTION, POLL_INTERVAL_MS, RETRY_ATTEMPTS,
  SUCCEEDED, useHarness,
} from './harness';
import { CustomResourceEvent } from '../../../src/custom-resources/handler/events';
import { BUILD_INPUTS_TAG, STARTED_BY_TAG } from '../../../src/custom-resources/handler/pipeline-execution';
import { processEvent } from '../../../src/custom-resources/handler/process-event';
import { callWithRetry, LAMBDA_RETRY } from '../../../src/custom-resources/handler/retry';
import { handOverMarginMs, handsOver } from '../../../src/custom-resources/handler/waits';
import { FakePipelineOptions } from '../../helpers/fake-aws-endpoint';

const harness = useHarness();
const { endpoint } = harness;

const OTHER_PIPELINE = `${ARN_PREFIX}:image-pipeline/other`;
const buildArn = (build: number, pipeline = 'golden') => `${ARN_PREFIX}:image/${pipeline}/1.0.0/${build}`;
const FIRST_BUILD = buildArn(1);
/** The answer's Data for the first build once it has made one AMI, in us-east-1. */
const FIRST_BUILD_AMI_DATA = { 'ImageBuildVersionArn': FIRST_BUILD, 'AmiId': 'ami-0aaa', 'AmiId.us-east-1': 'ami-0aaa' };
const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The tags every build is started with: a hash of what decides whether an Update needs a new build, and the start's client token. */
const BUILD_TAGS = { [BUILD_INPUTS_TAG]: expect.stringMatching(/^[0-9a-f]{64}$/), [STARTED_BY_TAG]: expect.stringMatching(/^[0-9a-f-]{36}$/) };
/** Long enough for one poll interval plus the margin, not for two. */
const SHORT_INVOCATION_MS = POLL_INTERVAL_MS + HAND_OVER_MARGIN_MS + 10_000;

/** The properties PipelineExecution gives the custom resource, as CloudFormation passes them: strings. */
const PROPS = {
  PipelineArn: PIPELINE,
  Triggers: [`${ARN_PREFIX}:image-recipe/golden/1.0.0`, '9f86d081884c7d659a2feaa0c55ad015'],
  WaitForCompletion: 'false',
  WaitTimeoutSeconds: '3300',
  CancelOnDelete: 'true',
};
const WAITING = { ...PROPS, WaitForCompletion: 'true' };

function createEvent(props: Record<string, any> = PROPS, requestId?: string) {
  return harness.event({ RequestType: 'Create', ResourceType: PIPELINE_EXECUTION, ResourceProperties: props, RequestId: requestId });
}

function updateEvent(props: Record<string, any>, old: Record<string, any> = PROPS, physicalResourceId = FIRST_BUILD) {
  return harness.event({
    RequestType: 'Update', ResourceType: PIPELINE_EXECUTION, PhysicalResourceId: physicalResourceId, ResourceProperties: props, OldResourceProperties: old,
  });
}

function deleteEvent(props: Record<string, any> = PROPS, physicalResourceId = FIRST_BUILD) {
  return harness.event({ RequestType: 'Delete', ResourceType: PIPELINE_EXECUTION, PhysicalResourceId: physicalResourceId, ResourceProperties: props });
}

/** Starts a build through a Create without waiting; the request log starts empty afterwards. */
async function started(options: FakePipelineOptions = {}): Promise<string> {
  endpoint.addPipeline(PIPELINE, options);
  const response = await harness.run(createEvent());
  expect(response.PhysicalResourceId).toBe(FIRST_BUILD);
  endpoint.requests.length = 0;
  return FIRST_BUILD;
}

/** Moves a build along by reading it, as the service's own progress would. */
async function progress(imageBuildVersionArn: string, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await fetch(`${endpoint.url}/GetImage?imageBuildVersionArn=${encodeURIComponent(imageBuildVersionArn)}`);
  }
  endpoint.requests.length = 0;
}

describe('Create', () => {
  test('without waiting starts the pipeline once and answers with the build ARN', async () => {
    endpoint.addPipeline(PIPELINE);
    const event = createEvent();

    const response = await harness.run(event);

    expect(response).toEqual({
      Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: { ImageBuildVersionArn: FIRST_BUILD }, ...echoOf(event),
    });
    expect(harness.operations()).toEqual(['StartImagePipelineExecution']);
    expect(endpoint.requestsFor('StartImagePipelineExecution')[0].body)
      .toEqual({ imagePipelineArn: PIPELINE, clientToken: expect.stringMatching(TOKEN), tags: BUILD_TAGS });
    expect(harness.sleeps).toEqual([]);
  });

  test('tags the build with the hash of the execution, the pipeline and the triggers, and of nothing else', async () => {
    endpoint.addPipeline(PIPELINE);
    endpoint.addPipeline(OTHER_PIPELINE);
    const tagOf = async (props: Record<string, any>, logicalResourceId?: string) => {
      const response = await harness.run(harness.event({
        RequestType: 'Create', ResourceType: PIPELINE_EXECUTION, ResourceProperties: props, LogicalResourceId: logicalResourceId,
      }));
      return endpoint.image(response.PhysicalResourceId)?.tags?.[BUILD_INPUTS_TAG];
    };

    const tags = [
      await tagOf(PROPS),
      await tagOf({ ...PROPS, WaitTimeoutSeconds: '600', CancelOnDelete: 'false' }),
      await tagOf({ ...PROPS, Triggers: [...PROPS.Triggers, 'extra'] }),
      await tagOf({ ...PROPS, PipelineArn: OTHER_PIPELINE }),
      await tagOf(PROPS, 'OtherExecution'),
    ];

    expect(tags[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(tags[1]).toBe(tags[0]);
    expect(new Set([tags[0], tags[2], tags[3], tags[4]]).size).toBe(4);
  });

  test('waiting polls until the image is AVAILABLE and answers with its AMI in each region', async () => {
    endpoint.addPipeline(PIPELINE, { amis: [{ region: 'us-east-1', image: 'ami-0aaa' }, { region: 'eu-west-1', image: 'ami-0bbb' }] });
    const event = createEvent(WAITING);

    const response = await harness.run(event);

    expect(response).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: FIRST_BUILD,
      Data: { 'ImageBuildVersionArn': FIRST_BUILD, 'AmiId': 'ami-0aaa', 'AmiId.us-east-1': 'ami-0aaa', 'AmiId.eu-west-1': 'ami-0bbb' },
      ...echoOf(event),
    });
    // PENDING → BUILDING → TESTING → DISTRIBUTING → AVAILABLE, one state a poll.
    expect(harness.operations()).toEqual(['StartImagePipelineExecution', 'GetImage', 'GetImage', 'GetImage', 'GetImage']);
    expect(harness.sleeps).toEqual([POLL_INTERVAL_MS, POLL_INTERVAL_MS, POLL_INTERVAL_MS]);
  });

  test.each([
    ['\'true\'', 'true', '600', true],
    ['true', true, 600, true],
    ['\'false\'', 'false', '600', false],
    ['false', false, '600', false],
    ['absent', undefined, undefined, false],
  ])('WaitForCompletion %s waits or not', async (_label, waitForCompletion, waitTimeoutSeconds, waits) => {
    endpoint.addPipeline(PIPELINE);

    const response = await harness.run(createEvent({ ...PROPS, WaitForCompletion: waitForCompletion, WaitTimeoutSeconds: waitTimeoutSeconds }));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('GetImage').length > 0).toBe(waits);
  });

  test('a WaitTimeoutSeconds that is not a number waits the default 3300 seconds', async () => {
    endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
    const start = harness.now;

    const response = await harness.answer(createEvent({ ...WAITING, WaitTimeoutSeconds: 'soon' }));

    expect(response.Reason).toContain('did not finish before the wait timed out');
    expect(harness.now - start).toBe(3_300_000);
  });

  test('an image distributed only to other regions has no AmiId of its own', async () => {
    endpoint.addPipeline(PIPELINE, { amis: [{ region: 'eu-west-1', image: 'ami-0bbb' }] });

    const response = await harness.run(createEvent(WAITING));

    expect(response.Data).toEqual({ 'ImageBuildVersionArn': FIRST_BUILD, 'AmiId.eu-west-1': 'ami-0bbb' });
  });

  test('the AMI attributes are the build account\'s copies, not those of target accounts', async () => {
    endpoint.addPipeline(PIPELINE, {
      amis: [
        { region: 'us-east-1', image: 'ami-0target', accountId: '111111111111' },
        { region: 'us-east-1', image: 'ami-0aaa' },
        { region: 'eu-west-1', image: 'ami-0target2', accountId: '111111111111' },
        { region: 'eu-west-1', image: 'ami-0bbb' },
      ],
    });

    const response = await harness.run(createEvent(WAITING));

    expect(response.Data).toEqual({ 'ImageBuildVersionArn': FIRST_BUILD, 'AmiId': 'ami-0aaa', 'AmiId.us-east-1': 'ami-0aaa', 'AmiId.eu-west-1': 'ami-0bbb' });
  });

  test('the container URI is the one in the build\'s region when the image went to several', async () => {
    const home = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0-1';
    endpoint.addPipeline(PIPELINE, {
      containers: [{ region: 'eu-west-1', uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0-1' }, { region: 'us-east-1', uri: home }],
    });

    const response = await harness.run(createEvent(WAITING));

    expect(response.Data).toEqual({ ImageBuildVersionArn: FIRST_BUILD, ContainerImageUri: home });
  });

  test('waiting for a container image answers with its URI', async () => {
    const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0-1';
    endpoint.addPipeline(PIPELINE, { containerUri: uri });

    const response = await harness.run(createEvent(WAITING));

    expect(response.Data).toEqual({ ImageBuildVersionArn: FIRST_BUILD, ContainerImageUri: uri });
  });

  test('a build that ends FAILED fails with the image\'s reason', async () => {
    endpoint.addPipeline(PIPELINE, { outcome: 'FAILED', failureReason: 'component hello failed: exit status 1' });

    const response = await harness.run(createEvent(WAITING));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`image build ${FIRST_BUILD} ended FAILED: component hello failed: exit status 1`);
    expect(response.Data).toBeUndefined();
  });

  test('a build that does not finish before WaitTimeoutSeconds fails with its last state', async () => {
    endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });

    const response = await harness.run(createEvent({ ...WAITING, WaitTimeoutSeconds: '60' }));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`image build ${FIRST_BUILD} did not finish before the wait timed out (last state PENDING)`);
    expect(harness.sleeps).toEqual([POLL_INTERVAL_MS, POLL_INTERVAL_MS]);
  });

  test('a wait that fails answers with the build ARN, so the rollback Delete cancels the build', async () => {
    endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
    const create = await harness.run(createEvent({ ...WAITING, WaitTimeoutSeconds: '60' }));

    const rollback = await harness.run(deleteEvent(WAITING, create.PhysicalResourceId));

    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: FIRST_BUILD });
    expect(outcomeOf(rollback)).toEqual(SUCCEEDED);
    expect(endpoint.image(FIRST_BUILD)?.status).toBe('CANCELLED');
  });

  test('a pipeline that does not exist fails naming the operation, the pipeline and the 404', async () => {
    const event = createEvent();

    const response = await harness.run(event);

    expect(response).toEqual({
      Status: 'FAILED',
      Reason: `StartImagePipelineExecution on ${PIPELINE} failed: ResourceNotFoundException: the image pipeline ${PIPELINE} does not exist`,
      PhysicalResourceId: `failed-create:Resource:${event.RequestId}`,
      ...echoOf(event),
    });
  });

  test('run twice, the same Create starts one build with one client token', async () => {
    endpoint.addPipeline(PIPELINE);
    const event = createEvent();

    const first = await harness.run(event);
    const again = await harness.run(event);

    expect(again).toEqual(first);
    const [start, repeat] = endpoint.requestsFor('StartImagePipelineExecution');
    expect(repeat.body).toEqual(start.body);
    expect(endpoint.image(buildArn(2))).toBeUndefined();
  });

  test('run twice with waiting, the same Create waits for the one build', async () => {
    endpoint.addPipeline(PIPELINE, { amis: [{ region: 'us-east-1', image: 'ami-0aaa' }] });
    const event = createEvent(WAITING);

    const responses = [await harness.run(event), await harness.run(event)];

    expect(responses.map((r) => r.Data?.AmiId)).toEqual(['ami-0aaa', 'ami-0aaa']);
    expect(endpoint.image(buildArn(2))).toBeUndefined();
  });

  test('another request (a new RequestId) is another build', async () => {
    endpoint.addPipeline(PIPELINE);

    const first = await harness.run(createEvent(PROPS, 'request-a'));
    const second = await harness.run(createEvent(PROPS, 'request-b'));

    expect([first.PhysicalResourceId, second.PhysicalResourceId]).toEqual([FIRST_BUILD, buildArn(2)]);
  });
});

describe('hand-over', () => {
  test('a wait longer than the invocation continues in a new invocation, which answers', async () => {
    endpoint.addPipeline(PIPELINE, { amis: [{ region: 'us-east-1', image: 'ami-0aaa' }] });
    const event = createEvent(WAITING);
    const deadline = harness.now + 3300 * 1000;

    const continuation = await harness.runHandingOver(event, harness.context(SHORT_INVOCATION_MS));
    const response = await harness.run(continuation);

    expect(continuation).toEqual({ ...event, Continuation: { imageBuildVersionArn: FIRST_BUILD, deadline, startedHere: true } });
    expect(response).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: FIRST_BUILD,
      Data: FIRST_BUILD_AMI_DATA,
      ...echoOf(event),
    });
    expect(harness.operations()).toEqual(['StartImagePipelineExecution', 'GetImage', 'GetImage', 'Invoke', 'GetImage', 'GetImage']);
    expect(harness.logs).toContainEqual(expect.objectContaining({ message: 'wait handed over', imageBuildVersionArn: FIRST_BUILD }));
  });

  test('a continuation that is short of time too hands over again', async () => {
    endpoint.addPipeline(PIPELINE, { stepsPerState: 3 });

    const second = await harness.runHandingOver(createEvent(WAITING), harness.context(SHORT_INVOCATION_MS));
    const third = await harness.runHandingOver(second, harness.context(SHORT_INVOCATION_MS));

    expect(third.Continuation).toEqual(second.Continuation);
    expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(1);
  });

  test('a continuation after its deadline fails', async () => {
    endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
    const continuation = await harness.runHandingOver(createEvent({ ...WAITING, WaitTimeoutSeconds: '120' }), harness.context(SHORT_INVOCATION_MS));
    harness.now += 120_000;

    const response = await harness.run(continuation);

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain('did not finish before the wait timed out');
  });

  test('an invocation that cannot be started fails naming Invoke and the function', async () => {
    endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
    endpoint.injectFault({ operation: 'Invoke', status: 429, errorType: 'TooManyRequestsException', message: 'Rate exceeded', times: Infinity });

    const response = await harness.run(createEvent(WAITING), harness.context(SHORT_INVOCATION_MS));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`Invoke on ${FUNCTION_NAME} failed: TooManyRequestsException: Rate exceeded`);
    expect(endpoint.requestsFor('Invoke')).toHaveLength(RETRY_ATTEMPTS);
  });

  describe('margin', () => {
    afterEach(() => jest.restoreAllMocks());

    const margin = handOverMarginMs(LAMBDA_RETRY);
    /** The function's retry settings, on the fake clock. */
    const lambdaRetry = () => ({ ...LAMBDA_RETRY, sleep: harness.deps().retry.sleep });

    test('an invocation polls again only while a poll interval and the margin remain', () => {
      const deps = { pollIntervalMs: POLL_INTERVAL_MS, handOverMarginMs: margin };

      expect(handsOver(POLL_INTERVAL_MS + margin, deps)).toBe(false);
      expect(handsOver(POLL_INTERVAL_MS + margin - 1, deps)).toBe(true);
    });

    test('covers the next GetImage and the Invoke that hands over, each taking every attempt and back-off the function allows', async () => {
      // The longest jitter; every attempt runs into its timeout.
      jest.spyOn(Math, 'random').mockReturnValue(0.999999);
      const retry = lambdaRetry();
      const timingOut = async () => {
        harness.now += LAMBDA_RETRY.attemptTimeoutMs;
        throw Object.assign(new Error('a request has exceeded the configured requestTimeout'), { name: 'TimeoutError' });
      };
      const start = harness.now;

      await expect(callWithRetry('GetImage', FIRST_BUILD, timingOut, retry)).rejects.toThrow('GetImage');
      await expect(callWithRetry('Invoke', FUNCTION_NAME, timingOut, retry)).rejects.toThrow('Invoke');

      // Well over the retry budget of 120 s alone.
      expect(harness.now - start).toBeGreaterThan(LAMBDA_RETRY.maxTotalDelayMs + 2 * LAMBDA_RETRY.attemptTimeoutMs);
      expect(harness.now - start).toBeLessThanOrEqual(margin);
    });

    test('a GetImage throttled for its whole retry budget still leaves time to hand over', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(0.999999);
      endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
      const deps = { ...harness.deps(), retry: lambdaRetry(), handOverMarginMs: margin };
      // Just enough time to poll once more after the first poll.
      const context = harness.context(POLL_INTERVAL_MS + margin);
      // 1 + 2 + ... + 32 s of back-off; the next delay (64 s) would overrun the 120 s budget.
      const throttled = { status: 429, times: 6 };
      let asked = false;
      const throttledAfterFirstPoll = {
        ...context,
        getRemainingTimeInMillis: () => {
          if (!asked) {
            asked = true;
            endpoint.injectFault({ operation: 'GetImage', errorType: 'CallRateLimitExceededException', ...throttled });
            endpoint.injectFault({ operation: 'Invoke', errorType: 'TooManyRequestsException', ...throttled });
          }
          return context.getRemainingTimeInMillis();
        },
      };

      await processEvent(createEvent(WAITING), throttledAfterFirstPoll, deps);

      expect(harness.responseServer.responses).toEqual([]);
      expect(endpoint.invocations.map((i) => i.payload.Continuation.imageBuildVersionArn)).toEqual([FIRST_BUILD]);
      expect(endpoint.requests.filter((r) => r.status === 429)).toHaveLength(12);
      expect(context.getRemainingTimeInMillis()).toBeGreaterThanOrEqual(0);
    });
  });

  describe('deadline', () => {
    /** The ResponseURL as CloudFormation signs it, at `signedAt`. */
    function signedAt(event: CustomResourceEvent, time: number): CustomResourceEvent {
      const amzDate = new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      return { ...event, ResponseURL: `${event.ResponseURL}&X-Amz-Date=${amzDate}&X-Amz-Expires=7200` };
    }

    test('counts from when CloudFormation signed the request, so a retried first invocation keeps it', async () => {
      endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
      const requested = harness.now - (harness.now % 1_000);
      const event = signedAt(createEvent(WAITING), requested);
      // The first invocation ran for ten minutes and failed; Lambda runs the same event again.
      harness.now = requested + 600_000;

      const continuation = await harness.runHandingOver(event, harness.context(SHORT_INVOCATION_MS));

      expect(continuation.Continuation).toEqual({ imageBuildVersionArn: FIRST_BUILD, deadline: requested + 3_300_000, startedHere: true });
    });

    test('a request signed longer ago than the wait timeout fails its wait at the first poll', async () => {
      endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
      const requested = harness.now - (harness.now % 1_000);
      const event = signedAt(createEvent({ ...WAITING, WaitTimeoutSeconds: '600' }), requested);
      harness.now = requested + 600_000;

      const response = await harness.run(event);

      expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: FIRST_BUILD });
      expect(response.Reason).toContain('did not finish before the wait timed out');
      expect(endpoint.requestsFor('GetImage')).toHaveLength(1);
    });
  });
});

describe('Update', () => {
  test('with the same pipeline and triggers starts nothing and keeps the physical ID', async () => {
    await started({ amis: [{ region: 'us-east-1', image: 'ami-0aaa' }] });
    await progress(FIRST_BUILD, 4);
    const event = updateEvent({ ...PROPS, WaitTimeoutSeconds: '600', CancelOnDelete: 'false' });

    const response = await harness.run(event);

    expect(response).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: FIRST_BUILD,
      Data: FIRST_BUILD_AMI_DATA,
      ...echoOf(event),
    });
    expect(harness.operations()).toEqual(['GetImage']);
  });

  test.each([
    ['changed triggers', { ...PROPS, Triggers: [PROPS.Triggers[0], 'a665a45920422f9d417e4867efdc4fb8'] }, PIPELINE, buildArn(2)],
    ['one trigger more', { ...PROPS, Triggers: [...PROPS.Triggers, 'extra'] }, PIPELINE, buildArn(2)],
    ['another pipeline', { ...PROPS, PipelineArn: OTHER_PIPELINE }, OTHER_PIPELINE, buildArn(1, 'other')],
  ])('with %s starts a new build under a new physical ID', async (_change, props, pipelineArn, newBuild) => {
    endpoint.addPipeline(PIPELINE);
    endpoint.addPipeline(OTHER_PIPELINE);
    await harness.run(createEvent());

    const response = await harness.run(updateEvent(props));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: newBuild, Data: { ImageBuildVersionArn: newBuild } });
    const [create, update] = endpoint.requestsFor('StartImagePipelineExecution');
    expect(update.body).toEqual({ imagePipelineArn: pipelineArn, clientToken: expect.stringMatching(TOKEN), tags: BUILD_TAGS });
    expect(update.body.clientToken).not.toBe(create.body.clientToken);
    expect(update.body.tags).not.toEqual(create.body.tags);
    // The current build's tag says what it was built for.
    expect(harness.operations()).toEqual(['StartImagePipelineExecution', 'GetImage', 'ListImagePipelineImages', 'StartImagePipelineExecution']);
  });

  describe('that waits for a new build and fails', () => {
    const NEW_TRIGGERS = { ...WAITING, Triggers: [PROPS.Triggers[0], 'a665a45920422f9d417e4867efdc4fb8'], WaitTimeoutSeconds: '60' };
    const NEW_BUILD = buildArn(2);

    test('cancels the new build, which no rollback would, and keeps the old physical ID', async () => {
      await started({ stepsPerState: 1_000 });

      const response = await harness.run(updateEvent(NEW_TRIGGERS));

      expect(response).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: FIRST_BUILD,
        Reason: `image build ${NEW_BUILD} did not finish before the wait timed out (last state PENDING); the build was cancelled`,
      });
      expect(endpoint.requestsFor('CancelImageCreation').map((r) => r.body.imageBuildVersionArn)).toEqual([NEW_BUILD]);
      expect(endpoint.image(NEW_BUILD)?.status).toBe('CANCELLED');
      expect(endpoint.image(FIRST_BUILD)?.status).toBe('PENDING');
    });

    test('cancels it when the wait fails in a continuation', async () => {
      await started({ stepsPerState: 1_000 });
      const continuation = await harness.runHandingOver(updateEvent(NEW_TRIGGERS), harness.context(SHORT_INVOCATION_MS));
      harness.now += 60_000;

      const response = await harness.run(continuation);

      expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: FIRST_BUILD });
      expect(endpoint.image(NEW_BUILD)?.status).toBe('CANCELLED');
    });

    test('leaves a new build that ended FAILED as it is', async () => {
      await started({ outcome: 'FAILED', failureReason: 'component hello failed: exit status 1' });

      const response = await harness.run(updateEvent({ ...NEW_TRIGGERS, WaitTimeoutSeconds: '3300' }));

      expect(response).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: FIRST_BUILD,
        Reason: `image build ${NEW_BUILD} ended FAILED: component hello failed: exit status 1`,
      });
      expect(endpoint.requestsFor('CancelImageCreation')).toEqual([]);
    });

    test('with CancelOnDelete \'false\' lets the new build run', async () => {
      await started({ stepsPerState: 1_000 });

      const response = await harness.run(updateEvent({ ...NEW_TRIGGERS, CancelOnDelete: 'false' }));

      expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: FIRST_BUILD });
      expect(response.Reason).not.toContain('cancel');
      expect(endpoint.requestsFor('CancelImageCreation')).toEqual([]);
      expect(endpoint.image(NEW_BUILD)?.status).toBe('PENDING');
    });

    test('says so when the cancel is refused', async () => {
      await started({ stepsPerState: 1_000 });
      endpoint.injectFault({ operation: 'CancelImageCreation', status: 400, errorType: 'InvalidRequestException', message: 'not now' });

      const response = await harness.run(updateEvent(NEW_TRIGGERS));

      expect(response).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: FIRST_BUILD,
        Reason: `image build ${NEW_BUILD} did not finish before the wait timed out (last state PENDING); ` +
          `the build could not be cancelled: CancelImageCreation on ${NEW_BUILD} failed: InvalidRequestException: not now`,
      });
    });

    test('starts and cancels with client tokens of their own', async () => {
      await started({ stepsPerState: 1_000 });

      const response = await harness.run(updateEvent(NEW_TRIGGERS));

      expect(response.Reason).toContain('the build was cancelled');
      const [start] = endpoint.requestsFor('StartImagePipelineExecution');
      const [cancel] = endpoint.requestsFor('CancelImageCreation');
      expect(cancel.body.clientToken).toMatch(TOKEN);
      expect(cancel.body.clientToken).not.toBe(start.body.clientToken);
    });

    test.each([
      ['without waiting', PROPS, {}],
      ['waiting', WAITING, { 'AmiId': 'ami-0aaa', 'AmiId.us-east-1': 'ami-0aaa' }],
    ])('the rollback (%s) starts nothing and answers with the original build', async (_label, original, amis) => {
      endpoint.addPipeline(PIPELINE, { stepsPerState: 3, amis: [{ region: 'us-east-1', image: 'ami-0aaa' }] });
      const create = await harness.run(createEvent(original));
      const update = await harness.run(updateEvent(NEW_TRIGGERS, original, create.PhysicalResourceId));
      const event = updateEvent(original, NEW_TRIGGERS, update.PhysicalResourceId);

      const rollback = await harness.run(event);

      expect([create, update].map(outcomeOf)).toEqual([SUCCEEDED, expect.objectContaining({ Status: 'FAILED' })]);
      expect(rollback).toEqual({
        Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: { ImageBuildVersionArn: FIRST_BUILD, ...amis }, ...echoOf(event),
      });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(2);
      expect(endpoint.image(NEW_BUILD)?.status).toBe('CANCELLED');
    });
  });

  describe('of a build started without the build-inputs tag', () => {
    /** A build as the handler started it before builds were tagged. */
    async function untagged(): Promise<void> {
      endpoint.addPipeline(PIPELINE);
      await fetch(`${endpoint.url}/StartImagePipelineExecution`, {
        method: 'PUT', body: JSON.stringify({ imagePipelineArn: PIPELINE, clientToken: 'before-tags' }),
      });
      endpoint.requests.length = 0;
    }

    test('starts nothing when the old and new pipeline and triggers are the same', async () => {
      await untagged();

      const response = await harness.run(updateEvent({ ...PROPS, CancelOnDelete: 'false' }));

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD });
      expect(harness.operations()).toEqual(['GetImage']);
    });

    test('starts a build when they differ, even for a rollback', async () => {
      await untagged();
      const NEW_TRIGGERS = { ...PROPS, Triggers: [PROPS.Triggers[0], 'a665a45920422f9d417e4867efdc4fb8'] };

      const response = await harness.run(updateEvent(PROPS, NEW_TRIGGERS));

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: buildArn(2) });
    });
  });

  describe('that starts no build', () => {
    const AMIS = [{ region: 'us-east-1', image: 'ami-0aaa' }];

    test('turning WaitForCompletion on waits for the current build as a Create does, and answers with its AMI', async () => {
      await started({ amis: AMIS });
      const event = updateEvent(WAITING);

      const response = await harness.run(event);

      expect(response).toEqual({
        Status: 'SUCCESS',
        PhysicalResourceId: FIRST_BUILD,
        Data: FIRST_BUILD_AMI_DATA,
        ...echoOf(event),
      });
      // PENDING → BUILDING → TESTING → DISTRIBUTING → AVAILABLE, one state a poll.
      expect(harness.operations()).toEqual(['GetImage', 'GetImage', 'GetImage', 'GetImage']);
      expect(harness.sleeps).toEqual([POLL_INTERVAL_MS, POLL_INTERVAL_MS, POLL_INTERVAL_MS]);
    });

    test('hands a long wait for the current build over like a Create', async () => {
      await started({ amis: AMIS });

      const continuation = await harness.runHandingOver(updateEvent(WAITING), harness.context(SHORT_INVOCATION_MS));
      const response = await harness.run(continuation);

      expect(continuation.Continuation?.imageBuildVersionArn).toBe(FIRST_BUILD);
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: { AmiId: 'ami-0aaa' } });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toEqual([]);
    });

    test('fails when the current build failed, and leaves it as it is', async () => {
      await started({ outcome: 'FAILED', failureReason: 'component hello failed: exit status 1' });

      const response = await harness.run(updateEvent(WAITING));

      expect(response).toMatchObject({
        Status: 'FAILED', PhysicalResourceId: FIRST_BUILD, Reason: `image build ${FIRST_BUILD} ended FAILED: component hello failed: exit status 1`,
      });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toEqual([]);
    });

    test('fails when the wait for the current build times out, without cancelling the build the resource still has', async () => {
      await started({ stepsPerState: 1_000 });

      const response = await harness.run(updateEvent({ ...WAITING, WaitTimeoutSeconds: '60' }));

      expect(response).toMatchObject({
        Status: 'FAILED', PhysicalResourceId: FIRST_BUILD, Reason: `image build ${FIRST_BUILD} did not finish before the wait timed out (last state PENDING)`,
      });
      expect(endpoint.requestsFor('CancelImageCreation')).toEqual([]);
      expect(endpoint.image(FIRST_BUILD)?.status).toBe('PENDING');
    });

    test('of a build whose image is gone answers, without waiting, with the build ARN only; so does its rollback', async () => {
      const props = PROPS;
      await started({ amis: AMIS });
      // A lifecycle policy deleted the image.
      endpoint.injectFault({ operation: 'GetImage', status: 404, errorType: 'ResourceNotFoundException', times: Infinity });
      const changed = { ...props, CancelOnDelete: 'false' };
      const update = updateEvent(changed, props);
      const rollback = updateEvent(props, changed);

      const responses = [await harness.run(update), await harness.run(rollback)];

      expect(responses).toEqual([update, rollback].map((event) => ({
        Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: { ImageBuildVersionArn: FIRST_BUILD }, ...echoOf(event),
      })));
      expect(harness.operations()).toEqual(['GetImage', 'GetImage']);
      expect(harness.logs).toContainEqual(expect.objectContaining({
        level: 'warn', imageBuildVersionArn: FIRST_BUILD, message: expect.stringMatching(/no longer exists .*without AmiId/),
      }));
    });
  });

  describe('rolled back after it succeeded, because another resource failed', () => {
    const AMIS = [{ region: 'us-east-1', image: 'ami-0aaa' }];
    const CHANGED = { ...PROPS, Triggers: [`${ARN_PREFIX}:image-recipe/golden/2.0.0`, PROPS.Triggers[1]] };

    /** The Update to CHANGED, which started build 2; then CloudFormation's rollback Update, which names build 2. */
    async function updatedThenRolledBack(props: Record<string, any> = PROPS, changed: Record<string, any> = CHANGED) {
      const update = await harness.run(updateEvent(changed, props));
      expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: buildArn(2) });
      const event = updateEvent(props, changed, buildArn(2));
      return { event, rollback: await harness.run(event) };
    }

    test('answers with the build the update replaced and starts nothing; the cleanup Delete cancels the update\'s build', async () => {
      await started({ stepsPerState: 1_000 });

      const { event, rollback } = await updatedThenRolledBack();
      const cleanup = await harness.run(deleteEvent(CHANGED, buildArn(2)));

      expect(rollback).toEqual({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: { ImageBuildVersionArn: FIRST_BUILD }, ...echoOf(event) });
      expect(outcomeOf(cleanup)).toEqual(SUCCEEDED);
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(1);
      expect(endpoint.image(buildArn(2))?.status).toBe('CANCELLED');
      expect(endpoint.image(FIRST_BUILD)?.status).toBe('PENDING');
      expect(harness.logs).toContainEqual(expect.objectContaining({
        level: 'info', imageBuildVersionArn: FIRST_BUILD, message: 'answering with an earlier build for these values',
      }));
    });

    test('waiting, answers with the AMI of the build the update replaced', async () => {
      endpoint.addPipeline(PIPELINE, { amis: AMIS });
      await harness.run(createEvent(WAITING));

      const { event, rollback } = await updatedThenRolledBack(WAITING, { ...CHANGED, WaitForCompletion: 'true' });

      expect(rollback).toEqual({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: FIRST_BUILD_AMI_DATA, ...echoOf(event) });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(2);
    });

    test('takes the latest of the builds started for the restored values', async () => {
      await started();
      const tags = endpoint.image(FIRST_BUILD)?.tags;
      const later = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE', { tags });
      endpoint.addPipelineImage(PIPELINE, 'AVAILABLE', { tags: { team: 'platform' } });

      const update = await harness.run(updateEvent(CHANGED));
      const rollback = await harness.run(updateEvent(PROPS, CHANGED, update.PhysicalResourceId));

      expect(update.PhysicalResourceId).toBe(buildArn(4));
      expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: later });
    });

    test.each(['FAILED', 'CANCELLED'] as const)('does not take a build that ended %s: starts one', async (status) => {
      await started();
      const tags = endpoint.image(FIRST_BUILD)?.tags;
      endpoint.deleteImage(FIRST_BUILD);
      endpoint.addPipelineImage(PIPELINE, status, { tags });

      const update = await harness.run(updateEvent(CHANGED));
      const rollback = await harness.run(updateEvent(PROPS, CHANGED, update.PhysicalResourceId));

      expect(update.PhysicalResourceId).toBe(buildArn(3));
      expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: buildArn(4) });
    });

    test('a failed wait for the build it takes does not cancel that build', async () => {
      await started({ stepsPerState: 1_000 });
      const update = await harness.run(updateEvent(CHANGED));
      // Restored with a wait too short for the build it takes.
      const restored = { ...WAITING, WaitTimeoutSeconds: '60' };

      const rollback = await harness.run(updateEvent(restored, CHANGED, update.PhysicalResourceId));

      expect(rollback).toMatchObject({ Status: 'FAILED', PhysicalResourceId: buildArn(2) });
      expect(rollback.Reason).toBe(`image build ${FIRST_BUILD} did not finish before the wait timed out (last state PENDING)`);
      expect(endpoint.image(FIRST_BUILD)?.status).toBe('PENDING');
      expect(endpoint.requestsFor('CancelImageCreation')).toHaveLength(0);
    });

    test('takes a build of this execution only, not one another execution of the pipeline started for the same values', async () => {
      await started();
      const update = await harness.run(updateEvent(CHANGED));
      // Another execution of the same pipeline, with the same triggers, builds later.
      const other = await harness.run(harness.event({
        RequestType: 'Create', ResourceType: PIPELINE_EXECUTION, ResourceProperties: PROPS, LogicalResourceId: 'OtherExecution',
      }));

      const rollback = await harness.run(updateEvent(PROPS, CHANGED, update.PhysicalResourceId));

      expect(other.PhysicalResourceId).toBe(buildArn(3));
      expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD });
    });

    test('does not take a build whose AMI a lifecycle policy disabled: starts one', async () => {
      await started();
      endpoint.addPipelineImage(PIPELINE, 'DISABLED', { tags: endpoint.image(FIRST_BUILD)?.tags });
      endpoint.deleteImage(FIRST_BUILD);

      const update = await harness.run(updateEvent(CHANGED));
      const rollback = await harness.run(updateEvent(PROPS, CHANGED, update.PhysicalResourceId));

      expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: buildArn(4) });
    });

    test('a retry of the request that started a build does not take that build for an earlier one: it owns it, and cancels it when its wait fails', async () => {
      await started({ stepsPerState: 1_000 });
      const event = updateEvent({ ...CHANGED, WaitForCompletion: 'true', WaitTimeoutSeconds: '600' });
      // The first invocation starts build 2 and goes no further: here it hands its wait over, and
      // Lambda's retry then runs the original event again.
      await harness.runHandingOver(event, harness.context(SHORT_INVOCATION_MS));
      harness.now += 600_000;

      const retry = await harness.run(event);

      expect(retry).toMatchObject({ Status: 'FAILED', PhysicalResourceId: FIRST_BUILD });
      expect(retry.Reason).toBe(`image build ${buildArn(2)} did not finish before the wait timed out (last state PENDING); the build was cancelled`);
      const starts = endpoint.requestsFor('StartImagePipelineExecution');
      expect(starts).toHaveLength(2);
      expect(starts[1].body).toEqual(starts[0].body);
      expect(endpoint.image(buildArn(2))?.status).toBe('CANCELLED');
      expect(endpoint.image(buildArn(3))).toBeUndefined();
    });

    test('when the builds cannot be listed, fails naming the call, as for any call', async () => {
      await started();
      const update = await harness.run(updateEvent(CHANGED));
      endpoint.injectFault({ operation: 'ListImagePipelineImages', status: 400, errorType: 'AccessDeniedException', times: Infinity });

      const rollback = await harness.run(updateEvent(PROPS, CHANGED, update.PhysicalResourceId));

      expect(rollback).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: buildArn(2),
        Reason: `ListImagePipelineImages on ${PIPELINE} failed: AccessDeniedException: injected AccessDeniedException`,
      });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(1);
    });
  });

  describe('that keeps a build whose image is gone, waiting', () => {
    const AMIS = [{ region: 'us-east-1', image: 'ami-0aaa' }];
    const NEW_BUILD = buildArn(2);
    const NEW_BUILD_AMI_DATA = { 'ImageBuildVersionArn': NEW_BUILD, 'AmiId': 'ami-0aaa', 'AmiId.us-east-1': 'ami-0aaa' };
    /** Changes nothing that decides whether a build is needed. */
    const CHANGED = { ...WAITING, CancelOnDelete: 'false' };

    /**
     * Creates the execution, waiting for its AMI, then deletes the build's image as a lifecycle
     * policy would; the request log and the sleeps start empty afterwards. Returns the build's tag.
     */
    async function builtThenDeleted(options: FakePipelineOptions = { amis: AMIS }, keepRecord = false): Promise<string | undefined> {
      endpoint.addPipeline(PIPELINE, options);
      const create = await harness.run(createEvent(WAITING));
      expect(create).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD });
      const tag = endpoint.image(FIRST_BUILD)?.tags?.[BUILD_INPUTS_TAG];
      endpoint.deleteImage(FIRST_BUILD, { keepRecord });
      endpoint.requests.length = 0;
      harness.sleeps.length = 0;
      return tag;
    }

    test.each([
      ['not found', false],
      ['found DELETED', true],
    ])('(%s) starts a new build as a change of triggers would, waits for it and answers with its AMI under its ARN', async (_label, keepRecord) => {
      const tag = await builtThenDeleted({ amis: AMIS }, keepRecord);
      const event = updateEvent(CHANGED, WAITING);

      const response = await harness.run(event);

      expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: NEW_BUILD, Data: NEW_BUILD_AMI_DATA, ...echoOf(event) });
      // PENDING → BUILDING → TESTING → DISTRIBUTING → AVAILABLE, one state a poll, as for a Create.
      expect(harness.operations()).toEqual(['GetImage', 'ListImagePipelineImages', 'StartImagePipelineExecution', 'GetImage', 'GetImage', 'GetImage', 'GetImage']);
      expect(harness.sleeps).toEqual([POLL_INTERVAL_MS, POLL_INTERVAL_MS, POLL_INTERVAL_MS]);
      const [start] = endpoint.requestsFor('StartImagePipelineExecution');
      expect(start.body).toEqual({ imagePipelineArn: PIPELINE, clientToken: expect.stringMatching(TOKEN), tags: BUILD_TAGS });
      // Tagged for the same pipeline and triggers as the build it replaces.
      expect(tag).toMatch(/^[0-9a-f]{64}$/);
      expect(endpoint.image(NEW_BUILD)?.tags).toEqual({ [BUILD_INPUTS_TAG]: tag, [STARTED_BY_TAG]: start.body.clientToken });
      expect(harness.logs).toContainEqual(expect.objectContaining({
        level: 'warn', imageBuildVersionArn: FIRST_BUILD, message: expect.stringMatching(/no longer exists .*starting a new build/),
      }));
    });

    test('answers a container build with the new build\'s image URI', async () => {
      const uri = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0-2';
      await builtThenDeleted({ containerUri: uri });

      const response = await harness.run(updateEvent(CHANGED, WAITING));

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NEW_BUILD, Data: { ImageBuildVersionArn: NEW_BUILD, ContainerImageUri: uri } });
    });

    test('turning WaitForCompletion on starts a new build too', async () => {
      await started({ amis: AMIS });
      endpoint.deleteImage(FIRST_BUILD);

      const response = await harness.run(updateEvent(WAITING, PROPS));

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NEW_BUILD, Data: NEW_BUILD_AMI_DATA });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(1);
    });

    test('hands a long wait for the new build over, and the continuation answers with it', async () => {
      await builtThenDeleted();

      const continuation = await harness.runHandingOver(updateEvent(CHANGED, WAITING), harness.context(SHORT_INVOCATION_MS));
      const response = await harness.run(continuation);

      expect(continuation.Continuation?.imageBuildVersionArn).toBe(NEW_BUILD);
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NEW_BUILD, Data: NEW_BUILD_AMI_DATA });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(1);
    });

    test('run twice, the same Update starts one build with one client token', async () => {
      await builtThenDeleted();
      const event = updateEvent(CHANGED, WAITING);

      const responses = [await harness.run(event), await harness.run(event)];

      expect(responses).toEqual([0, 1].map(() => expect.objectContaining({ PhysicalResourceId: NEW_BUILD, Data: NEW_BUILD_AMI_DATA })));
      // The repeat finds the build the first run started among the pipeline's; were it not listed
      // yet, it would start again with the same client token, which the service answers with that build.
      const starts = endpoint.requestsFor('StartImagePipelineExecution');
      expect(starts.every((start) => JSON.stringify(start.body) === JSON.stringify(starts[0].body))).toBe(true);
      expect(endpoint.image(buildArn(3))).toBeUndefined();
    });

    test('a new build whose wait fails is cancelled, and the old physical ID kept, as for a change of triggers', async () => {
      await started({ stepsPerState: 1_000 });
      endpoint.deleteImage(FIRST_BUILD);

      const response = await harness.run(updateEvent({ ...WAITING, WaitTimeoutSeconds: '60' }, WAITING));

      expect(response).toMatchObject({
        Status: 'FAILED',
        PhysicalResourceId: FIRST_BUILD,
        Reason: `image build ${NEW_BUILD} did not finish before the wait timed out (last state PENDING); the build was cancelled`,
      });
      expect(endpoint.image(NEW_BUILD)?.status).toBe('CANCELLED');
    });

    test('the rollback to values the new build was started for keeps it, and the cleanup Delete of the old build succeeds', async () => {
      await builtThenDeleted();
      const update = await harness.run(updateEvent(CHANGED, WAITING));
      // Another resource failed: CloudFormation rolls this one back to its old properties.
      const event = updateEvent(WAITING, CHANGED, update.PhysicalResourceId);

      const rollback = await harness.run(event);
      const cleanup = await harness.run(deleteEvent(WAITING, FIRST_BUILD));

      expect(update).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NEW_BUILD });
      expect(rollback).toEqual({ Status: 'SUCCESS', PhysicalResourceId: NEW_BUILD, Data: NEW_BUILD_AMI_DATA, ...echoOf(event) });
      expect(outcomeOf(cleanup)).toEqual(SUCCEEDED);
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(1);
      expect(endpoint.image(NEW_BUILD)?.status).toBe('AVAILABLE');
    });

    test('the rollback of a failed Update that turned the wait on starts nothing', async () => {
      await started({ stepsPerState: 1_000 });
      endpoint.deleteImage(FIRST_BUILD);
      const turnedOn = { ...WAITING, WaitTimeoutSeconds: '60' };
      const update = await harness.run(updateEvent(turnedOn, PROPS));
      const event = updateEvent(PROPS, turnedOn, update.PhysicalResourceId);

      const rollback = await harness.run(event);

      expect(update).toMatchObject({ Status: 'FAILED', PhysicalResourceId: FIRST_BUILD });
      expect(rollback).toEqual({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: { ImageBuildVersionArn: FIRST_BUILD }, ...echoOf(event) });
      expect(endpoint.requestsFor('StartImagePipelineExecution')).toHaveLength(1);
    });

    test('its image present, starts nothing and answers with the current build\'s AMI', async () => {
      endpoint.addPipeline(PIPELINE, { amis: AMIS });
      await harness.run(createEvent(WAITING));
      endpoint.requests.length = 0;
      const event = updateEvent(CHANGED, WAITING);

      const response = await harness.run(event);

      expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: FIRST_BUILD_AMI_DATA, ...echoOf(event) });
      expect(harness.operations()).toEqual(['GetImage']);
      expect(endpoint.image(NEW_BUILD)).toBeUndefined();
    });

    test('without waiting, starts nothing and answers with the build ARN only', async () => {
      await builtThenDeleted();
      const event = updateEvent({ ...PROPS, CancelOnDelete: 'false' }, WAITING);

      const response = await harness.run(event);

      expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, Data: { ImageBuildVersionArn: FIRST_BUILD }, ...echoOf(event) });
      expect(harness.operations()).toEqual(['GetImage']);
      expect(endpoint.image(NEW_BUILD)).toBeUndefined();
    });
  });

  test('of a resource whose Create failed starts the pipeline', async () => {
    endpoint.addPipeline(PIPELINE);

    const response = await harness.run(updateEvent(PROPS, PROPS, 'failed-create:Resource:request-0'));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD });
  });
});

describe('Delete', () => {
  test('cancels a build that has not finished', async () => {
    const imageArn = await started();
    const event = deleteEvent();

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: imageArn, ...echoOf(event) });
    expect(harness.operations()).toEqual(['GetImage', 'CancelImageCreation']);
    expect(endpoint.requestsFor('CancelImageCreation')[0].body).toEqual({ imageBuildVersionArn: imageArn, clientToken: expect.stringMatching(TOKEN) });
    expect(endpoint.image(imageArn)?.status).toBe('CANCELLED');
  });

  test('leaves a finished build alone', async () => {
    const imageArn = await started();
    await progress(imageArn, 4);

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['GetImage']);
    expect(endpoint.image(imageArn)?.status).toBe('AVAILABLE');
  });

  test('with CancelOnDelete \'false\' calls nothing', async () => {
    const imageArn = await started();

    const response = await harness.run(deleteEvent({ ...PROPS, CancelOnDelete: 'false' }));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requests).toEqual([]);
    expect(endpoint.image(imageArn)?.status).toBe('PENDING');
  });

  describe('of a Create that answered with no build', () => {
    /** What CloudFormation sends when it cancelled the Create while it ran, because another resource failed. */
    const MADE_UP_ID = 'stack-ExecutionResource1A2B3C4D-0123456789AB';

    test('cancels the running builds this execution started for these values, and no other', async () => {
      const imageArn = await started({ stepsPerState: 1_000 });
      const finished = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE', { tags: endpoint.image(imageArn)?.tags });
      const otherExecution = endpoint.addPipelineImage(PIPELINE, 'BUILDING', { tags: { [BUILD_INPUTS_TAG]: 'f'.repeat(64) } });
      const untagged = endpoint.addPipelineImage(PIPELINE, 'BUILDING');
      const event = deleteEvent(PROPS, MADE_UP_ID);

      const response = await harness.run(event);

      expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: MADE_UP_ID, ...echoOf(event) });
      expect(harness.operations()).toEqual(['ListImagePipelineImages', 'GetImage', 'CancelImageCreation']);
      expect(endpoint.requestsFor('CancelImageCreation')[0].body).toEqual({ imageBuildVersionArn: imageArn, clientToken: expect.stringMatching(TOKEN) });
      expect(endpoint.image(imageArn)?.status).toBe('CANCELLED');
      expect([finished, otherExecution, untagged].map((arn) => endpoint.image(arn)?.status)).toEqual(['AVAILABLE', 'BUILDING', 'BUILDING']);
    });

    test('the wait of the cancelled Create, handed over, ends with the build', async () => {
      endpoint.addPipeline(PIPELINE, { stepsPerState: 1_000 });
      const continuation = await harness.runHandingOver(createEvent(WAITING), harness.context(SHORT_INVOCATION_MS));

      expect(outcomeOf(await harness.run(deleteEvent(WAITING, MADE_UP_ID)))).toEqual(SUCCEEDED);
      const response = await harness.run(continuation);

      expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: FIRST_BUILD, Reason: expect.stringMatching(/ended CANCELLED/) });
    });

    test.each([
      [403, 'AccessDeniedException'],
      [400, 'InvalidParameterValueException'],
    ])('succeeds when the builds cannot be listed (%i %s), saying so in the log', async (status, errorType) => {
      endpoint.addPipeline(PIPELINE);
      endpoint.injectFault({ operation: 'ListImagePipelineImages', status, errorType, message: 'refused' });

      const response = await harness.run(deleteEvent(PROPS, MADE_UP_ID));

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: MADE_UP_ID });
      expect(harness.operations()).toEqual(['ListImagePipelineImages']);
      expect(harness.logs).toContainEqual(expect.objectContaining({
        level: 'warn', message: 'builds not listed', reason: `ListImagePipelineImages on ${PIPELINE} failed: ${errorType}: refused`,
      }));
    });

    test('after a failed Create whose pipeline does not exist, succeeds', async () => {
      const response = await harness.run(deleteEvent(PROPS, 'failed-create:Resource:request-0'));

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'failed-create:Resource:request-0' });
      expect(endpoint.requestsFor('ListImagePipelineImages').map((r) => r.status)).toEqual([404]);
      expect(harness.operations()).toEqual(['ListImagePipelineImages']);
    });

    test('with CancelOnDelete \'false\' calls nothing', async () => {
      const imageArn = await started();

      const response = await harness.run(deleteEvent({ ...PROPS, CancelOnDelete: 'false' }, MADE_UP_ID));

      expect(outcomeOf(response)).toEqual(SUCCEEDED);
      expect(endpoint.requests).toEqual([]);
      expect(endpoint.image(imageArn)?.status).toBe('PENDING');
    });
  });

  test('of a build that no longer exists succeeds', async () => {
    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('GetImage').map((r) => r.status)).toEqual([404]);
  });

  test('run twice, the same Delete cancels once', async () => {
    await started();
    const event = deleteEvent();

    const responses = [await harness.run(event), await harness.run(event)];

    expect(responses.map(outcomeOf)).toEqual([SUCCEEDED, SUCCEEDED]);
    expect(endpoint.requestsFor('CancelImageCreation')).toHaveLength(1);
  });

  test('retried after a failed cancel, the same Delete cancels with the same client token', async () => {
    const imageArn = await started();
    endpoint.injectFault({ operation: 'CancelImageCreation', status: 500, errorType: 'ServiceException', times: RETRY_ATTEMPTS });
    const event = deleteEvent();
    expect((await harness.run(event)).Status).toBe('FAILED');

    const response = await harness.run(event);

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    const tokens = endpoint.requestsFor('CancelImageCreation').map((r) => r.body.clientToken);
    expect(tokens).toHaveLength(RETRY_ATTEMPTS + 1);
    expect(new Set(tokens).size).toBe(1);
    expect(endpoint.image(imageArn)?.status).toBe('CANCELLED');
  });

  test('a build that finishes while being cancelled counts as done', async () => {
    const imageArn = await started();
    await progress(imageArn, 2);
    // The cancel loses the race: the next read shows the build AVAILABLE.
    endpoint.injectFault({ operation: 'CancelImageCreation', status: 400, errorType: 'InvalidParameterValueException', message: 'the image is no longer in progress' });

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['GetImage', 'CancelImageCreation', 'GetImage']);
  });

  test('a cancel refused, whose build cannot be read again either, fails naming CancelImageCreation', async () => {
    const imageArn = await started();
    endpoint.injectFault({ operation: 'CancelImageCreation', status: 400, errorType: 'InvalidRequestException', message: 'not now' });
    endpoint.injectFault({ operation: 'GetImage', status: 403, errorType: 'AccessDeniedException', message: 'denied', after: 1 });

    const response = await harness.run(deleteEvent());

    expect(harness.operations()).toEqual(['GetImage', 'CancelImageCreation', 'GetImage']);
    expect(response).toMatchObject({ Status: 'FAILED', Reason: `CancelImageCreation on ${imageArn} failed: InvalidRequestException: not now` });
  });

  test('a cancel refused for a build deleted meanwhile counts as done', async () => {
    await started();
    endpoint.injectFault({ operation: 'CancelImageCreation', status: 400, errorType: 'InvalidRequestException', message: 'not now' });
    endpoint.injectFault({ operation: 'GetImage', status: 404, errorType: 'ResourceNotFoundException', message: 'gone', after: 1 });

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['GetImage', 'CancelImageCreation', 'GetImage']);
    expect(endpoint.requestsFor('GetImage').map((r) => r.status)).toEqual([200, 404]);
  });

  test('a cancel refused for a build still running fails naming CancelImageCreation', async () => {
    const imageArn = await started();
    endpoint.injectFault({ operation: 'CancelImageCreation', status: 400, errorType: 'InvalidRequestException', message: 'not now' });

    const response = await harness.run(deleteEvent());

    expect(response).toMatchObject({
      Status: 'FAILED',
      Reason: `CancelImageCreation on ${imageArn} failed: InvalidRequestException: not now`,
      PhysicalResourceId: imageArn,
    });
  });
});
