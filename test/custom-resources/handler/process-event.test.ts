import {
  ARN_PREFIX, CfnResponse, COMPONENT, CONTAINER_RECIPE, echoOf, FUNCTION_NAME, HAND_OVER_MARGIN_MS, IMAGE, IMAGE_RECIPE, outcomeOf,
  PIPELINE, PIPELINE_EXECUTION, POLL_INTERVAL_MS, RESOURCE_POLICY, RETRY_ATTEMPTS, SUCCEEDED, useHarness,
} from './harness';
import { CustomResourceEvent, InvocationContext } from '../../../src/custom-resources/handler/events';
import { processEvent } from '../../../src/custom-resources/handler/process-event';

const harness = useHarness();
const { endpoint } = harness;

const FIRST_BUILD = `${ARN_PREFIX}:image/golden/1.0.0/1`;
const SECOND_BUILD = `${ARN_PREFIX}:image/golden/1.0.0/2`;
const AMIS = [{ region: 'us-east-1', image: 'ami-0aaa' }];
const PIPELINE_PROPS = { PipelineArn: PIPELINE, Triggers: ['recipe-1.0.0'], WaitForCompletion: 'true', WaitTimeoutSeconds: '3300', CancelOnDelete: 'true' };

const policyFor = (arn: string, account = '111122223333') => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'imagebuilder:Get*', Resource: arn }],
});

/** One kind of request the handler serves, with the operations it calls and what it names in their failures. */
interface Flow {
  readonly operations: readonly string[];
  /** Builds the state the request needs (with faults not yet injected) and returns the request. */
  readonly prepare: () => Promise<CustomResourceEvent>;
  readonly context?: () => InvocationContext;
  /** The resource a failure of `operation` is about. */
  readonly subjectOf: (operation: string) => string;
  /** Checks the answer and the state of a request that succeeded. */
  readonly expectDone: (response: CfnResponse) => void;
  /**
   * What the reason adds when `operation` keeps failing: a failed Update cancels the build it
   * started, and a fault on GetImage stops that too.
   */
  readonly reasonSuffixOf?: (operation: string, reason: string) => string;
  /** How many bounded series of attempts a persistent fault on `operation` meets (default 1). */
  readonly retriedCallsOf?: (operation: string) => number;
}

const shareOf = (arn: string) => endpoint.shareOf(arn)!;

/** Subjects of the resource-policy operations: the resource, its share, or the share's permission. */
function policySubject(resourceArn: string) {
  return (operation: string) => {
    switch (operation) {
      case 'ListResourceSharePermissions':
      case 'PromoteResourceShareCreatedFromPolicy':
      case 'DeleteResourceShare':
        return shareOf(resourceArn).resourceShareArn;
      case 'PromotePermissionCreatedFromPolicy':
        return shareOf(resourceArn).permissionArns[0];
      default:
        return resourceArn;
    }
  };
}

function policyEvent(requestType: 'Create' | 'Update' | 'Delete', arn: string, policy: string, oldPolicy?: string): CustomResourceEvent {
  return harness.event({
    RequestType: requestType,
    ResourceType: RESOURCE_POLICY,
    PhysicalResourceId: requestType === 'Create' ? undefined : `resource-policy:${arn}`,
    ResourceProperties: { ResourceArn: arn, Policy: policy },
    OldResourceProperties: oldPolicy ? { ResourceArn: arn, Policy: oldPolicy } : undefined,
  });
}

async function sharedWithPolicy(arn: string, policy = policyFor(arn)): Promise<void> {
  endpoint.addResource(arn);
  expect(outcomeOf(await harness.run(policyEvent('Create', arn, policy)))).toEqual(SUCCEEDED);
}

