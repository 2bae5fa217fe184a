import {
  ARN_PREFIX, echoOf, FUNCTION_NAME, HAND_OVER_MARGIN_MS, outcomeOf, PIPELINE, POLL_INTERVAL_MS, RETRY_ATTEMPTS, SUCCEEDED, useHarness,
} from './harness';
import { AUTO_DELETE_IMAGES_TAG, CustomResourceEvent, PIPELINE_IMAGES_TYPE } from '../../../src/custom-resources/handler/events';
import { FakeImageStatus } from '../../helpers/fake-aws-endpoint';

const harness = useHarness();
const { endpoint } = harness;

const OTHER_PIPELINE = `${ARN_PREFIX}:image-pipeline/other`;
const imageArn = (build: number) => `${ARN_PREFIX}:image/golden/1.0.0/${build}`;
const ROLE = 'arn:aws:iam::123456789012:role/golden-ImageDeletionRole';
const CONTAINER_URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0-1';
const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How a failed Delete's reason starts, before the images it names. */
const NOT_DELETED = 'images not deleted: ';
const TIMED_OUT = 'unfinished at the timeout';
/** The wait without WaitTimeoutSeconds. */
const DEFAULT_WAIT_MS = 3_300_000;
/** Long enough for one poll interval plus the margin, not for two. */
const SHORT_INVOCATION_MS = POLL_INTERVAL_MS + HAND_OVER_MARGIN_MS + 10_000;

/** The properties PipelineImages gives the custom resource, as CloudFormation passes them: strings. */
const PROPS = { PipelineArn: PIPELINE, ExecutionRoleArn: ROLE, ImageType: 'AMI' };
const DOCKER = { ...PROPS, ImageType: 'DOCKER' };

const AMI_RESOURCES = { amis: true, snapshots: true };
/** The tag ImagePipeline puts on a pipeline with autoDeleteImages: its images are deleted only while it has it. */
const TAGGED = { [AUTO_DELETE_IMAGES_TAG]: 'true' };

/** The StartResourceStateUpdate request that deletes the image with what it distributed. */
function deletionOf(resourceArn: string, includeResources: object = AMI_RESOURCES) {
  return { resourceArn, state: { status: 'DELETED' }, executionRole: ROLE, includeResources, clientToken: expect.stringMatching(TOKEN) };
}

function createEvent(props: Record<string, any> = PROPS) {
  return harness.event({ RequestType: 'Create', ResourceType: PIPELINE_IMAGES_TYPE, ResourceProperties: props });
}

function updateEvent(props: Record<string, any>, old: Record<string, any> = PROPS, physicalResourceId = PIPELINE) {
  return harness.event({
    RequestType: 'Update', ResourceType: PIPELINE_IMAGES_TYPE, PhysicalResourceId: physicalResourceId, ResourceProperties: props, OldResourceProperties: old,
  });
}

function deleteEvent(props: Record<string, any> = PROPS, physicalResourceId = PIPELINE) {
  return harness.event({ RequestType: 'Delete', ResourceType: PIPELINE_IMAGES_TYPE, PhysicalResourceId: physicalResourceId, ResourceProperties: props });
}

/** The ResponseURL as CloudFormation signs it, at `time`. */
function signedAt(event: CustomResourceEvent, time: number): CustomResourceEvent {
  const amzDate = new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { ...event, ResponseURL: `${event.ResponseURL}&X-Amz-Date=${amzDate}&X-Amz-Expires=7200` };
}

/**
 * Makes the pipeline exist with one image in each of `statuses`, in build order; returns their
 * ARNs. A build still running stays in its state however often GetImage reads it.
 */
function pipelineWith(...statuses: FakeImageStatus[]): string[] {
  endpoint.addPipeline(PIPELINE, { tags: TAGGED, amis: [{ region: 'us-east-1', image: 'ami-0aaa' }], stepsPerState: 1_000 });
  return statuses.map((status) => endpoint.addPipelineImage(PIPELINE, status));
}

/** Moves a lifecycle execution along by reading it, as the service's own progress would. */
async function progress(lifecycleExecutionId: string, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await fetch(`${endpoint.url}/GetLifecycleExecution?lifecycleExecutionId=${encodeURIComponent(lifecycleExecutionId)}`);
  }
  endpoint.requests.length = 0;
}

const repeat = (operation: string, times: number) => Array<string>(times).fill(operation);

