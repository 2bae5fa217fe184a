import { TagResourceCommand } from '@aws-sdk/client-ram';
import {
  CONTAINER_RECIPE, COMPONENT, echoOf, HAND_OVER_MARGIN_MS, IMAGE, IMAGE_RECIPE, outcomeOf, POLL_INTERVAL_MS, RESOURCE_POLICY, RETRY_ATTEMPTS,
  SUCCEEDED, useHarness,
} from './harness';
import { PROMOTED_TAG_KEY, PROMOTION_POLLS } from '../../../src/custom-resources/handler/resource-policy';

const harness = useHarness();
const { endpoint } = harness;

const PROMOTED_NAME = /^imagebuilder-policy-[0-9a-f]{16}$/;
/** The GetResourceShares after the promotion sees it finished (STANDARD) before the share is tagged. */
const CREATE_OPERATIONS = (putPolicy: string) => [
  putPolicy, 'ListResources', 'GetResourceShares', 'ListResourceSharePermissions',
  'PromotePermissionCreatedFromPolicy', 'PromoteResourceShareCreatedFromPolicy', 'GetResourceShares', 'TagResource',
];
/** Calls that change a share. */
const SHARE_CHANGES = ['PromoteResourceShareCreatedFromPolicy', 'TagResource', 'DisassociateResourceShare', 'DeleteResourceShare'];
const REMOVE_OPERATIONS = ['ListResources', 'GetResourceShares', 'ListResources', 'ListResourceSharePermissions', 'DeleteResourceShare', 'DeletePermission'];
/** The tags of the account's own share: none of them says the handler promoted it. */
const TEAM_TAGS = [{ key: 'team', value: 'platform' }];

/** Each resource kind with a resource policy: its ARN, its Put*Policy operation and that operation's ARN field. */
const KINDS: Array<[kind: string, arn: string, putPolicy: string, arnField: string]> = [
  ['component', COMPONENT, 'PutComponentPolicy', 'componentArn'],
  ['image', IMAGE, 'PutImagePolicy', 'imageArn'],
  ['image recipe', IMAGE_RECIPE, 'PutImageRecipePolicy', 'imageRecipeArn'],
  ['container recipe', CONTAINER_RECIPE, 'PutContainerRecipePolicy', 'containerRecipeArn'],
];