const createPolicy = (arn: string, putPolicy: string): Flow => ({
  operations: [putPolicy, 'ListResources', 'GetResourceShares', 'ListResourceSharePermissions',
    'PromotePermissionCreatedFromPolicy', 'PromoteResourceShareCreatedFromPolicy'],
  prepare: async () => {
    endpoint.addResource(arn);
    return policyEvent('Create', arn, policyFor(arn));
  },
  subjectOf: policySubject(arn),
  expectDone: (response) => {
    expect(response.PhysicalResourceId).toBe(`resource-policy:${arn}`);
    expect(shareOf(arn).featureSet).toBe('STANDARD');
  },
});

function pipelineEvent(requestType: 'Create' | 'Update' | 'Delete', props: Record<string, any>, physicalResourceId?: string): CustomResourceEvent {
  return harness.event({
    RequestType: requestType,
    ResourceType: PIPELINE_EXECUTION,
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: props,
    OldResourceProperties: requestType === 'Update' ? PIPELINE_PROPS : undefined,
  });
}

/** Starts a build with a Create that does not wait. */
async function startedBuild(): Promise<void> {
  endpoint.addPipeline(PIPELINE, { amis: AMIS });
  expect(outcomeOf(await harness.run(pipelineEvent('Create', { ...PIPELINE_PROPS, WaitForCompletion: 'false' })))).toEqual(SUCCEEDED);
}

/** Subjects of the pipeline-execution operations: the pipeline, the function, or the build. */
const pipelineSubject = (build: string) => (operation: string) =>
  ({ StartImagePipelineExecution: PIPELINE, Invoke: FUNCTION_NAME })[operation] ?? build;