describe('Create and Update', () => {
  test('Create answers with the pipeline ARN and calls nothing', async () => {
    const images = pipelineWith('AVAILABLE', 'BUILDING');
    const event = createEvent();

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, ...echoOf(event) });
    expect(endpoint.requests).toEqual([]);
    expect(images.map((arn) => endpoint.image(arn)?.status)).toEqual(['AVAILABLE', 'BUILDING']);
  });

  test('Update to another pipeline answers with its ARN, so that CloudFormation deletes the old one\'s images; it calls nothing', async () => {
    pipelineWith('AVAILABLE');
    const event = updateEvent({ ...PROPS, PipelineArn: OTHER_PIPELINE });

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: OTHER_PIPELINE, ...echoOf(event) });
    expect(endpoint.requests).toEqual([]);
    expect(endpoint.image(imageArn(1))?.status).toBe('AVAILABLE');
  });

  test('Update of the execution role or image type keeps the physical ID and calls nothing', async () => {
    pipelineWith('AVAILABLE');
    const event = updateEvent({ ...DOCKER, ExecutionRoleArn: `${ROLE}-2` });

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, ...echoOf(event) });
    expect(endpoint.requests).toEqual([]);
  });
});

describe('Delete', () => {
  test('deletes every image not yet DELETED with its AMIs and snapshots, as the execution role, and answers once every deletion succeeded', async () => {
    const [available, failed, cancelled, deprecated, disabled] = pipelineWith('AVAILABLE', 'FAILED', 'CANCELLED', 'DEPRECATED', 'DISABLED', 'DELETED');
    const deleting = [available, failed, cancelled, deprecated, disabled];
    const event = deleteEvent();

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, ...echoOf(event) });
    // Each execution: IN_PROGRESS at the first poll, SUCCESS at the second.
    expect(harness.operations()).toEqual([
      'GetImagePipeline', 'ListImagePipelineImages', ...repeat('StartResourceStateUpdate', 5), ...repeat('GetLifecycleExecution', 10),
    ]);
    expect(harness.sleeps).toEqual([POLL_INTERVAL_MS]);
    expect(endpoint.requestsFor('StartResourceStateUpdate').map((r) => r.body)).toEqual(deleting.map((arn) => deletionOf(arn)));
    expect(new Set(endpoint.requestsFor('StartResourceStateUpdate').map((r) => r.body.clientToken)).size).toBe(5);
    expect(endpoint.lifecycleExecutions()).toEqual(deleting.map((resourceArn) => ({
      lifecycleExecutionId: expect.any(String),
      resourceArn,
      requestedStatus: 'DELETED',
      executionRole: ROLE,
      includeResources: AMI_RESOURCES,
      status: 'SUCCESS',
    })));
    const polled = endpoint.requestsFor('GetLifecycleExecution').map((r) => r.query.lifecycleExecutionId);
    const ids = endpoint.lifecycleExecutions().map((e) => e.lifecycleExecutionId);
    expect(polled).toEqual([...ids, ...ids]);
    expect([1, 2, 3, 4, 5, 6].map((build) => endpoint.image(imageArn(build))?.status)).toEqual(Array(6).fill('DELETED'));
  });

  test('waits for deletions that take longer, polling each until it has finished', async () => {
    const images = pipelineWith('AVAILABLE', 'AVAILABLE');
    endpoint.lifecyclePollsPerState = 3;

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    // PENDING for three polls, IN_PROGRESS for three, then SUCCESS: six rounds of two polls.
    expect(harness.operations()).toEqual(['GetImagePipeline', 'ListImagePipelineImages', ...repeat('StartResourceStateUpdate', 2), ...repeat('GetLifecycleExecution', 12)]);
    expect(harness.sleeps).toEqual(Array(5).fill(POLL_INTERVAL_MS));
    expect(images.map((arn) => endpoint.image(arn)?.status)).toEqual(['DELETED', 'DELETED']);
  });

  test('deletes the images of a container pipeline with their container images', async () => {
    endpoint.addPipeline(PIPELINE, { tags: TAGGED, containerUri: CONTAINER_URI });
    const images = [endpoint.addPipelineImage(PIPELINE, 'AVAILABLE'), endpoint.addPipelineImage(PIPELINE, 'FAILED')];

    const response = await harness.run(deleteEvent(DOCKER));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('StartResourceStateUpdate').map((r) => r.body)).toEqual(images.map((arn) => deletionOf(arn, { containers: true })));
    expect(endpoint.lifecycleExecutions().map((e) => e.includeResources)).toEqual([{ containers: true }, { containers: true }]);
  });

  test('a pipeline without images answers at once', async () => {
    endpoint.addPipeline(PIPELINE, { tags: TAGGED });

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['GetImagePipeline', 'ListImagePipelineImages']);
    expect(harness.sleeps).toEqual([]);
  });

  test('images already DELETED are left alone', async () => {
    pipelineWith('DELETED', 'DELETED');

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['GetImagePipeline', 'ListImagePipelineImages']);
    expect(endpoint.lifecycleExecutions()).toEqual([]);
  });

  test('lists every page of images and deletes the images of each', async () => {
    const images = pipelineWith('AVAILABLE', 'AVAILABLE', 'FAILED', 'AVAILABLE', 'CANCELLED');
    endpoint.pageSize = 2;

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('ListImagePipelineImages').map((r) => r.body)).toEqual([
      { imagePipelineArn: PIPELINE },
      { imagePipelineArn: PIPELINE, nextToken: 'offset-2' },
      { imagePipelineArn: PIPELINE, nextToken: 'offset-4' },
    ]);
    expect(endpoint.requestsFor('StartResourceStateUpdate').map((r) => r.body.resourceArn)).toEqual(images);
    expect(images.map((arn) => endpoint.image(arn)?.status)).toEqual(Array(5).fill('DELETED'));
  });

  test('only the images of its own pipeline', async () => {
    const [own] = pipelineWith('AVAILABLE');
    endpoint.addPipeline(OTHER_PIPELINE);
    const other = endpoint.addPipelineImage(OTHER_PIPELINE, 'AVAILABLE');

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.lifecycleExecutions().map((e) => e.resourceArn)).toEqual([own]);
    expect(endpoint.image(other)?.status).toBe('AVAILABLE');
  });

  describe('of a build still running', () => {
    test('cancels it first and deletes its image once it has stopped', async () => {
      const [building, available] = pipelineWith('BUILDING', 'AVAILABLE');
      const event = deleteEvent();

      const response = await harness.run(event);

      expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, ...echoOf(event) });
      expect(harness.operations()).toEqual([
        'GetImagePipeline', 'ListImagePipelineImages', 'GetImage', 'CancelImageCreation', 'GetImage', 'StartResourceStateUpdate', 'StartResourceStateUpdate',
        ...repeat('GetLifecycleExecution', 4),
      ]);
      expect(endpoint.requestsFor('CancelImageCreation').map((r) => r.body)).toEqual([{ imageBuildVersionArn: building, clientToken: expect.stringMatching(TOKEN) }]);
      expect(endpoint.requestsFor('StartResourceStateUpdate').map((r) => r.body)).toEqual([deletionOf(building), deletionOf(available)]);
      expect([building, available].map((arn) => endpoint.image(arn)?.status)).toEqual(['DELETED', 'DELETED']);
      expect(harness.logs.filter((l) => l.message === 'build cancelled')).toEqual([{ level: 'info', message: 'build cancelled', imageBuildVersionArn: building }]);
    });

    test.each(['PENDING', 'TESTING', 'DISTRIBUTING'] as const)('cancels a build %s', async (status) => {
      const [running] = pipelineWith(status);

      const response = await harness.run(deleteEvent());

      expect(outcomeOf(response)).toEqual(SUCCEEDED);
      expect(endpoint.requestsFor('CancelImageCreation').map((r) => r.body.imageBuildVersionArn)).toEqual([running]);
      expect(endpoint.image(running)?.status).toBe('DELETED');
    });

    test('a build that finishes while being cancelled is deleted all the same', async () => {
      endpoint.addPipeline(PIPELINE, { tags: TAGGED, stepsPerState: 2 });
      const distributing = endpoint.addPipelineImage(PIPELINE, 'DISTRIBUTING');
      // The cancel loses the race: the next read shows the build AVAILABLE.
      endpoint.injectFault({ operation: 'CancelImageCreation', status: 400, errorType: 'InvalidParameterValueException', message: 'the image is no longer in progress' });

      const response = await harness.run(deleteEvent());

      expect(outcomeOf(response)).toEqual(SUCCEEDED);
      expect(harness.operations()).toEqual([
        'GetImagePipeline', 'ListImagePipelineImages', 'GetImage', 'CancelImageCreation', 'GetImage', 'GetImage', 'StartResourceStateUpdate',
        'GetLifecycleExecution', 'GetLifecycleExecution',
      ]);
      expect(endpoint.lifecycleExecutions().map((e) => [e.resourceArn, e.status])).toEqual([[distributing, 'SUCCESS']]);
    });

    test('a build whose image is gone since the listing is skipped', async () => {
      const [gone, available] = pipelineWith('BUILDING', 'AVAILABLE');
      // A lifecycle policy deleted the image after the listing: GetImage no longer finds it.
      endpoint.injectFault({ operation: 'GetImage', status: 404, errorType: 'ResourceNotFoundException', times: 2 });

      const response = await harness.run(deleteEvent());

      expect(outcomeOf(response)).toEqual(SUCCEEDED);
      expect(harness.operations()).toEqual([
        'GetImagePipeline', 'ListImagePipelineImages', 'GetImage', 'GetImage', 'StartResourceStateUpdate', 'GetLifecycleExecution', 'GetLifecycleExecution',
      ]);
      expect(endpoint.requestsFor('CancelImageCreation')).toEqual([]);
      expect(endpoint.lifecycleExecutions().map((e) => e.resourceArn)).toEqual([available]);
      expect(endpoint.image(gone)?.status).toBe('BUILDING');
    });

    test('a cancel refused for a build still running fails naming CancelImageCreation, and deletes nothing', async () => {
      endpoint.addPipeline(PIPELINE, { tags: TAGGED, stepsPerState: 1_000 });
      const building = endpoint.addPipelineImage(PIPELINE, 'BUILDING');
      endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');
      endpoint.injectFault({ operation: 'CancelImageCreation', status: 400, errorType: 'InvalidRequestException', message: 'not now' });
      const event = deleteEvent();

      const response = await harness.run(event);

      expect(response).toEqual({
        Status: 'FAILED', Reason: `CancelImageCreation on ${building} failed: InvalidRequestException: not now`, PhysicalResourceId: PIPELINE, ...echoOf(event),
      });
      expect(endpoint.lifecycleExecutions()).toEqual([]);
      expect(endpoint.image(building)?.status).toBe('BUILDING');
    });
  });

  describe('that fails', () => {
    test.each(['FAILED', 'CANCELLED'] as const)('a deletion that ends %s fails naming the image and the reason, after waiting for the others', async (status) => {
      const [first, second, third] = pipelineWith('AVAILABLE', 'AVAILABLE', 'FAILED');
      endpoint.failStateUpdatesOf(second, 'the AMI ami-0aaa is in use by launch template lt-0123', status);
      const event = deleteEvent();

      const response = await harness.run(event);

      expect(response).toEqual({
        Status: 'FAILED',
        Reason: `${NOT_DELETED}${second} (${status}: the AMI ami-0aaa is in use by launch template lt-0123)`,
        PhysicalResourceId: PIPELINE,
        ...echoOf(event),
      });
      expect(endpoint.lifecycleExecutions().map((e) => e.status)).toEqual(['SUCCESS', status, 'SUCCESS']);
      expect([first, second, third].map((arn) => endpoint.image(arn)?.status)).toEqual(['DELETED', 'AVAILABLE', 'DELETED']);
    });

    test('names every image whose deletion failed', async () => {
      const [first, second] = pipelineWith('AVAILABLE', 'DEPRECATED');
      endpoint.failStateUpdatesOf(first, 'snapshot snap-0aaa is in use');
      endpoint.failStateUpdatesOf(second, 'the execution role cannot deregister ami-0aaa');

      const response = await harness.run(deleteEvent());

      expect(outcomeOf(response)).toEqual({
        Status: 'FAILED',
        Reason: NOT_DELETED
          + `${first} (FAILED: snapshot snap-0aaa is in use); ${second} (FAILED: the execution role cannot deregister ami-0aaa)`,
      });
    });

    test('a deletion the service refuses fails naming StartResourceStateUpdate and the image', async () => {
      const [available] = pipelineWith('AVAILABLE');
      endpoint.injectFault({ operation: 'StartResourceStateUpdate', status: 400, errorType: 'InvalidRequestException', message: 'the role cannot be assumed' });
      const event = deleteEvent();

      const response = await harness.run(event);

      expect(response).toEqual({
        Status: 'FAILED',
        Reason: `StartResourceStateUpdate on ${available} failed: InvalidRequestException: the role cannot be assumed`,
        PhysicalResourceId: PIPELINE,
        ...echoOf(event),
      });
      expect(endpoint.requestsFor('StartResourceStateUpdate')).toHaveLength(1);
    });

    test('deletions still running when WaitTimeoutSeconds have passed fail naming each image', async () => {
      const [available, failed] = pipelineWith('AVAILABLE', 'FAILED');
      endpoint.lifecyclePollsPerState = Infinity;
      const start = harness.now;

      const response = await harness.run(deleteEvent({ ...PROPS, WaitTimeoutSeconds: '60' }));

      expect(outcomeOf(response)).toEqual({
        Status: 'FAILED',
        Reason: NOT_DELETED
          + `${available} (${TIMED_OUT}); ${failed} (${TIMED_OUT})`,
      });
      expect(endpoint.lifecycleExecutions().map((e) => e.status)).toEqual(['PENDING', 'PENDING']);
      expect(harness.sleeps).toEqual([POLL_INTERVAL_MS, POLL_INTERVAL_MS]);
      expect(harness.now - start).toBe(60_000);
      expect(endpoint.requestsFor('GetLifecycleExecution')).toHaveLength(6);
    });
  });

  test('the pipeline no longer exists: answers SUCCESS, saying the images were kept', async () => {
    const event = deleteEvent();

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, Data: { ImagesKept: 'true' }, ...echoOf(event) });
    expect(harness.operations()).toEqual(['GetImagePipeline']);
    expect(endpoint.requestsFor('GetImagePipeline').map((r) => r.status)).toEqual([404]);
  });

  test('the pipeline stays (autoDeleteImages turned off, which removes its tag first): its images are kept', async () => {
    endpoint.addPipeline(PIPELINE, { tags: { team: 'platform' } });
    const images = [endpoint.addPipelineImage(PIPELINE, 'AVAILABLE'), endpoint.addPipelineImage(PIPELINE, 'FAILED')];
    const event = deleteEvent();

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, Data: { ImagesKept: 'true' }, ...echoOf(event) });
    expect(harness.operations()).toEqual(['GetImagePipeline']);
    expect(endpoint.requestsFor('GetImagePipeline').map((r) => r.query)).toEqual([{ imagePipelineArn: PIPELINE }]);
    expect(images.map((arn) => endpoint.image(arn)?.status)).toEqual(['AVAILABLE', 'FAILED']);
    expect(endpoint.lifecycleExecutions()).toEqual([]);
  });

  test('a tag of another value keeps the images too', async () => {
    endpoint.addPipeline(PIPELINE, { tags: { [AUTO_DELETE_IMAGES_TAG]: 'false' } });
    endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');

    const response = await harness.run(deleteEvent());

    expect(response.Data).toEqual({ ImagesKept: 'true' });
    expect(endpoint.lifecycleExecutions()).toEqual([]);
  });

  test('after a failed Create calls nothing', async () => {
    pipelineWith('AVAILABLE');
    const event = deleteEvent(PROPS, 'failed-create:Resource:request-0');

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: 'failed-create:Resource:request-0', ...echoOf(event) });
    expect(endpoint.requests).toEqual([]);
    expect(endpoint.image(imageArn(1))?.status).toBe('AVAILABLE');
  });

  test('a listing that fails otherwise fails naming ListImagePipelineImages and the pipeline', async () => {
    pipelineWith('AVAILABLE');
    endpoint.injectFault({ operation: 'ListImagePipelineImages', status: 403, errorType: 'ForbiddenException', message: 'not authorized' });

    const response = await harness.run(deleteEvent());

    expect(outcomeOf(response)).toEqual({
      Status: 'FAILED', Reason: `ListImagePipelineImages on ${PIPELINE} failed: ForbiddenException: not authorized`,
    });
    expect(endpoint.lifecycleExecutions()).toEqual([]);
  });

  describe('throttled', () => {
    test('retries StartResourceStateUpdate with the same client token and starts one deletion', async () => {
      const [available] = pipelineWith('AVAILABLE');
      endpoint.injectFault({ operation: 'StartResourceStateUpdate', status: 429, errorType: 'CallRateLimitExceededException', times: 2 });

      const response = await harness.run(deleteEvent());

      expect(outcomeOf(response)).toEqual(SUCCEEDED);
      const starts = endpoint.requestsFor('StartResourceStateUpdate');
      expect(starts.map((r) => r.status)).toEqual([429, 429, 200]);
      expect(starts.map((r) => r.body)).toEqual(Array(3).fill(starts[0].body));
      expect(endpoint.lifecycleExecutions().map((e) => [e.resourceArn, e.status])).toEqual([[available, 'SUCCESS']]);
      // Two back-offs (1 s and 2 s, with jitter), then the poll interval.
      expect(harness.sleeps).toHaveLength(3);
      expect(harness.sleeps[0]).toBeGreaterThanOrEqual(500);
      expect(harness.sleeps[0]).toBeLessThanOrEqual(1_000);
      expect(harness.sleeps[1]).toBeGreaterThanOrEqual(1_000);
      expect(harness.sleeps[1]).toBeLessThanOrEqual(2_000);
      expect(harness.sleeps[2]).toBe(POLL_INTERVAL_MS);
    });

    test('retries the listing and the polls too', async () => {
      pipelineWith('AVAILABLE');
      endpoint.injectFault({ operation: 'ListImagePipelineImages', status: 429, errorType: 'CallRateLimitExceededException' });
      endpoint.injectFault({ operation: 'GetLifecycleExecution', status: 503, errorType: 'ServiceUnavailableException' });

      const response = await harness.run(deleteEvent());

      expect(outcomeOf(response)).toEqual(SUCCEEDED);
      expect(endpoint.requestsFor('ListImagePipelineImages').map((r) => r.status)).toEqual([429, 200]);
      expect(endpoint.requestsFor('GetLifecycleExecution').map((r) => r.status)).toEqual([503, 200, 200]);
      expect(endpoint.lifecycleExecutions()).toHaveLength(1);
    });

    test('for every attempt fails naming StartResourceStateUpdate and the image', async () => {
      const [available] = pipelineWith('AVAILABLE');
      endpoint.injectFault({
        operation: 'StartResourceStateUpdate', status: 429, errorType: 'CallRateLimitExceededException', message: 'Rate exceeded', times: Infinity,
      });

      const response = await harness.run(deleteEvent());

      expect(outcomeOf(response)).toEqual({
        Status: 'FAILED', Reason: `StartResourceStateUpdate on ${available} failed: CallRateLimitExceededException: Rate exceeded`,
      });
      expect(endpoint.requestsFor('StartResourceStateUpdate')).toHaveLength(RETRY_ATTEMPTS);
      expect(endpoint.lifecycleExecutions()).toEqual([]);
    });
  });

  test('run twice, the same Delete deletes each image once', async () => {
    const images = pipelineWith('AVAILABLE', 'FAILED');
    const event = deleteEvent();

    const responses = [await harness.run(event), await harness.run(event)];

    expect(responses.map(outcomeOf)).toEqual([SUCCEEDED, SUCCEEDED]);
    expect(endpoint.lifecycleExecutions().map((e) => e.resourceArn)).toEqual(images);
    expect(endpoint.requestsFor('StartResourceStateUpdate')).toHaveLength(2);
  });

  test('run again after a deletion failed, the same Delete gets the failed execution back rather than start another', async () => {
    const [available] = pipelineWith('AVAILABLE');
    endpoint.failStateUpdatesOf(available, 'snapshot snap-0aaa is in use');
    const event = deleteEvent();

    const responses = [await harness.run(event), await harness.run(event)];

    expect(responses.map((r) => r.Status)).toEqual(['FAILED', 'FAILED']);
    expect(responses[1].Reason).toBe(responses[0].Reason);
    const [first, again] = endpoint.requestsFor('StartResourceStateUpdate');
    expect(again.body.clientToken).toBe(first.body.clientToken);
    expect(endpoint.lifecycleExecutions()).toHaveLength(1);
  });

  test('another request (a new RequestId) starts deletions of its own', async () => {
    const [available] = pipelineWith('AVAILABLE');
    endpoint.failStateUpdatesOf(available, 'snapshot snap-0aaa is in use');
    await harness.run(deleteEvent());

    const response = await harness.run(deleteEvent());

    expect(response.Status).toBe('FAILED');
    const [first, second] = endpoint.requestsFor('StartResourceStateUpdate');
    expect(second.body.clientToken).not.toBe(first.body.clientToken);
    expect(endpoint.lifecycleExecutions().map((e) => e.resourceArn)).toEqual([available, available]);
  });
});