function policyFor(arn: string, account = '111122223333'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${account}:root`] }, Action: ['imagebuilder:Get*'], Resource: arn }],
  });
}

const physicalIdOf = (arn: string) => `resource-policy:${arn}`;

function createEvent(arn: string, policy = policyFor(arn), requestId?: string) {
  return harness.event({ RequestType: 'Create', ResourceType: RESOURCE_POLICY, ResourceProperties: { ResourceArn: arn, Policy: policy }, RequestId: requestId });
}

function updateEvent(arn: string, policy: string, old: { arn: string; policy: string }) {
  return harness.event({
    RequestType: 'Update',
    ResourceType: RESOURCE_POLICY,
    PhysicalResourceId: physicalIdOf(old.arn),
    ResourceProperties: { ResourceArn: arn, Policy: policy },
    OldResourceProperties: { ResourceArn: old.arn, Policy: old.policy },
  });
}

function deleteEvent(arn: string, physicalResourceId = physicalIdOf(arn)) {
  return harness.event({
    RequestType: 'Delete', ResourceType: RESOURCE_POLICY, PhysicalResourceId: physicalResourceId, ResourceProperties: { ResourceArn: arn, Policy: policyFor(arn) },
  });
}

/** Registers the resource and runs a successful Create for it; the request log starts empty afterwards. */
async function created(arn: string, policy = policyFor(arn)) {
  endpoint.addResource(arn);
  expect(outcomeOf(await harness.run(createEvent(arn, policy)))).toEqual(SUCCEEDED);
  endpoint.requests.length = 0;
}

/** The customer managed permissions promoted by the handler. */
const promotedPermissions = () => endpoint.managedPermissions().filter((p) => p.featureSet === 'STANDARD' && p.permissionType === 'CUSTOMER_MANAGED');

describe.each(KINDS)('%s', (_kind, arn, putPolicy, arnField) => {
  test('Create puts the policy, promotes its permission and then its share', async () => {
    endpoint.addResource(arn);
    const event = createEvent(arn);

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(arn), Data: { ResourceArn: arn }, ...echoOf(event) });
    expect(harness.operations()).toEqual(CREATE_OPERATIONS(putPolicy));
    expect(endpoint.requestsFor(putPolicy)[0].body).toEqual({ [arnField]: arn, policy: policyFor(arn) });
    expect(endpoint.policyOf(arn)).toBe(policyFor(arn));
    const [promoted] = promotedPermissions();
    expect(promoted.name).toMatch(PROMOTED_NAME);
    const share = endpoint.shareOf(arn)!;
    expect(share).toMatchObject({ featureSet: 'STANDARD', permissionArns: [promoted.arn] });
    expect(share.tags).toEqual([{ key: PROMOTED_TAG_KEY, value: arn }]);
  });

  test('Update of the policy alone removes the old sharing, then puts and promotes the new policy', async () => {
    const oldPolicy = policyFor(arn, '111122223333');
    await created(arn, oldPolicy);
    const oldShare = endpoint.shareOf(arn)!;
    const newPolicy = policyFor(arn, '444455556666');
    const event = updateEvent(arn, newPolicy, { arn, policy: oldPolicy });

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(arn), Data: { ResourceArn: arn }, ...echoOf(event) });
    expect(harness.operations()).toEqual([...REMOVE_OPERATIONS, ...CREATE_OPERATIONS(putPolicy)]);
    expect(endpoint.requestsFor('DeleteResourceShare')[0].query.resourceShareArn).toBe(oldShare.resourceShareArn);
    expect(endpoint.requestsFor('DeletePermission')[0].query.permissionArn).toBe(oldShare.permissionArns[0]);
    expect(endpoint.policyOf(arn)).toBe(newPolicy);
    const newShare = endpoint.shareOf(arn)!;
    expect(newShare.resourceShareArn).not.toBe(oldShare.resourceShareArn);
    expect(newShare.featureSet).toBe('STANDARD');
    expect(promotedPermissions().map((p) => p.arn)).toEqual(newShare.permissionArns);
  });

  test('Delete removes the share, the policy and the promoted permission', async () => {
    await created(arn);
    const event = deleteEvent(arn);

    const response = await harness.run(event);

    expect(response).toEqual({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(arn), ...echoOf(event) });
    expect(harness.operations()).toEqual(REMOVE_OPERATIONS);
    expect(endpoint.resourceShares()).toEqual([]);
    expect(endpoint.policyOf(arn)).toBeUndefined();
    expect(endpoint.managedPermissions()).toEqual([]);
  });

  test('Create of a resource that does not exist fails naming the operation, the resource and the 404', async () => {
    const event = createEvent(arn);

    const response = await harness.run(event);

    expect(response).toEqual({
      Status: 'FAILED',
      Reason: `${putPolicy} on ${arn} failed: ResourceNotFoundException: the resource ${arn} does not exist`,
      PhysicalResourceId: `failed-create:Resource:${event.RequestId}`,
      ...echoOf(event),
    });
    expect(endpoint.requestsFor(putPolicy)).toHaveLength(1);
  });
});

describe('Create', () => {
  test('a policy matching an AWS managed permission promotes the share without promoting a permission', async () => {
    endpoint.options.policyMatchesAwsManagedPermission = true;
    endpoint.addResource(COMPONENT);

    const response = await harness.run(createEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual([
      'PutComponentPolicy', 'ListResources', 'GetResourceShares', 'ListResourceSharePermissions', 'PromoteResourceShareCreatedFromPolicy',
      'GetResourceShares', 'TagResource',
    ]);
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', permissionArns: [expect.stringContaining(':aws:permission/')] });
  });

  test('run twice, the same Create leaves one promoted share and one promoted permission', async () => {
    endpoint.addResource(COMPONENT);
    const event = createEvent(COMPONENT);

    const first = await harness.run(event);
    const second = await harness.run(event);

    expect(second).toEqual(first);
    expect(endpoint.resourceShares()).toHaveLength(1);
    expect(promotedPermissions()).toHaveLength(1);
  });

  test('after a failed promotion, the repeated Create promotes the permission with the same name and client token', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.injectFault({ operation: 'PromoteResourceShareCreatedFromPolicy', status: 500, errorType: 'ServerInternalException', times: RETRY_ATTEMPTS });
    const event = createEvent(COMPONENT);
    expect((await harness.run(event)).Status).toBe('FAILED');

    const response = await harness.run(event);

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    const [first, again] = endpoint.requestsFor('PromotePermissionCreatedFromPolicy');
    expect(again.body).toEqual(first.body);
    expect(first.body).toEqual({ permissionArn: expect.any(String), name: expect.stringMatching(PROMOTED_NAME), clientToken: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(promotedPermissions()).toHaveLength(1);
    expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('STANDARD');
  });

  test.each(['PromotePermissionCreatedFromPolicy', 'PromoteResourceShareCreatedFromPolicy'])(
    'failing at %s after putting the policy answers with its physical ID, and the rollback Delete removes that sharing', async (operation) => {
      endpoint.addResource(COMPONENT);
      endpoint.injectFault({ operation, status: 500, errorType: 'ServerInternalException', times: RETRY_ATTEMPTS });
      const create = await harness.run(createEvent(COMPONENT));
      expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT) });
      expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('CREATED_FROM_POLICY');

      const rollback = await harness.run(deleteEvent(COMPONENT, create.PhysicalResourceId));

      expect(outcomeOf(rollback)).toEqual(SUCCEEDED);
      expect(endpoint.resourceShares()).toEqual([]);
      expect(endpoint.policyOf(COMPONENT)).toBeUndefined();
      expect(endpoint.managedPermissions()).toEqual([]);
    });

  test('a share that can never be promoted fails the Create, and the rollback Delete logs it and succeeds', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.injectFault({ operation: 'PromoteResourceShareCreatedFromPolicy', status: 400, errorType: 'UnmatchedPolicyPermissionException', times: Infinity });
    const create = await harness.run(createEvent(COMPONENT));
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT) });

    const rollback = await harness.run(deleteEvent(COMPONENT, create.PhysicalResourceId));

    expect(outcomeOf(rollback)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('DeleteResourceShare')).toEqual([]);
    expect(harness.logs).toContainEqual(expect.objectContaining({
      level: 'warn', message: 'share created from the policy left in place', resourceShareArn: endpoint.shareOf(COMPONENT)!.resourceShareArn,
    }));
  });

  test('a share the service creates shortly after the policy is looked for again, with growing pauses', async () => {
    endpoint.options.listingsBeforeShareAppears = 2;
    endpoint.addResource(COMPONENT);

    const response = await harness.run(createEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('ListResources')).toHaveLength(3);
    expect(harness.sleeps).toEqual([1_000, 2_000]);
    expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('STANDARD');
  });

  test('a share that never appears fails after six lookups', async () => {
    endpoint.options.listingsBeforeShareAppears = 100;
    endpoint.addResource(COMPONENT);

    const response = await harness.run(createEvent(COMPONENT));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`PromoteResourceShareCreatedFromPolicy on ${COMPONENT} failed: no AWS RAM resource share was created from the policy`);
    expect(endpoint.requestsFor('ListResources')).toHaveLength(6);
    expect(harness.sleeps).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  test('an ARN of a resource without a resource policy fails before calling anything', async () => {
    const pipelineArn = 'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/golden';

    const response = await harness.run(createEvent(pipelineArn));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe(`cannot put a resource policy on ${pipelineArn}: not a component, image or recipe`);
    expect(endpoint.requests).toEqual([]);
  });
});

describe('Update', () => {
  test('a new resource ARN shares the new resource under a new physical ID and leaves the old one to the Delete', async () => {
    const other = `${IMAGE_RECIPE.replace('golden', 'other')}`;
    await created(IMAGE_RECIPE);
    endpoint.addResource(other);

    const response = await harness.run(updateEvent(other, policyFor(other), { arn: IMAGE_RECIPE, policy: policyFor(IMAGE_RECIPE) }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(other) });
    expect(harness.operations()).toEqual(CREATE_OPERATIONS('PutImageRecipePolicy'));
    expect(endpoint.shareOf(IMAGE_RECIPE)?.featureSet).toBe('STANDARD');
    expect(endpoint.shareOf(other)?.featureSet).toBe('STANDARD');
  });

  test('to another resource that fails after putting its policy removes that sharing and keeps the old physical ID', async () => {
    const other = `${IMAGE_RECIPE.replace('golden', 'other')}`;
    await created(IMAGE_RECIPE);
    endpoint.addResource(other);
    endpoint.injectFault({ operation: 'PromoteResourceShareCreatedFromPolicy', status: 500, errorType: 'ServerInternalException', times: RETRY_ATTEMPTS });

    const response = await harness.run(updateEvent(other, policyFor(other), { arn: IMAGE_RECIPE, policy: policyFor(IMAGE_RECIPE) }));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(IMAGE_RECIPE) });
    expect(response.Reason).toMatch(/^PromoteResourceShareCreatedFromPolicy on \S+ failed: ServerInternalException: .*; the sharing it had started was removed$/);
    expect(endpoint.shareOf(other)).toBeUndefined();
    expect(endpoint.policyOf(other)).toBeUndefined();
    expect(endpoint.shareOf(IMAGE_RECIPE)?.featureSet).toBe('STANDARD');
  });

  test('to another resource that fails after putting its policy, and then fails to remove that sharing, names both failures', async () => {
    const other = `${IMAGE_RECIPE.replace('golden', 'other')}`;
    await created(IMAGE_RECIPE);
    const oldShare = endpoint.shareOf(IMAGE_RECIPE)!;
    endpoint.addResource(other);
    endpoint.injectFault({ operation: 'PromoteResourceShareCreatedFromPolicy', status: 500, errorType: 'ServerInternalException', times: RETRY_ATTEMPTS });
    endpoint.injectFault({ operation: 'DeleteResourceShare', status: 400, errorType: 'OperationNotPermittedException', message: 'share is busy' });

    const response = await harness.run(updateEvent(other, policyFor(other), { arn: IMAGE_RECIPE, policy: policyFor(IMAGE_RECIPE) }));

    const share = endpoint.shareOf(other)!;
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(IMAGE_RECIPE) });
    expect(response.Reason).toBe(
      `PromoteResourceShareCreatedFromPolicy on ${share.resourceShareArn} failed: ServerInternalException: injected ServerInternalException; ` +
      `the sharing it had started could not be removed: DeleteResourceShare on ${share.resourceShareArn} failed: OperationNotPermittedException: share is busy`);
    expect(endpoint.requestsFor('DeleteResourceShare').map((r) => [r.query.resourceShareArn, r.status])).toEqual([[share.resourceShareArn, 400]]);
    // The cleanup promoted and tagged the share before it failed to delete it: it is still there, as the reason says.
    expect(share).toMatchObject({ featureSet: 'STANDARD', resourceArns: [other], tags: [{ key: PROMOTED_TAG_KEY, value: other }] });
    expect(endpoint.policyOf(other)).toBe(policyFor(other));
    expect(endpoint.shareOf(IMAGE_RECIPE)).toEqual(oldShare);
  });

  describe('the rollback of a move to another resource that failed and could not remove that sharing', () => {
    const other = `${IMAGE_RECIPE.replace('golden', 'other')}`;
    /** CloudFormation's rollback Update: the old properties back, under the physical ID the failed Update kept. */
    const rollbackEvent = () => harness.event({
      RequestType: 'Update',
      ResourceType: RESOURCE_POLICY,
      PhysicalResourceId: physicalIdOf(IMAGE_RECIPE),
      ResourceProperties: { ResourceArn: IMAGE_RECIPE, Policy: policyFor(IMAGE_RECIPE) },
      OldResourceProperties: { ResourceArn: other, Policy: policyFor(other) },
    });

    beforeEach(async () => {
      await created(IMAGE_RECIPE);
      endpoint.addResource(other);
      endpoint.injectFault({ operation: 'PromoteResourceShareCreatedFromPolicy', status: 500, errorType: 'ServerInternalException', times: RETRY_ATTEMPTS });
      endpoint.injectFault({ operation: 'DeleteResourceShare', status: 400, errorType: 'OperationNotPermittedException', message: 'share is busy' });
      const failed = await harness.run(updateEvent(other, policyFor(other), { arn: IMAGE_RECIPE, policy: policyFor(IMAGE_RECIPE) }));
      expect(failed.Reason).toMatch(/the sharing it had started could not be removed/);
      expect(endpoint.shareOf(other)).toBeDefined();
    });

    test('removes that sharing, since no Delete will come for it, and shares the old resource again', async () => {
      const stranded = endpoint.shareOf(other)!;

      const response = await harness.run(rollbackEvent());

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(IMAGE_RECIPE) });
      expect(endpoint.requestsFor('DeleteResourceShare').map((r) => [r.query.resourceShareArn, r.status]))
        .toContainEqual([stranded.resourceShareArn, 200]);
      expect(endpoint.shareOf(other)).toBeUndefined();
      expect(endpoint.policyOf(other)).toBeUndefined();
      expect(endpoint.policyOf(IMAGE_RECIPE)).toBe(policyFor(IMAGE_RECIPE));
      expect(endpoint.shareOf(IMAGE_RECIPE)).toMatchObject({ featureSet: 'STANDARD', tags: [{ key: PROMOTED_TAG_KEY, value: IMAGE_RECIPE }] });
    });

    test('logs it and still succeeds when that sharing cannot be removed this time either', async () => {
      endpoint.injectFault({ operation: 'DeleteResourceShare', status: 400, errorType: 'OperationNotPermittedException', message: 'share is busy' });

      const response = await harness.run(rollbackEvent());

      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(IMAGE_RECIPE) });
      expect(harness.logs).toContainEqual(expect.objectContaining({
        level: 'warn',
        message: 'sharing of the resource a failed update had moved to left in place',
        resourceArn: other,
        reason: expect.stringMatching(/^DeleteResourceShare on \S+ failed: OperationNotPermittedException: share is busy$/),
      }));
      expect(endpoint.shareOf(other)).toBeDefined();
      expect(endpoint.shareOf(IMAGE_RECIPE)).toMatchObject({ featureSet: 'STANDARD', tags: [{ key: PROMOTED_TAG_KEY, value: IMAGE_RECIPE }] });
    });
  });

  test('of the policy alone that fails after putting it is undone by the rollback Update', async () => {
    const policyA = policyFor(COMPONENT, '111122223333');
    const policyB = policyFor(COMPONENT, '444455556666');
    await created(COMPONENT, policyA);
    endpoint.injectFault({ operation: 'PromoteResourceShareCreatedFromPolicy', status: 500, errorType: 'ServerInternalException', times: RETRY_ATTEMPTS });
    const failed = await harness.run(updateEvent(COMPONENT, policyB, { arn: COMPONENT, policy: policyA }));
    expect(failed).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT) });
    expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('CREATED_FROM_POLICY');

    const rollback = await harness.run(updateEvent(COMPONENT, policyA, { arn: COMPONENT, policy: policyB }));

    expect(outcomeOf(rollback)).toEqual(SUCCEEDED);
    expect(endpoint.policyOf(COMPONENT)).toBe(policyA);
    expect(endpoint.resourceShares()).toHaveLength(1);
    expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('STANDARD');
  });

  test('back to an earlier policy after a permission was left in place reuses that permission', async () => {
    // The Update to policy B cannot delete A's promoted permission (RAM may still be detaching it).
    const policyA = policyFor(COMPONENT, '111122223333');
    const policyB = policyFor(COMPONENT, '444455556666');
    await created(COMPONENT, policyA);
    const [leftOver] = promotedPermissions();
    endpoint.injectFault({ operation: 'DeletePermission', status: 400, errorType: 'OperationNotPermittedException' });
    expect(outcomeOf(await harness.run(updateEvent(COMPONENT, policyB, { arn: COMPONENT, policy: policyA })))).toEqual(SUCCEEDED);

    const response = await harness.run(updateEvent(COMPONENT, policyA, { arn: COMPONENT, policy: policyB }));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', permissionArns: [leftOver.arn] });
    expect(endpoint.policyOf(COMPONENT)).toBe(policyA);
  });
});

describe('Delete', () => {
  test('of a resource RAM no longer knows (UnknownResourceException) succeeds and changes nothing', async () => {
    await created(COMPONENT);
    const sharesBefore = JSON.stringify(endpoint.resourceShares());
    endpoint.injectFault({ operation: 'ListResources', status: 400, errorType: 'UnknownResourceException' });

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['ListResources']);
    expect(JSON.stringify(endpoint.resourceShares())).toEqual(sharesBefore);
  });

  test('fails on another error of ListResources, naming it', async () => {
    await created(COMPONENT);
    endpoint.injectFault({ operation: 'ListResources', status: 400, errorType: 'AccessDeniedException' });

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual({
      Status: 'FAILED',
      Reason: `ListResources on ${COMPONENT} failed: AccessDeniedException: injected AccessDeniedException`,
    });
  });

  test('of a resource whose share holds other resources too takes only this resource out of the share', async () => {
    await created(COMPONENT);
    const share = endpoint.shareOf(COMPONENT)!;
    endpoint.addToShare(share.resourceShareArn, IMAGE_RECIPE);
    const event = deleteEvent(COMPONENT);

    const response = await harness.run(event);

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['ListResources', 'GetResourceShares', 'ListResources', 'DisassociateResourceShare']);
    expect(endpoint.requestsFor('DisassociateResourceShare')[0].body).toEqual({
      resourceShareArn: share.resourceShareArn, resourceArns: [COMPONENT], clientToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(endpoint.shareOf(COMPONENT)).toBeUndefined();
    expect(endpoint.shareOf(IMAGE_RECIPE)).toMatchObject({ resourceShareArn: share.resourceShareArn, permissionArns: share.permissionArns });
  });

  test('reads every page of RAM\'s answers', async () => {
    await created(COMPONENT);
    const share = endpoint.shareOf(COMPONENT)!;
    endpoint.addToShare(share.resourceShareArn, IMAGE_RECIPE);
    endpoint.addToShare(share.resourceShareArn, CONTAINER_RECIPE);
    endpoint.pageSize = 1;

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    // The share's three resources come one a page; the other two keep it alive.
    expect(endpoint.requestsFor('ListResources').map((r) => r.body.nextToken)).toEqual([undefined, undefined, 'offset-1', 'offset-2']);
    expect(endpoint.requestsFor('DisassociateResourceShare')).toHaveLength(1);
    expect(endpoint.shareOf(IMAGE_RECIPE)?.resourceArns).toEqual([IMAGE_RECIPE, CONTAINER_RECIPE]);
  });

  test('a policy matching an AWS managed permission leaves that permission alone', async () => {
    endpoint.options.policyMatchesAwsManagedPermission = true;
    await created(COMPONENT);

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).not.toContain('DeletePermission');
    expect(endpoint.resourceShares()).toEqual([]);
  });

  test('of a resource no longer shared succeeds without changing anything', async () => {
    const response = await harness.run(deleteEvent(COMPONENT));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(COMPONENT) });
    expect(harness.operations()).toEqual(['ListResources']);
  });

  test('after a failed Create succeeds without calling anything', async () => {
    const response = await harness.run(deleteEvent(COMPONENT, 'failed-create:Resource:request-1'));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'failed-create:Resource:request-1' });
    expect(endpoint.requests).toEqual([]);
  });

  test('run twice, the same Delete succeeds both times', async () => {
    await created(COMPONENT);
    const event = deleteEvent(COMPONENT);

    const responses = [await harness.run(event), await harness.run(event)];

    expect(responses.map((r) => r.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(endpoint.requestsFor('DeleteResourceShare')).toHaveLength(1);
  });

  test.each([
    ['the share', 'DeleteResourceShare'],
    ['the promoted permission', 'DeletePermission'],
  ])('when %s is already gone (UnknownResourceException) succeeds', async (_what, operation) => {
    await created(COMPONENT);
    endpoint.injectFault({ operation, status: 400, errorType: 'UnknownResourceException' });

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor(operation).map((r) => r.status)).toEqual([400]);
    expect(harness.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  test('a promoted permission RAM will not delete yet is logged and left in place', async () => {
    await created(COMPONENT);
    const [permission] = promotedPermissions();
    endpoint.injectFault({ operation: 'DeletePermission', status: 400, errorType: 'OperationNotPermittedException', message: 'still associated' });

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.logs).toContainEqual(expect.objectContaining({
      level: 'warn', permissionArn: permission.arn, reason: expect.stringContaining('OperationNotPermittedException: still associated'),
    }));
  });
});

describe('shares the handler did not promote', () => {
  test('Create promotes the share created from the policy although the account\'s own share of the resource is listed before it appears', async () => {
    endpoint.addResource(COMPONENT);
    const own = endpoint.addOwnResourceShare(COMPONENT, { tags: TEAM_TAGS });
    const ownAsCreated = endpoint.resourceShare(own);
    endpoint.options.listingsBeforeShareAppears = 2;

    const response = await harness.run(createEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('ListResources')).toHaveLength(3);
    const share = endpoint.shareOf(COMPONENT)!;
    expect(share).toMatchObject({ featureSet: 'STANDARD', resourceArns: [COMPONENT] });
    expect(share.tags).toEqual([{ key: PROMOTED_TAG_KEY, value: COMPONENT }]);
    expect(endpoint.resourceShare(own)).toEqual(ownAsCreated);
    expect(changesTo(own)).toEqual([]);
  });

  test('Delete removes the share the handler promoted and leaves the account\'s own share of the resource as it is', async () => {
    await created(COMPONENT);
    const promoted = endpoint.shareOf(COMPONENT)!;
    const own = endpoint.addOwnResourceShare(COMPONENT, { tags: TEAM_TAGS });
    const ownAsCreated = endpoint.resourceShare(own);

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('DeleteResourceShare').map((r) => r.query.resourceShareArn)).toEqual([promoted.resourceShareArn]);
    expect(endpoint.resourceShares().map((s) => s.resourceShareArn)).toEqual([own]);
    expect(endpoint.resourceShare(own)).toEqual(ownAsCreated);
    expect(changesTo(own)).toEqual([]);
    expect(promotedPermissions()).toEqual([]);
    expect(harness.logs).toContainEqual(expect.objectContaining({ message: 'share of the account left alone', resourceShareArn: own }));
  });

  test('Update of the policy replaces the share the handler promoted and leaves the account\'s own share of the resource as it is', async () => {
    const oldPolicy = policyFor(COMPONENT, '111122223333');
    await created(COMPONENT, oldPolicy);
    const oldShare = endpoint.shareOf(COMPONENT)!;
    const own = endpoint.addOwnResourceShare(COMPONENT, { tags: TEAM_TAGS });
    const ownAsCreated = endpoint.resourceShare(own);
    const newPolicy = policyFor(COMPONENT, '444455556666');

    const response = await harness.run(updateEvent(COMPONENT, newPolicy, { arn: COMPONENT, policy: oldPolicy }));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(endpoint.requestsFor('DeleteResourceShare').map((r) => r.query.resourceShareArn)).toEqual([oldShare.resourceShareArn]);
    const newShare = endpoint.shareOf(COMPONENT)!;
    expect(newShare.resourceShareArn).not.toBe(oldShare.resourceShareArn);
    expect(newShare.featureSet).toBe('STANDARD');
    expect(newShare.tags).toEqual([{ key: PROMOTED_TAG_KEY, value: COMPONENT }]);
    expect(endpoint.resourceShare(own)).toEqual(ownAsCreated);
    expect(changesTo(own)).toEqual([]);
  });

  test('Delete of a resource only the account\'s own share holds changes no share', async () => {
    const own = endpoint.addOwnResourceShare(COMPONENT, { tags: TEAM_TAGS });
    endpoint.addToShare(own, IMAGE_RECIPE);
    const ownAsCreated = endpoint.resourceShare(own);

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['ListResources', 'GetResourceShares']);
    expect(endpoint.resourceShare(own)).toEqual(ownAsCreated);
  });

  test('a share the handler promoted for another resource is left alone when this resource is in it too', async () => {
    await created(IMAGE_RECIPE);
    const recipeShare = endpoint.shareOf(IMAGE_RECIPE)!;
    endpoint.addToShare(recipeShare.resourceShareArn, COMPONENT);

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(changesTo(recipeShare.resourceShareArn)).toEqual([]);
    expect(endpoint.shareOf(IMAGE_RECIPE)?.resourceArns).toEqual([IMAGE_RECIPE, COMPONENT]);
  });

  test('a share that cannot be tagged after its promotion is deleted, and the Create fails naming TagResource', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.injectFault({ operation: 'TagResource', status: 400, errorType: 'TagPolicyViolationException', message: 'tag not allowed' });

    const response = await harness.run(createEvent(COMPONENT));

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT) });
    expect(response.Reason).toMatch(/^TagResource on arn:aws:ram:\S+ failed: TagPolicyViolationException: tag not allowed; the share was deleted$/);
    expect(endpoint.resourceShares()).toEqual([]);
    expect(endpoint.policyOf(COMPONENT)).toBeUndefined();
  });

  test('a share that can be neither tagged nor deleted after its promotion fails the Create naming both failures', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.injectFault({ operation: 'TagResource', status: 400, errorType: 'TagPolicyViolationException', message: 'tag not allowed' });
    endpoint.injectFault({ operation: 'DeleteResourceShare', status: 400, errorType: 'OperationNotPermittedException', message: 'share is busy' });

    const response = await harness.run(createEvent(COMPONENT));

    const share = endpoint.shareOf(COMPONENT)!;
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT) });
    expect(response.Reason).toBe(`TagResource on ${share.resourceShareArn} failed: TagPolicyViolationException: tag not allowed; ` +
      `the share could not be deleted either: DeleteResourceShare on ${share.resourceShareArn} failed: OperationNotPermittedException: share is busy`);
    expect(endpoint.requestsFor('DeleteResourceShare').map((r) => [r.query.resourceShareArn, r.status])).toEqual([[share.resourceShareArn, 400]]);
    // Neither deleted nor tagged: the promoted share and the policy are still there.
    expect(share).toMatchObject({ featureSet: 'STANDARD', resourceArns: [COMPONENT], tags: [] });
    expect(endpoint.policyOf(COMPONENT)).toBe(policyFor(COMPONENT));
  });
});

describe('promotions RAM finishes in the background', () => {
  const PROMOTE_SHARE = 'PromoteResourceShareCreatedFromPolicy';
  /** What the Create before the promotion calls. */
  const BEFORE_PROMOTION = ['PutComponentPolicy', 'ListResources', 'GetResourceShares', 'ListResourceSharePermissions', 'PromotePermissionCreatedFromPolicy'];
  /** The operations called after the last call of `operation`. */
  const operationsAfter = (operation: string) => harness.operations().slice(harness.operations().lastIndexOf(operation) + 1);
  /** A share that RAM finishes promoting only after the Create has given up on it. */
  async function createdWhilePromoting(event = createEvent(COMPONENT)) {
    endpoint.addResource(COMPONENT);
    endpoint.options.callsWhileSharePromotes = PROMOTION_POLLS + 3;
    const create = await harness.run(event);
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT) });
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'PROMOTING_TO_STANDARD', tags: [] });
    endpoint.requests.length = 0;
    return create;
  }

  test('a share PROMOTING_TO_STANDARD for a few polls is tagged only once it is STANDARD', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.options.callsWhileSharePromotes = 3;

    const response = await harness.run(createEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual([...BEFORE_PROMOTION, PROMOTE_SHARE,
      'GetResourceShares', 'GetResourceShares', 'GetResourceShares', 'GetResourceShares', 'TagResource']);
    expect(harness.sleeps).toHaveLength(3);
    harness.sleeps.forEach((ms) => expect(ms).toBeLessThanOrEqual(POLL_INTERVAL_MS));
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', tags: [{ key: PROMOTED_TAG_KEY, value: COMPONENT }] });
  });

  test('a share that never finishes promoting fails the Create naming it; the rollback Delete fails too rather than lose it', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.options.callsWhileSharePromotes = Infinity;

    const create = await harness.run(createEvent(COMPONENT));

    const share = endpoint.shareOf(COMPONENT)!;
    const unfinished = `PromoteResourceShareCreatedFromPolicy on ${share.resourceShareArn} did not finish: the share was still PROMOTING_TO_STANDARD ` +
      `after ${PROMOTION_POLLS} polls; a later request for the resource waits for it again`;
    expect(create).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT), Reason: unfinished });
    expect(operationsAfter(PROMOTE_SHARE)).toEqual(Array(PROMOTION_POLLS).fill('GetResourceShares'));
    endpoint.requests.length = 0;

    const rollback = await harness.run(deleteEvent(COMPONENT, create.PhysicalResourceId));

    expect(rollback).toMatchObject({ Status: 'FAILED', Reason: unfinished });
    expect(changesTo(share.resourceShareArn)).toEqual([]);
    expect(endpoint.shareOf(COMPONENT)).toEqual(share);
  });

  test('Delete during the promotion waits for it, then removes the share and its permission: nothing is left shared', async () => {
    const create = await createdWhilePromoting();
    const share = endpoint.shareOf(COMPONENT)!;

    const rollback = await harness.run(deleteEvent(COMPONENT, create.PhysicalResourceId));

    expect(outcomeOf(rollback)).toEqual(SUCCEEDED);
    // Tagged first, so that a failure after it leaves a share the next request recognises.
    expect(harness.operations()).toEqual(['ListResources', 'GetResourceShares', 'GetResourceShares', 'GetResourceShares', 'TagResource',
      'ListResources', 'ListResourceSharePermissions', 'DeleteResourceShare', 'DeletePermission']);
    expect(endpoint.requestsFor('DeleteResourceShare').map((r) => [r.query.resourceShareArn, r.status])).toEqual([[share.resourceShareArn, 200]]);
    expect(endpoint.resourceShares()).toEqual([]);
    expect(endpoint.policyOf(COMPONENT)).toBeUndefined();
    expect(endpoint.managedPermissions()).toEqual([]);
  });

  test('a share found PROMOTING_TO_STANDARD by a repeated Create is waited for and tagged, not promoted again', async () => {
    const event = createEvent(COMPONENT);
    await createdWhilePromoting(event);

    const response = await harness.run(event);

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual(['PutComponentPolicy', 'ListResources', 'GetResourceShares', 'GetResourceShares', 'GetResourceShares', 'TagResource']);
    expect(endpoint.requestsFor(PROMOTE_SHARE)).toEqual([]);
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', tags: [{ key: PROMOTED_TAG_KEY, value: COMPONENT }] });
  });

  test('a share found PROMOTING_TO_STANDARD that someone else tags once it is STANDARD is theirs and left alone', async () => {
    const event = createEvent(COMPONENT);
    await createdWhilePromoting(event);
    const resourceShareArn = endpoint.shareOf(COMPONENT)!.resourceShareArn;
    const deps = harness.deps.bind(harness);
    // While the handler waits, RAM finishes and the account tags the share as its own.
    const spy = jest.spyOn(harness, 'deps').mockImplementation(() => {
      const real = deps();
      return {
        ...real,
        retry: {
          ...real.retry,
          sleep: async (ms) => {
            if (endpoint.shareOf(COMPONENT)?.tags.length === 0) {
              endpoint.finishPromotions();
              await real.ram.send(new TagResourceCommand({ resourceShareArn, tags: TEAM_TAGS }));
            }
            await real.retry.sleep(ms);
          },
        },
      };
    });

    const response = await harness.run(event).finally(() => spy.mockRestore());

    // Without a share of its own the handler finds no sign of the policy's sharing.
    expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('no AWS RAM resource share was created from the policy') });
    expect(endpoint.requestsFor('TagResource').map((r) => r.body.tags)).toEqual([TEAM_TAGS]);
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', tags: TEAM_TAGS });
  });

  test('while the permission is still promoting, the share\'s promotion is tried again until the permission matches', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.options.callsWhilePermissionPromotes = 2;

    const response = await harness.run(createEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    expect(harness.operations()).toEqual([...BEFORE_PROMOTION, PROMOTE_SHARE, 'GetResourceShares', PROMOTE_SHARE, 'GetResourceShares', 'TagResource']);
    expect(endpoint.requestsFor(PROMOTE_SHARE).map((r) => r.status)).toEqual([400, 200]);
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', tags: [{ key: PROMOTED_TAG_KEY, value: COMPONENT }] });
  });

  test('a permission that never finishes promoting fails the Create after bounded attempts, naming the share', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.options.callsWhilePermissionPromotes = Infinity;

    const response = await harness.run(createEvent(COMPONENT));

    const share = endpoint.shareOf(COMPONENT)!;
    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalIdOf(COMPONENT) });
    expect(response.Reason).toMatch(new RegExp(`^PromoteResourceShareCreatedFromPolicy on ${share.resourceShareArn} failed: ` +
      `UnmatchedPolicyPermissionException: .+; tried ${PROMOTION_POLLS} times while the permission it needs was being promoted$`));
    expect(endpoint.requestsFor(PROMOTE_SHARE)).toHaveLength(PROMOTION_POLLS);
    expect(share).toMatchObject({ featureSet: 'CREATED_FROM_POLICY', tags: [] });
  });

  test('a promotion longer than the function has time for fails in time to answer', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.options.callsWhileSharePromotes = Infinity;
    const spare = 20_000;

    const response = await harness.run(createEvent(COMPONENT), harness.context(HAND_OVER_MARGIN_MS + spare));

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/the share was still PROMOTING_TO_STANDARD when the function ran short of time, after \d+ polls/);
    expect(harness.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(spare);
    expect(endpoint.requestsFor('GetResourceShares').length).toBeLessThan(PROMOTION_POLLS + 1);
  });
});

describe('client tokens', () => {
  test('each call of a removal has a token of its own: the share\'s deletion and each of its permissions\'', async () => {
    // A permission the handler promoted for another resource, left over and then associated with this share too.
    await created(IMAGE_RECIPE);
    const [recipePermission] = promotedPermissions();
    endpoint.injectFault({ operation: 'DeletePermission', status: 400, errorType: 'OperationNotPermittedException' });
    expect(outcomeOf(await harness.run(deleteEvent(IMAGE_RECIPE)))).toEqual(SUCCEEDED);
    await created(COMPONENT);
    const share = endpoint.shareOf(COMPONENT)!;
    endpoint.addPermissionToShare(share.resourceShareArn, recipePermission.arn);

    const response = await harness.run(deleteEvent(COMPONENT));

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    const deletions = endpoint.requestsFor('DeletePermission');
    expect(deletions.map((r) => r.query.permissionArn)).toEqual([...share.permissionArns, recipePermission.arn]);
    const tokens = [...endpoint.requestsFor('DeleteResourceShare'), ...deletions].map((r) => r.query.clientToken);
    expect(tokens).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.any(String), expect.any(String)]);
    expect(new Set(tokens).size).toBe(3);
    expect(deletions.map((r) => r.status)).toEqual([200, 200]);
    expect(endpoint.managedPermissions()).toEqual([]);
  });

  test('a repeated Delete sends the tokens of its first attempt', async () => {
    await created(COMPONENT);
    endpoint.injectFault({ operation: 'DeleteResourceShare', status: 400, errorType: 'OperationNotPermittedException' });
    const event = deleteEvent(COMPONENT);
    expect((await harness.run(event)).Status).toBe('FAILED');

    const response = await harness.run(event);

    expect(outcomeOf(response)).toEqual(SUCCEEDED);
    const [failed, again] = endpoint.requestsFor('DeleteResourceShare');
    expect(again.query).toEqual(failed.query);
    expect(again.status).toBe(200);
  });
});

/** The calls that changed the share. */
function changesTo(resourceShareArn: string): string[] {
  return endpoint.requests
    .filter((r) => SHARE_CHANGES.includes(r.operation) && (r.query.resourceShareArn ?? r.body?.resourceShareArn) === resourceShareArn)
    .map((r) => r.operation);
}