const FLOWS: Record<string, Flow> = {
  'Create of a component policy': createPolicy(COMPONENT, 'PutComponentPolicy'),
  'Create of an image policy': { ...createPolicy(IMAGE, 'PutImagePolicy'), operations: ['PutImagePolicy'] },
  'Create of an image recipe policy': { ...createPolicy(IMAGE_RECIPE, 'PutImageRecipePolicy'), operations: ['PutImageRecipePolicy'] },
  'Create of a container recipe policy': { ...createPolicy(CONTAINER_RECIPE, 'PutContainerRecipePolicy'), operations: ['PutContainerRecipePolicy'] },
  'Update of a component policy': {
    operations: ['ListResources', 'DeleteResourceShare', 'DeletePermission', 'PutComponentPolicy', 'PromotePermissionCreatedFromPolicy'],
    prepare: async () => {
      await sharedWithPolicy(COMPONENT);
      return policyEvent('Update', COMPONENT, policyFor(COMPONENT, '444455556666'), policyFor(COMPONENT));
    },
    subjectOf: policySubject(COMPONENT),
    expectDone: () => {
      expect(endpoint.policyOf(COMPONENT)).toBe(policyFor(COMPONENT, '444455556666'));
      expect(shareOf(COMPONENT).featureSet).toBe('STANDARD');
    },
  },
  'Delete of a component policy': {
    operations: ['ListResources', 'GetResourceShares', 'ListResourceSharePermissions', 'DeleteResourceShare', 'DeletePermission'],
    prepare: async () => {
      await sharedWithPolicy(COMPONENT);
      return policyEvent('Delete', COMPONENT, policyFor(COMPONENT));
    },
    subjectOf: policySubject(COMPONENT),
    expectDone: () => {
      expect(endpoint.resourceShares()).toEqual([]);
      expect(endpoint.managedPermissions()).toEqual([]);
    },
  },
  'Create of a pipeline execution that waits': {
    operations: ['StartImagePipelineExecution', 'GetImage'],
    prepare: async () => {
      endpoint.addPipeline(PIPELINE, { amis: AMIS });
      return pipelineEvent('Create', PIPELINE_PROPS);
    },
    subjectOf: pipelineSubject(FIRST_BUILD),
    expectDone: (response) => expect(response).toMatchObject({ PhysicalResourceId: FIRST_BUILD, Data: { AmiId: 'ami-0aaa' } }),
  },
  'Create of a pipeline execution that hands its wait over': {
    operations: ['Invoke'],
    prepare: async () => {
      endpoint.addPipeline(PIPELINE, { amis: AMIS });
      return pipelineEvent('Create', PIPELINE_PROPS);
    },
    context: () => harness.context(POLL_INTERVAL_MS + HAND_OVER_MARGIN_MS + 10_000),
    subjectOf: pipelineSubject(FIRST_BUILD),
    expectDone: (response) => {
      expect(response).toMatchObject({ PhysicalResourceId: FIRST_BUILD, Data: { AmiId: 'ami-0aaa' } });
      expect(endpoint.invocations).toHaveLength(1);
    },
  },
  'Update of a pipeline execution with the same triggers': {
    operations: ['GetImage'],
    prepare: async () => {
      await startedBuild();
      return pipelineEvent('Update', { ...PIPELINE_PROPS, WaitTimeoutSeconds: '600' }, FIRST_BUILD);
    },
    subjectOf: pipelineSubject(FIRST_BUILD),
    expectDone: (response) => expect(response).toMatchObject({ PhysicalResourceId: FIRST_BUILD, Data: { ImageBuildVersionArn: FIRST_BUILD } }),
  },
  'Update of a pipeline execution with new triggers': {
    operations: ['StartImagePipelineExecution', 'GetImage'],
    prepare: async () => {
      await startedBuild();
      return pipelineEvent('Update', { ...PIPELINE_PROPS, Triggers: ['recipe-1.0.1'] }, FIRST_BUILD);
    },
    // GetImage first reads what the current build was started for.
    subjectOf: (operation) => pipelineSubject(operation === 'GetImage' ? FIRST_BUILD : SECOND_BUILD)(operation),
    expectDone: (response) => expect(response).toMatchObject({ PhysicalResourceId: SECOND_BUILD, Data: { AmiId: 'ami-0aaa' } }),
  },
  'Update of a pipeline execution whose Create failed': {
    operations: ['StartImagePipelineExecution', 'GetImage'],
    prepare: async () => {
      endpoint.addPipeline(PIPELINE, { amis: AMIS });
      return pipelineEvent('Update', PIPELINE_PROPS, 'failed-create:Resource:request-0');
    },
    subjectOf: pipelineSubject(FIRST_BUILD),
    expectDone: (response) => expect(response).toMatchObject({ PhysicalResourceId: FIRST_BUILD, Data: { AmiId: 'ami-0aaa' } }),
    reasonSuffixOf: (operation, reason) => operation === 'GetImage' ? `; the build could not be cancelled: ${reason}` : '',
    // The wait's GetImage, then the cancel's.
    retriedCallsOf: (operation) => operation === 'GetImage' ? 2 : 1,
  },
  'Delete of a pipeline execution': {
    operations: ['GetImage', 'CancelImageCreation'],
    prepare: async () => {
      await startedBuild();
      return pipelineEvent('Delete', PIPELINE_PROPS, FIRST_BUILD);
    },
    subjectOf: pipelineSubject(FIRST_BUILD),
    expectDone: () => expect(endpoint.image(FIRST_BUILD)?.status).toBe('CANCELLED'),
  },
};

/** Faults worth another attempt, by the service of the operation. */
const TRANSIENT_FAULTS = {
  imagebuilder: [
    { status: 429, errorType: 'CallRateLimitExceededException' },
    { status: 400, errorType: 'ResourceInUseException' },
    { status: 500, errorType: 'ServiceException' },
    { status: 503, errorType: 'ServiceUnavailableException' },
  ],
  ram: [
    { status: 429, errorType: 'ThrottlingException' },
    { status: 500, errorType: 'ServerInternalException' },
    { status: 503, errorType: 'ServiceUnavailableException' },
  ],
  lambda: [
    { status: 429, errorType: 'TooManyRequestsException' },
    { status: 500, errorType: 'ServiceException' },
  ],
};
const RAM_OPERATIONS = new Set(['ListResources', 'GetResourceShares', 'ListResourceSharePermissions', 'PromotePermissionCreatedFromPolicy',
  'PromoteResourceShareCreatedFromPolicy', 'DeleteResourceShare', 'DeletePermission']);