describe('hand-over', () => {
  test('a wait longer than the invocation runs the same request again in a new invocation, which gets the same deletions back and answers', async () => {
    const images = pipelineWith('AVAILABLE', 'FAILED');
    endpoint.lifecyclePollsPerState = 2;
    const event = deleteEvent();
    // Unsigned, the request's wait counts from its first invocation.
    const deadline = harness.now + DEFAULT_WAIT_MS;

    const handedOver = await harness.runHandingOver(event, harness.context(SHORT_INVOCATION_MS));
    const response = await harness.run(handedOver);

    expect(handedOver).toEqual({ ...event, Continuation: { deadline } });
    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, ...echoOf(event) });
    const invocation = ['GetImagePipeline', 'ListImagePipelineImages', ...repeat('StartResourceStateUpdate', 2), ...repeat('GetLifecycleExecution', 4)];
    expect(harness.operations()).toEqual([...invocation, 'Invoke', ...invocation]);
    const starts = endpoint.requestsFor('StartResourceStateUpdate').map((r) => r.body);
    expect(starts.slice(2)).toEqual(starts.slice(0, 2));
    expect(endpoint.lifecycleExecutions().map((e) => [e.resourceArn, e.status])).toEqual([[images[0], 'SUCCESS'], [images[1], 'SUCCESS']]);
  });

  test('answered through Lambda, the request ends SUCCESS with exactly one lifecycle execution per image', async () => {
    const images = pipelineWith('AVAILABLE', 'CANCELLED', 'AVAILABLE');
    endpoint.lifecyclePollsPerState = 4;
    const event = deleteEvent();
    const deadline = harness.now + DEFAULT_WAIT_MS;

    const response = await harness.answer(event, harness.context(SHORT_INVOCATION_MS));

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: PIPELINE, ...echoOf(event) });
    expect(endpoint.invocations.map((i) => i.payload)).toEqual([{ ...event, Continuation: { deadline } }]);
    expect(endpoint.lifecycleExecutions().map((e) => [e.resourceArn, e.status])).toEqual(images.map((arn) => [arn, 'SUCCESS']));
    expect(images.map((arn) => endpoint.image(arn)?.status)).toEqual(['DELETED', 'DELETED', 'DELETED']);
  });

  test('a deletion that failed before a hand-over is reported by the invocation that ends the wait, once the others have finished', async () => {
    const [failing, slow] = pipelineWith('AVAILABLE', 'AVAILABLE');
    endpoint.failStateUpdatesOf(failing, 'snapshot in use');
    endpoint.lifecyclePollsPerState = 2;
    const event = deleteEvent();
    const second = await harness.runHandingOver(event, harness.context(SHORT_INVOCATION_MS));
    const [failingId] = endpoint.lifecycleExecutions().map((e) => e.lifecycleExecutionId);
    // Meanwhile the first deletion fails; the other is still running.
    await progress(failingId, 4);

    // An invocation with time for one poll only: it sees the failure, and the running deletion, and hands over.
    const third = await harness.runHandingOver(second, harness.context(POLL_INTERVAL_MS + HAND_OVER_MARGIN_MS - 1));
    const response = await harness.run(third);

    expect(third).toEqual(second);
    expect(outcomeOf(response)).toEqual({ Status: 'FAILED', Reason: `${NOT_DELETED}${failing} (FAILED: snapshot in use)` });
    expect(endpoint.lifecycleExecutions().map((e) => [e.resourceArn, e.status])).toEqual([[failing, 'FAILED'], [slow, 'SUCCESS']]);
  });

  test('the new invocation skips the images deleted meanwhile', async () => {
    const [done, slow] = pipelineWith('AVAILABLE', 'AVAILABLE');
    endpoint.lifecyclePollsPerState = 2;
    const event = deleteEvent();
    const handedOver = await harness.runHandingOver(event, harness.context(SHORT_INVOCATION_MS));
    const [doneId, slowId] = endpoint.lifecycleExecutions().map((e) => e.lifecycleExecutionId);
    // Meanwhile the first deletion finishes.
    await progress(doneId, 2);

    const response = await harness.run(handedOver);

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['GetImagePipeline', 'ListImagePipelineImages', 'StartResourceStateUpdate', 'GetLifecycleExecution', 'GetLifecycleExecution']);
    expect(endpoint.requestsFor('StartResourceStateUpdate').map((r) => r.body.resourceArn)).toEqual([slow]);
    expect(endpoint.requestsFor('GetLifecycleExecution').map((r) => r.query.lifecycleExecutionId)).toEqual([slowId, slowId]);
    expect([done, slow].map((arn) => endpoint.image(arn)?.status)).toEqual(['DELETED', 'DELETED']);
    expect(endpoint.lifecycleExecutions()).toHaveLength(2);
  });

  test('a new invocation that is short of time too hands over again, with the same event and deadline', async () => {
    pipelineWith('AVAILABLE');
    endpoint.lifecyclePollsPerState = 10;
    const event = deleteEvent();
    const deadline = harness.now + DEFAULT_WAIT_MS;

    const second = await harness.runHandingOver(event, harness.context(SHORT_INVOCATION_MS));
    const third = await harness.runHandingOver(second, harness.context(SHORT_INVOCATION_MS));

    expect(second).toEqual({ ...event, Continuation: { deadline } });
    expect(third).toEqual(second);
    expect(endpoint.lifecycleExecutions()).toHaveLength(1);
    expect(endpoint.requestsFor('StartResourceStateUpdate')).toHaveLength(2);
  });

  describe('between the calls of one image and the next', () => {
    /** Three throttled attempts back off 3.5 to 7 s in all: more than this invocation has beyond the margin. */
    const THROTTLED = { status: 429, errorType: 'CallRateLimitExceededException', times: 3 };
    const shortOfTimeAfterBackOffs = () => harness.context(HAND_OVER_MARGIN_MS + 3_000);

    test('hands over before starting the next deletion once the invocation runs short, and the new one finishes them', async () => {
      const images = pipelineWith('AVAILABLE', 'AVAILABLE');
      endpoint.injectFault({ operation: 'StartResourceStateUpdate', ...THROTTLED });
      const event = deleteEvent();

      const handedOver = await harness.runHandingOver(event, shortOfTimeAfterBackOffs());

      expect(harness.operations()).toEqual(['GetImagePipeline', 'ListImagePipelineImages', ...repeat('StartResourceStateUpdate', 4), 'Invoke']);
      const response = await harness.run(handedOver);
      expect(outcomeOf(response)).toEqual(SUCCEEDED);
      expect(endpoint.lifecycleExecutions().map((e) => [e.resourceArn, e.status])).toEqual(images.map((arn) => [arn, 'SUCCESS']));
    });

    test('past the deadline, hands over no more: the invocation starts what is left and the wait answers', async () => {
      pipelineWith('AVAILABLE', 'AVAILABLE');
      endpoint.injectFault({ operation: 'StartResourceStateUpdate', ...THROTTLED });
      // Signed longer ago than the wait: the deadline has passed.
      const event = signedAt(deleteEvent(), harness.now - DEFAULT_WAIT_MS - 60_000);

      const response = await harness.run(event, shortOfTimeAfterBackOffs());

      expect(harness.operations()).not.toContain('Invoke');
      expect(endpoint.requestsFor('StartResourceStateUpdate').filter((r) => r.status === 200)).toHaveLength(2);
      expect(response.Status).toBe('FAILED');
      expect(response.Reason).toMatch(new RegExp(`^${NOT_DELETED}.*${TIMED_OUT}`));
    });

    test('hands over before polling the next deletion once the invocation runs short', async () => {
      pipelineWith('AVAILABLE', 'AVAILABLE');
      endpoint.lifecyclePollsPerState = 2;
      endpoint.injectFault({ operation: 'GetLifecycleExecution', ...THROTTLED });

      await harness.runHandingOver(deleteEvent(), shortOfTimeAfterBackOffs());

      expect(harness.operations()).toEqual([
        'GetImagePipeline', 'ListImagePipelineImages', ...repeat('StartResourceStateUpdate', 2), ...repeat('GetLifecycleExecution', 4), 'Invoke',
      ]);
    });
  });

  test('an invocation that cannot be started fails naming Invoke and the function', async () => {
    pipelineWith('AVAILABLE');
    endpoint.lifecyclePollsPerState = Infinity;
    endpoint.injectFault({ operation: 'Invoke', status: 429, errorType: 'TooManyRequestsException', message: 'Rate exceeded', times: Infinity });
    const event = deleteEvent();

    const response = await harness.run(event, harness.context(SHORT_INVOCATION_MS));

    expect(response).toEqual({
      Status: 'FAILED', Reason: `Invoke on ${FUNCTION_NAME} failed: TooManyRequestsException: Rate exceeded`, PhysicalResourceId: PIPELINE, ...echoOf(event),
    });
    expect(endpoint.requestsFor('Invoke')).toHaveLength(RETRY_ATTEMPTS);
  });

  test('counts the wait from when CloudFormation signed the request, so it ends across invocations', async () => {
    const [available] = pipelineWith('AVAILABLE');
    endpoint.lifecyclePollsPerState = Infinity;
    // X-Amz-Date has whole seconds.
    harness.now = Math.ceil(harness.now / 1_000) * 1_000;
    const requested = harness.now;
    const event = signedAt(deleteEvent({ ...PROPS, WaitTimeoutSeconds: '120' }), requested);

    const response = await harness.answer(event, harness.context(SHORT_INVOCATION_MS));

    expect(outcomeOf(response)).toEqual({
      Status: 'FAILED', Reason: `${NOT_DELETED}${available} (${TIMED_OUT})`,
    });
    expect(endpoint.invocations).toHaveLength(1);
    expect(harness.now - requested).toBe(120_000);
    expect(endpoint.lifecycleExecutions()).toHaveLength(1);
  });

  test('without WaitTimeoutSeconds waits 3300 seconds, across as many invocations as it takes', async () => {
    const [available] = pipelineWith('AVAILABLE');
    endpoint.lifecyclePollsPerState = Infinity;
    harness.now = Math.ceil(harness.now / 1_000) * 1_000;
    const requested = harness.now;
    const event = signedAt(deleteEvent(PROPS), requested);

    const response = await harness.answer(event);

    expect(outcomeOf(response)).toEqual({
      Status: 'FAILED', Reason: `${NOT_DELETED}${available} (${TIMED_OUT})`,
    });
    expect(harness.now - requested).toBe(3_300_000);
    // Each invocation of 900 s polls for 780 s, keeping the margin in hand: at 0, 780, 1560, 2340 and 3120 s.
    expect(endpoint.invocations.map((i) => i.payload)).toEqual(Array(4).fill({ ...event, Continuation: { deadline: requested + DEFAULT_WAIT_MS } }));
    expect(endpoint.lifecycleExecutions()).toHaveLength(1);
  });

  test('an unsigned request keeps the deadline of its first invocation, so the wait ends across invocations', async () => {
    const [available] = pipelineWith('AVAILABLE');
    endpoint.lifecyclePollsPerState = Infinity;
    const started = harness.now;
    const event = deleteEvent({ ...PROPS, WaitTimeoutSeconds: '120' });

    const response = await harness.answer(event, harness.context(SHORT_INVOCATION_MS));

    expect(outcomeOf(response)).toEqual({ Status: 'FAILED', Reason: `${NOT_DELETED}${available} (${TIMED_OUT})` });
    expect(endpoint.invocations.map((i) => i.payload)).toEqual([{ ...event, Continuation: { deadline: started + 120_000 } }]);
    expect(harness.now - started).toBe(120_000);
  });
});