const serviceOf = (operation: string) => operation === 'Invoke' ? 'lambda' : RAM_OPERATIONS.has(operation) ? 'ram' : 'imagebuilder';

const FLOW_OPERATIONS = Object.entries(FLOWS).flatMap(([name, flow]) => flow.operations.map((operation) => ({ name, flow, operation })));

/** Prepares the flow, then injects the fault and runs the request to its answer. */
async function runWithFault(flow: Flow, fault: { operation: string; status: number; errorType: string; times: number; message?: string }) {
  const event = await flow.prepare();
  endpoint.requests.length = 0;
  harness.sleeps.length = 0;
  endpoint.injectFault(fault);
  const response = await harness.answer(event, flow.context?.());
  return { event, response };
}

describe('a transient fault is retried with back-off and the request succeeds', () => {
  const cases = FLOW_OPERATIONS.flatMap(({ name, flow, operation }) =>
    TRANSIENT_FAULTS[serviceOf(operation)].map((fault) => ({ name, flow, operation, ...fault })));

  test.each(cases)('$name: $status $errorType on $operation', async ({ flow, operation, status, errorType }) => {
    const { event, response } = await runWithFault(flow, { operation, status, errorType, times: 2 });

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(response).toMatchObject(echoOf(event));
    const attempts = endpoint.requestsFor(operation).slice(0, 3);
    expect(attempts.map((r) => r.status < 300 ? 'ok' : r.status)).toEqual([status, status, 'ok']);
    // Every attempt is the same request, client token included.
    expect(new Set(attempts.map((r) => JSON.stringify([r.path, r.query, r.body]))).size).toBe(1);
    // Two back-offs, each within its jittered bound (half to all of 1 s, then of 2 s).
    const backOffs = harness.sleeps.filter((ms) => ms < POLL_INTERVAL_MS);
    expect(backOffs).toHaveLength(2);
    expect(backOffs[0]).toBeGreaterThanOrEqual(500);
    expect(backOffs[0]).toBeLessThanOrEqual(1_000);
    expect(backOffs[1]).toBeGreaterThanOrEqual(1_000);
    expect(backOffs[1]).toBeLessThanOrEqual(2_000);
    flow.expectDone(response);
  });
});

describe('a persistent fault fails the request after bounded attempts, naming the operation, the resource and the error', () => {
  // A promoted permission that cannot be deleted grants nothing once its share is gone: it is only logged (see below).
  const cases = FLOW_OPERATIONS.filter(({ operation }) => operation !== 'DeletePermission')
    .map(({ name, flow, operation }) => ({ name, flow, operation, ...TRANSIENT_FAULTS[serviceOf(operation)][0] }));

  test.each(cases)('$name: $operation', async ({ flow, operation, status, errorType }) => {
    const { event, response } = await runWithFault(flow, { operation, status, errorType, times: Infinity, message: 'Rate exceeded' });

    expect(response).toMatchObject({ Status: 'FAILED', ...echoOf(event) });
    const reason = `${operation} on ${flow.subjectOf(operation)} failed: ${errorType}: Rate exceeded`;
    expect(response.Reason).toBe(reason + (flow.reasonSuffixOf?.(operation, reason) ?? ''));
    expect(endpoint.requestsFor(operation).map((r) => r.status))
      .toEqual(Array(RETRY_ATTEMPTS * (flow.retriedCallsOf?.(operation) ?? 1)).fill(status));
  });

  test('Delete of a component policy: DeletePermission is logged and the Delete succeeds', async () => {
    const { response } = await runWithFault(FLOWS['Delete of a component policy'],
      { operation: 'DeletePermission', status: 429, errorType: 'ThrottlingException', times: Infinity });

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('DeletePermission')).toHaveLength(RETRY_ATTEMPTS);
    expect(harness.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'promoted permission left in place' }));
    expect(endpoint.resourceShares()).toEqual([]);
  });
});

describe('an error that is not worth another attempt fails the request at once', () => {
  /** What a failed Create answers with: no resource, or the policy it put (the rollback Delete removes that sharing). */
  const NOTHING_CREATED = (event: CustomResourceEvent) => `failed-create:Resource:${event.RequestId}`;
  const POLICY_PUT = () => `resource-policy:${COMPONENT}`;
  type AnsweredId = (event: CustomResourceEvent) => string;

  test.each<[string, string, number, string, AnsweredId]>([
    ['Create of a pipeline execution that waits', 'StartImagePipelineExecution', 400, 'IdempotentParameterMismatchException', NOTHING_CREATED],
    ['Create of a pipeline execution that waits', 'StartImagePipelineExecution', 403, 'ForbiddenException', NOTHING_CREATED],
    ['Create of a pipeline execution that waits', 'StartImagePipelineExecution', 404, 'ResourceNotFoundException', NOTHING_CREATED],
    ['Create of an image recipe policy', 'PutImageRecipePolicy', 400, 'InvalidParameterValueException', NOTHING_CREATED],
    ['Create of an image recipe policy', 'PutImageRecipePolicy', 404, 'ResourceNotFoundException', NOTHING_CREATED],
    ['Create of a component policy', 'PromotePermissionCreatedFromPolicy', 400, 'IdempotentParameterMismatchException', POLICY_PUT],
    ['Create of a component policy', 'PromoteResourceShareCreatedFromPolicy', 400, 'UnmatchedPolicyPermissionException', POLICY_PUT],
    ['Update of a component policy', 'DeleteResourceShare', 400, 'OperationNotPermittedException', NOTHING_CREATED],
    ['Delete of a pipeline execution', 'CancelImageCreation', 400, 'ClientException', NOTHING_CREATED],
  ])('%s: %s %s %s', async (name, operation, status, errorType, answeredId) => {
    const flow = FLOWS[name];

    const { event, response } = await runWithFault(flow, { operation, status, errorType, times: 1, message: 'refused' });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`${operation} on ${flow.subjectOf(operation)} failed: ${errorType}: refused`);
    expect(endpoint.requestsFor(operation)).toHaveLength(1);
    // An Update or Delete keeps its physical ID.
    expect(response.PhysicalResourceId).toBe(event.PhysicalResourceId ?? answeredId(event));
  });
});

describe('a resource already gone (404) lets a Delete succeed', () => {
  test.each([
    ['GetImage', 404, 'ResourceNotFoundException'],
    ['CancelImageCreation', 404, 'ResourceNotFoundException'],
  ])('Delete of a pipeline execution: %s %s %s', async (operation, status, errorType) => {
    const { event, response } = await runWithFault(FLOWS['Delete of a pipeline execution'], { operation, status, errorType, times: 1 });

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: FIRST_BUILD, ...echoOf(event) });
    expect(endpoint.requestsFor(operation).map((r) => r.status)).toEqual([status]);
  });

  test.each([
    ['DeleteResourceShare', 400, 'UnknownResourceException'],
    ['DeletePermission', 400, 'UnknownResourceException'],
  ])('Delete of a component policy: %s %s %s', async (operation, status, errorType) => {
    const { event, response } = await runWithFault(FLOWS['Delete of a component policy'], { operation, status, errorType, times: 1 });

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: `resource-policy:${COMPONENT}`, ...echoOf(event) });
  });
});

describe('an unknown resource type', () => {
  const REASON = 'unknown resource type Custom::Unknown';

  test('fails a Create naming it, under an ID that makes the rollback Delete a no-op', async () => {
    const event = harness.event({ RequestType: 'Create', ResourceType: 'Custom::Unknown', ResourceProperties: {} });

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'FAILED', Reason: REASON, PhysicalResourceId: `failed-create:Resource:${event.RequestId}`, ...echoOf(event) });
    expect(endpoint.requests).toEqual([]);
  });

  test('fails a Delete naming it, keeping the physical ID', async () => {
    const event = harness.event({ RequestType: 'Delete', ResourceType: 'Custom::Unknown', PhysicalResourceId: 'physical-1', ResourceProperties: {} });

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'FAILED', Reason: REASON, PhysicalResourceId: 'physical-1', ...echoOf(event) });
  });
});

describe('the response', () => {
  test('is one PUT to the response URL, without a content type', async () => {
    endpoint.addPipeline(PIPELINE);

    await harness.run(pipelineEvent('Create', { ...PIPELINE_PROPS, WaitForCompletion: 'false' }));

    const [sent] = harness.responseServer.responses;
    expect(sent.method).toBe('PUT');
    expect(`${harness.responseServer.url}${sent.path}`).toBe(harness.responseUrl);
    expect(sent.headers['content-type'] ?? '').toBe('');
    expect(Number(sent.headers['content-length'])).toBe(Buffer.byteLength(sent.rawBody));
  });

  test.each([
    ['x', 'x'],
    ['quotes', '"'],
    ['accented letters', 'é'],
    ['CJK characters', '構'],
  ])('shortens a long reason of %s so the body stays within CloudFormation\'s 4,096 bytes', async (_label, char) => {
    endpoint.addPipeline(PIPELINE, { outcome: 'FAILED', failureReason: char.repeat(5_000) });

    const response = await harness.run(pipelineEvent('Create', PIPELINE_PROPS));

    const sent = harness.responseServer.responses[0].rawBody;
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(4_096);
    expect(Buffer.byteLength(sent)).toBeGreaterThan(4_096 - 12);
    expect(response.Reason?.startsWith(`image build ${FIRST_BUILD} ended FAILED: ${char}`)).toBe(true);
    expect(response.Reason?.endsWith(`${char}...`)).toBe(true);
  });

  test('a response URL that refuses the answer fails the invocation, so Lambda retries it', async () => {
    endpoint.addPipeline(PIPELINE);
    harness.responseServer.statusCode = 403;
    const event = pipelineEvent('Create', { ...PIPELINE_PROPS, WaitForCompletion: 'false' });

    await expect(processEvent(event, harness.context(), harness.deps())).rejects.toThrow('the response URL answered HTTP 403');
  });
});

describe('the logs', () => {
  test('are structured entries: the request without its response URL, then the outcome', async () => {
    endpoint.addPipeline(PIPELINE);
    const event = pipelineEvent('Create', { ...PIPELINE_PROPS, WaitForCompletion: 'false' });

    await harness.run(event);

    const { ResponseURL: _url, ...withoutUrl } = event;
    expect(harness.logs[0]).toEqual({ level: 'info', message: 'request', event: withoutUrl });
    expect(harness.logs.at(-1)).toEqual({
      level: 'info', message: 'request succeeded', physicalResourceId: FIRST_BUILD, data: { ImageBuildVersionArn: FIRST_BUILD },
    });
  });

  test('a failure is logged with its reason', async () => {
    const event = pipelineEvent('Create', PIPELINE_PROPS);

    const response = await harness.run(event);

    expect(harness.logs).toContainEqual({ level: 'error', message: 'request failed', reason: response.Reason, requestType: 'Create', logicalResourceId: 'Resource' });
  });

  test('a continuation carries the response URL to the invocation that answers, yet neither logs it', async () => {
    endpoint.addPipeline(PIPELINE);

    const continuation = await harness.runHandingOver(
      pipelineEvent('Create', PIPELINE_PROPS), harness.context(POLL_INTERVAL_MS + HAND_OVER_MARGIN_MS + 10_000));
    await harness.run(continuation);

    expect(continuation.ResponseURL).toBe(harness.responseUrl);
    harness.expectResponseUrlNotLogged();
  });
});
