import {
  CallRateLimitExceededException,
  CancelImageCreationCommand,
  GetComponentPolicyCommand,
  GetContainerRecipePolicyCommand,
  GetImageCommand,
  GetImagePolicyCommand,
  GetImageRecipePolicyCommand,
  GetLifecycleExecutionCommand,
  IdempotentParameterMismatchException,
  ImagebuilderClient,
  InvalidPaginationTokenException,
  InvalidParameterValueException,
  InvalidRequestException,
  ListImagePipelineImagesCommand,
  paginateListImagePipelineImages,
  PutComponentPolicyCommand,
  PutContainerRecipePolicyCommand,
  PutImagePolicyCommand,
  PutImageRecipePolicyCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ServiceException,
  StartImagePipelineExecutionCommand,
  StartResourceStateUpdateCommand,
} from '@aws-sdk/client-imagebuilder';
import { InvokeCommand, LambdaClient, ResourceNotFoundException as LambdaResourceNotFoundException } from '@aws-sdk/client-lambda';
import {
  DeletePermissionCommand,
  DeleteResourceShareCommand,
  DisassociateResourceShareCommand,
  GetResourceSharesCommand,
  IdempotentParameterMismatchException as RamIdempotentParameterMismatchException,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidStateTransitionException,
  ListResourcesCommand,
  ListResourceSharePermissionsCommand,
  OperationNotPermittedException,
  paginateGetResourceShares,
  paginateListResources,
  PermissionAlreadyExistsException,
  PromotePermissionCreatedFromPolicyCommand,
  PromoteResourceShareCreatedFromPolicyCommand,
  RAMClient,
  TagResourceCommand,
  ThrottlingException,
  UnknownResourceException,
  UnmatchedPolicyPermissionException,
} from '@aws-sdk/client-ram';
import { CfnResponseServer } from './cfn-response-server';
import { FakeAwsEndpoint, FaultOptions } from './fake-aws-endpoint';

const ARN_PREFIX = 'arn:aws:imagebuilder:us-east-1:123456789012';
const COMPONENT = `${ARN_PREFIX}:component/hello/1.0.0/1`;
const IMAGE = `${ARN_PREFIX}:image/golden/1.0.0/1`;
const IMAGE_RECIPE = `${ARN_PREFIX}:image-recipe/golden/1.0.0`;
const CONTAINER_RECIPE = `${ARN_PREFIX}:container-recipe/web/1.0.0`;
const PIPELINE = `${ARN_PREFIX}:image-pipeline/golden`;
const OTHER_PIPELINE = `${ARN_PREFIX}:image-pipeline/other`;

const policyFor = (arn: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: ['111122223333'] }, Action: ['imagebuilder:GetComponent'], Resource: arn }],
});

const endpoint = new FakeAwsEndpoint();
let imagebuilder: ImagebuilderClient;
let ram: RAMClient;
let lambda: LambdaClient;

beforeAll(async () => {
  const config = { endpoint: await endpoint.start(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  imagebuilder = new ImagebuilderClient(config);
  ram = new RAMClient(config);
  lambda = new LambdaClient(config);
});

afterAll(async () => {
  imagebuilder.destroy();
  ram.destroy();
  lambda.destroy();
  await endpoint.stop();
});

beforeEach(() => endpoint.reset());

/** The error a call rejects with; fails the test if it succeeds. */
async function errorOf(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Registers the component and puts its policy; returns the share the policy created. */
async function shareComponent(arn = COMPONENT): Promise<string> {
  endpoint.addResource(arn);
  await imagebuilder.send(new PutComponentPolicyCommand({ componentArn: arn, policy: policyFor(arn) }));
  return endpoint.shareOf(arn)!.resourceShareArn;
}

/** The permissions of a share, as the real RAM client lists them. */
async function permissionsOf(resourceShareArn: string) {
  return (await ram.send(new ListResourceSharePermissionsCommand({ resourceShareArn }))).permissions ?? [];
}

/** Promotes the share's CREATED_FROM_POLICY permission under `name`; returns the promoted permission's ARN. */
async function promotePermissionOf(resourceShareArn: string, name = 'promoted', clientToken?: string): Promise<string> {
  const [{ arn: permissionArn }] = await permissionsOf(resourceShareArn);
  const promoted = await ram.send(new PromotePermissionCreatedFromPolicyCommand({ permissionArn, name, clientToken }));
  return promoted.permission!.arn!;
}

/** Shares the component and promotes the share the way RAM requires: its permission first. */
async function promotedShareOf(arn = COMPONENT): Promise<string> {
  const resourceShareArn = await shareComponent(arn);
  await promotePermissionOf(resourceShareArn);
  await ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn }));
  return resourceShareArn;
}

async function startBuild(imagePipelineArn = PIPELINE, clientToken?: string): Promise<string> {
  const started = await imagebuilder.send(new StartImagePipelineExecutionCommand({ imagePipelineArn, clientToken }));
  return started.imageBuildVersionArn!;
}

/** Starts deleting the image with its AMIs and snapshots; returns the lifecycle execution's ID. */
async function startDeletion(resourceArn: string, clientToken = 'delete-1', status = 'DELETED'): Promise<string> {
  const started = await imagebuilder.send(new StartResourceStateUpdateCommand({
    resourceArn,
    state: { status: status as 'DELETED' },
    executionRole: 'arn:aws:iam::123456789012:role/lifecycle',
    includeResources: { amis: true, snapshots: true },
    clientToken,
  }));
  return started.lifecycleExecutionId!;
}

async function executionStatusesOver(lifecycleExecutionId: string, polls: number): Promise<Array<string | undefined>> {
  const statuses = [];
  for (let i = 0; i < polls; i++) {
    statuses.push((await imagebuilder.send(new GetLifecycleExecutionCommand({ lifecycleExecutionId }))).lifecycleExecution?.state?.status);
  }
  return statuses;
}

async function statusesOver(imageBuildVersionArn: string, polls: number): Promise<Array<string | undefined>> {
  const statuses = [];
  for (let i = 0; i < polls; i++) {
    statuses.push((await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn }))).image?.state?.status);
  }
  return statuses;
}

describe('resource policies', () => {
  const kinds: Array<[string, string, (arn: string, policy: string) => Promise<unknown>, (arn: string) => Promise<{ policy?: string }>]> = [
    ['component', COMPONENT,
      (componentArn, policy) => imagebuilder.send(new PutComponentPolicyCommand({ componentArn, policy })),
      (componentArn) => imagebuilder.send(new GetComponentPolicyCommand({ componentArn }))],
    ['image', IMAGE,
      (imageArn, policy) => imagebuilder.send(new PutImagePolicyCommand({ imageArn, policy })),
      (imageArn) => imagebuilder.send(new GetImagePolicyCommand({ imageArn }))],
    ['image recipe', IMAGE_RECIPE,
      (imageRecipeArn, policy) => imagebuilder.send(new PutImageRecipePolicyCommand({ imageRecipeArn, policy })),
      (imageRecipeArn) => imagebuilder.send(new GetImageRecipePolicyCommand({ imageRecipeArn }))],
    ['container recipe', CONTAINER_RECIPE,
      (containerRecipeArn, policy) => imagebuilder.send(new PutContainerRecipePolicyCommand({ containerRecipeArn, policy })),
      (containerRecipeArn) => imagebuilder.send(new GetContainerRecipePolicyCommand({ containerRecipeArn }))],
  ];

  test.each(kinds)('%s: the policy is stored, read back and shared through a share created from it', async (_kind, arn, put, get) => {
    endpoint.addResource(arn);

    await put(arn, policyFor(arn));

    expect((await get(arn)).policy).toBe(policyFor(arn));
    expect(endpoint.shareOf(arn)).toMatchObject({ featureSet: 'CREATED_FROM_POLICY', status: 'ACTIVE', resourceArns: [arn] });
    expect(endpoint.shareOf(arn)?.resourceShareArn).toMatch(/^arn:aws:ram:us-east-1:123456789012:resource-share\/[0-9a-f-]{36}$/);
  });

  test.each(kinds)('%s: putting a policy on an unregistered resource is ResourceNotFoundException (404)', async (_kind, arn, put) => {
    const error = await errorOf(put(arn, policyFor(arn)));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(endpoint.resourceShares()).toEqual([]);
  });

  test('the share is visible to the real RAM client', async () => {
    const resourceShareArn = await shareComponent();

    const { resourceShares } = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' }));
    const { resources } = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceArns: [COMPONENT] }));

    expect(resourceShares).toEqual([expect.objectContaining({
      resourceShareArn, owningAccountId: '123456789012', status: 'ACTIVE', featureSet: 'CREATED_FROM_POLICY', allowExternalPrincipals: true,
    })]);
    expect(resources).toEqual([{ arn: COMPONENT, type: 'imagebuilder:Component', resourceShareArn, status: 'AVAILABLE' }]);
  });

  test('putting the policy again updates the policy and keeps the share', async () => {
    const resourceShareArn = await shareComponent();
    const updated = JSON.stringify({ Version: '2012-10-17', Statement: [] });

    await imagebuilder.send(new PutComponentPolicyCommand({ componentArn: COMPONENT, policy: updated }));

    expect(endpoint.policyOf(COMPONENT)).toBe(updated);
    expect(endpoint.resourceShares().map((s) => s.resourceShareArn)).toEqual([resourceShareArn]);
  });

  test('an image built by a pipeline can take a policy without being registered', async () => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = await startBuild();

    await imagebuilder.send(new PutImagePolicyCommand({ imageArn, policy: policyFor(imageArn) }));

    expect(endpoint.policyOf(imageArn)).toBe(policyFor(imageArn));
  });

  test('an ARN of another resource type is InvalidParameterValueException', async () => {
    endpoint.addResource(IMAGE_RECIPE);

    const error = await errorOf(imagebuilder.send(new PutComponentPolicyCommand({ componentArn: IMAGE_RECIPE, policy: policyFor(IMAGE_RECIPE) })));

    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(error.message).toContain('componentArn must be a component build version ARN');
  });

  test('a component ARN without its build number is InvalidParameterValueException', async () => {
    const versionArn = `${ARN_PREFIX}:component/hello/1.0.0`;
    endpoint.addResource(versionArn);

    const error = await errorOf(imagebuilder.send(new PutComponentPolicyCommand({ componentArn: versionArn, policy: policyFor(versionArn) })));

    expect(error.name).toBe('InvalidParameterValueException');
  });

  test('a policy that is not JSON is InvalidParameterValueException (400) and is not stored', async () => {
    endpoint.addResource(COMPONENT);

    const error = await errorOf(imagebuilder.send(new PutComponentPolicyCommand({ componentArn: COMPONENT, policy: 'Allow everyone' })));

    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(endpoint.policyOf(COMPONENT)).toBeUndefined();
  });

  test('reading a policy that was never put is ResourceNotFoundException', async () => {
    endpoint.addResource(COMPONENT);

    const error = await errorOf(imagebuilder.send(new GetComponentPolicyCommand({ componentArn: COMPONENT })));

    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('RAM sharing', () => {
  test('promoting a share created from a policy makes it STANDARD', async () => {
    const resourceShareArn = await shareComponent();
    await promotePermissionOf(resourceShareArn);

    const promoted = await ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn }));

    expect(promoted.returnValue).toBe(true);
    const { resourceShares } = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF', resourceShareArns: [resourceShareArn] }));
    expect(resourceShares?.map((s) => s.featureSet)).toEqual(['STANDARD']);
    expect(endpoint.requestsFor('PromoteResourceShareCreatedFromPolicy')[0].query).toEqual({ resourceShareArn });
  });

  test('promoting a STANDARD share again is InvalidStateTransitionException (400)', async () => {
    const resourceShareArn = await promotedShareOf();

    const error = await errorOf(ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn })));

    expect(error).toBeInstanceOf(InvalidStateTransitionException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('promoting an unknown share is UnknownResourceException (400)', async () => {
    const error = await errorOf(ram.send(new PromoteResourceShareCreatedFromPolicyCommand({
      resourceShareArn: 'arn:aws:ram:us-east-1:123456789012:resource-share/missing',
    })));

    expect(error).toBeInstanceOf(UnknownResourceException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('ListResources filters by resource ARN and by share ARN', async () => {
    const componentShare = await shareComponent();
    const recipeShare = await shareComponent(`${ARN_PREFIX}:component/other/2.0.0/3`);

    const byArn = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceArns: [COMPONENT] }));
    const byShare = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceShareArns: [recipeShare] }));
    const all = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF' }));
    const others = await ram.send(new ListResourcesCommand({ resourceOwner: 'OTHER-ACCOUNTS' }));

    expect(byArn.resources?.map((r) => r.resourceShareArn)).toEqual([componentShare]);
    expect(byShare.resources?.map((r) => r.arn)).toEqual([`${ARN_PREFIX}:component/other/2.0.0/3`]);
    expect(all.resources).toHaveLength(2);
    expect(others.resources).toEqual([]);
  });

  test('ListResources and GetResourceShares page by pageSize, and the SDK paginators follow nextToken', async () => {
    for (let i = 1; i <= 5; i++) {
      await shareComponent(`${ARN_PREFIX}:component/c${i}/1.0.0/1`);
    }
    endpoint.pageSize = 2;

    const resources = [];
    for await (const page of paginateListResources({ client: ram }, { resourceOwner: 'SELF' })) {
      resources.push(...page.resources ?? []);
    }
    const shares = [];
    for await (const page of paginateGetResourceShares({ client: ram }, { resourceOwner: 'SELF' })) {
      shares.push(...page.resourceShares ?? []);
    }

    expect(resources.map((r) => r.arn)).toEqual([1, 2, 3, 4, 5].map((i) => `${ARN_PREFIX}:component/c${i}/1.0.0/1`));
    expect(new Set(shares.map((s) => s.resourceShareArn)).size).toBe(5);
    expect(endpoint.requestsFor('ListResources').map((r) => r.body.nextToken)).toEqual([undefined, 'offset-2', 'offset-4']);
    expect(endpoint.requestsFor('GetResourceShares')).toHaveLength(3);
  });

  test('maxResults makes pages smaller than pageSize', async () => {
    await shareComponent();
    await shareComponent(`${ARN_PREFIX}:component/other/1.0.0/1`);

    const page = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', maxResults: 1 }));

    expect(page.resources).toHaveLength(1);
    expect(page.nextToken).toBe('offset-1');
  });

  test('a nextToken the endpoint did not hand out is InvalidNextTokenException', async () => {
    const error = await errorOf(ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', nextToken: 'forged' })));

    expect(error).toBeInstanceOf(InvalidNextTokenException);
  });

  test('disassociating the resource from its promoted share removes the sharing and the policy', async () => {
    const resourceShareArn = await promotedShareOf();

    const result = await ram.send(new DisassociateResourceShareCommand({ resourceShareArn, resourceArns: [COMPONENT], clientToken: 'token-1' }));

    expect(result.resourceShareAssociations).toEqual([expect.objectContaining({ associatedEntity: COMPONENT, associationType: 'RESOURCE', resourceShareArn })]);
    expect(result.clientToken).toBe('token-1');
    expect((await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceArns: [COMPONENT] }))).resources).toEqual([]);
    expect((await errorOf(imagebuilder.send(new GetComponentPolicyCommand({ componentArn: COMPONENT })))).name).toBe('ResourceNotFoundException');
  });

  test('deleting a promoted share removes it, its resources and their policies', async () => {
    const resourceShareArn = await promotedShareOf();

    const result = await ram.send(new DeleteResourceShareCommand({ resourceShareArn, clientToken: 'token-1' }));

    expect(result).toMatchObject({ returnValue: true, clientToken: 'token-1' });
    expect(endpoint.requestsFor('DeleteResourceShare')[0]).toMatchObject({ method: 'DELETE', query: { resourceShareArn, clientToken: 'token-1' } });
    expect((await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' }))).resourceShares).toEqual([]);
    expect(endpoint.policyOf(COMPONENT)).toBeUndefined();
  });

  test('deleting a share that is gone is UnknownResourceException', async () => {
    const resourceShareArn = await promotedShareOf();
    await ram.send(new DeleteResourceShareCommand({ resourceShareArn }));

    const error = await errorOf(ram.send(new DeleteResourceShareCommand({ resourceShareArn })));

    expect(error).toBeInstanceOf(UnknownResourceException);
  });

  test('a new share is missed by the first listingsBeforeShareAppears ListResources calls, and by GetResourceShares until then', async () => {
    endpoint.options.listingsBeforeShareAppears = 2;
    await shareComponent();
    const listed = async () => [
      (await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceArns: [COMPONENT] }))).resources?.length,
      (await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' }))).resourceShares?.length,
    ];

    expect([await listed(), await listed(), await listed()]).toEqual([[0, 0], [0, 1], [1, 1]]);
  });

  test('addToShare makes one share hold several resources; disassociating one leaves the others', async () => {
    const other = `${ARN_PREFIX}:image-recipe/other/1.0.0`;
    const resourceShareArn = await promotedShareOf();
    endpoint.addToShare(resourceShareArn, other);

    await ram.send(new DisassociateResourceShareCommand({ resourceShareArn, resourceArns: [COMPONENT] }));

    const { resources } = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceShareArns: [resourceShareArn] }));
    expect(resources).toEqual([expect.objectContaining({ arn: other, type: 'imagebuilder:ImageRecipe' })]);
  });

  test('a share still CREATED_FROM_POLICY cannot be disassociated or deleted through RAM', async () => {
    const resourceShareArn = await shareComponent();

    const disassociate = await errorOf(ram.send(new DisassociateResourceShareCommand({ resourceShareArn, resourceArns: [COMPONENT] })));
    const remove = await errorOf(ram.send(new DeleteResourceShareCommand({ resourceShareArn })));

    expect(disassociate).toBeInstanceOf(OperationNotPermittedException);
    expect(remove).toBeInstanceOf(OperationNotPermittedException);
    expect(endpoint.shareOf(COMPONENT)?.resourceShareArn).toBe(resourceShareArn);
  });

  test('TagResource tags a promoted share, a tag of the same key replacing the old; GetResourceShares returns the tags', async () => {
    const resourceShareArn = await promotedShareOf();

    await ram.send(new TagResourceCommand({ resourceShareArn, tags: [{ key: 'team', value: 'build' }, { key: 'stage', value: 'dev' }] }));
    await ram.send(new TagResourceCommand({ resourceShareArn, tags: [{ key: 'stage', value: 'prod' }] }));

    const { resourceShares } = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF', resourceShareArns: [resourceShareArn] }));
    expect(resourceShares?.map((s) => s.tags)).toEqual([[{ key: 'team', value: 'build' }, { key: 'stage', value: 'prod' }]]);
    expect(endpoint.shareOf(COMPONENT)?.tags).toEqual([{ key: 'team', value: 'build' }, { key: 'stage', value: 'prod' }]);
  });

  test('a share has no tags until tagged, and one still CREATED_FROM_POLICY cannot be tagged', async () => {
    const resourceShareArn = await shareComponent();

    const error = await errorOf(ram.send(new TagResourceCommand({ resourceShareArn, tags: [{ key: 'team', value: 'build' }] })));

    expect(error).toBeInstanceOf(OperationNotPermittedException);
    const { resourceShares } = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' }));
    expect(resourceShares?.map((s) => s.tags)).toEqual([[]]);
    expect(endpoint.shareOf(COMPONENT)?.tags).toEqual([]);
  });
});

describe('promotions in progress', () => {
  /** The share's featureSet, as the real RAM client reads it (a RAM call itself). */
  async function featureSetOf(resourceShareArn: string) {
    const { resourceShares } = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF', resourceShareArns: [resourceShareArn] }));
    return resourceShares?.[0]?.featureSet;
  }

  test('with callsWhileSharePromotes a promoted share is PROMOTING_TO_STANDARD for that many RAM calls, then STANDARD', async () => {
    endpoint.options.callsWhileSharePromotes = 3;
    const resourceShareArn = await shareComponent();
    await promotePermissionOf(resourceShareArn);

    await ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn }));

    expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('PROMOTING_TO_STANDARD');
    const seen = [await featureSetOf(resourceShareArn), await featureSetOf(resourceShareArn), await featureSetOf(resourceShareArn)];
    expect(seen).toEqual(['PROMOTING_TO_STANDARD', 'PROMOTING_TO_STANDARD', 'PROMOTING_TO_STANDARD']);
    expect(await featureSetOf(resourceShareArn)).toBe('STANDARD');
  });

  test('any RAM call counts, and calls to other services do not', async () => {
    endpoint.options.callsWhileSharePromotes = 2;
    const resourceShareArn = await promotedShareOf();
    await startBuild(PIPELINE).catch(() => undefined);
    await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF' }));

    expect(await featureSetOf(resourceShareArn)).toBe('PROMOTING_TO_STANDARD');
    expect(await featureSetOf(resourceShareArn)).toBe('STANDARD');
  });

  test('a share PROMOTING_TO_STANDARD can be neither tagged, disassociated, deleted nor promoted again', async () => {
    endpoint.options.callsWhileSharePromotes = Infinity;
    const resourceShareArn = await promotedShareOf();

    const errors = [
      await errorOf(ram.send(new TagResourceCommand({ resourceShareArn, tags: [{ key: 'team', value: 'build' }] }))),
      await errorOf(ram.send(new DisassociateResourceShareCommand({ resourceShareArn, resourceArns: [COMPONENT] }))),
      await errorOf(ram.send(new DeleteResourceShareCommand({ resourceShareArn }))),
    ];
    const promoteAgain = await errorOf(ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn })));

    errors.forEach((error) => expect(error).toBeInstanceOf(OperationNotPermittedException));
    expect(errors[0].message).toMatch(/still being promoted/);
    expect(promoteAgain).toBeInstanceOf(InvalidStateTransitionException);
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'PROMOTING_TO_STANDARD', resourceArns: [COMPONENT], tags: [] });
  });

  test('with callsWhilePermissionPromotes the promoted permission is PROMOTING_TO_STANDARD and matches no share until it is STANDARD', async () => {
    endpoint.options.callsWhilePermissionPromotes = 2;
    const resourceShareArn = await shareComponent();
    const [{ arn: permissionArn }] = await permissionsOf(resourceShareArn);

    const promoted = await ram.send(new PromotePermissionCreatedFromPolicyCommand({ permissionArn, name: 'promoted' }));
    const early = await errorOf(ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn })));
    expect(endpoint.permission(promoted.permission!.arn!)?.featureSet).toBe('PROMOTING_TO_STANDARD');
    await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF' }));
    await ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn }));

    expect(promoted.permission?.featureSet).toBe('PROMOTING_TO_STANDARD');
    expect(early).toBeInstanceOf(UnmatchedPolicyPermissionException);
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', permissionArns: [promoted.permission!.arn] });
    expect(endpoint.permission(promoted.permission!.arn!)?.featureSet).toBe('STANDARD');
  });

  test('finishPromotions ends every promotion in progress, even one that would never finish', async () => {
    endpoint.options.callsWhileSharePromotes = Infinity;
    const resourceShareArn = await promotedShareOf();

    endpoint.finishPromotions();

    expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('STANDARD');
    await ram.send(new TagResourceCommand({ resourceShareArn, tags: [{ key: 'team', value: 'build' }] }));
    expect(endpoint.shareOf(COMPONENT)?.tags).toEqual([{ key: 'team', value: 'build' }]);
  });
});

describe('the account\'s own resource shares', () => {
  test('addOwnResourceShare creates a STANDARD share of the account holding the resource, with the AWS managed permission and the tags', async () => {
    const resourceShareArn = endpoint.addOwnResourceShare(IMAGE_RECIPE, { tags: [{ key: 'team', value: 'platform' }] });

    const { resourceShares } = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' }));
    const { resources } = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceArns: [IMAGE_RECIPE] }));
    const permissions = await permissionsOf(resourceShareArn);

    expect(resourceShareArn).toMatch(/^arn:aws:ram:us-east-1:123456789012:resource-share\/[0-9a-f-]{36}$/);
    expect(resourceShares).toEqual([expect.objectContaining({
      resourceShareArn, owningAccountId: '123456789012', status: 'ACTIVE', featureSet: 'STANDARD', tags: [{ key: 'team', value: 'platform' }],
    })]);
    expect(resources).toEqual([{ arn: IMAGE_RECIPE, type: 'imagebuilder:ImageRecipe', resourceShareArn, status: 'AVAILABLE' }]);
    expect(permissions.map((p) => [p.arn, p.permissionType])).toEqual([['arn:aws:ram::aws:permission/AWSRAMDefaultPermissionImageBuilderImageRecipe', 'AWS_MANAGED']]);
    expect(endpoint.resourceShare(resourceShareArn)).toEqual({
      resourceShareArn,
      name: expect.any(String),
      featureSet: 'STANDARD',
      status: 'ACTIVE',
      resourceArns: [IMAGE_RECIPE],
      permissionArns: [permissions[0].arn],
      tags: [{ key: 'team', value: 'platform' }],
    });
  });

  test('without tags the share has none', async () => {
    const resourceShareArn = endpoint.addOwnResourceShare(COMPONENT);

    const { resourceShares } = await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' }));

    expect(resourceShares?.map((s) => [s.resourceShareArn, s.tags])).toEqual([[resourceShareArn, []]]);
  });

  test('a policy put on the resource is shared through a new share created from it, which shareOf returns; the own share is unchanged', async () => {
    const own = endpoint.addOwnResourceShare(COMPONENT, { tags: [{ key: 'team', value: 'platform' }] });
    const ownAsCreated = endpoint.resourceShare(own);

    await imagebuilder.send(new PutComponentPolicyCommand({ componentArn: COMPONENT, policy: policyFor(COMPONENT) }));

    const fromPolicy = endpoint.shareOf(COMPONENT);
    expect(fromPolicy).toMatchObject({ featureSet: 'CREATED_FROM_POLICY', resourceArns: [COMPONENT] });
    expect(fromPolicy?.resourceShareArn).not.toBe(own);
    expect(endpoint.resourceShares().map((s) => s.resourceShareArn)).toEqual([own, fromPolicy?.resourceShareArn]);
    expect(endpoint.resourceShare(own)).toEqual(ownAsCreated);
    const { resources } = await ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', resourceArns: [COMPONENT] }));
    expect(resources?.map((r) => r.resourceShareArn)).toEqual([own, fromPolicy?.resourceShareArn]);
  });

  test('the own share can be tagged and changed through RAM like any STANDARD share', async () => {
    const resourceShareArn = endpoint.addOwnResourceShare(COMPONENT);

    await ram.send(new TagResourceCommand({ resourceShareArn, tags: [{ key: 'team', value: 'platform' }] }));
    await ram.send(new DisassociateResourceShareCommand({ resourceShareArn, resourceArns: [COMPONENT] }));

    expect(endpoint.resourceShare(resourceShareArn)).toMatchObject({ resourceArns: [], tags: [{ key: 'team', value: 'platform' }] });
  });

  test('addOwnResourceShare rejects an ARN without a resource policy or of another account', () => {
    expect(() => endpoint.addOwnResourceShare(PIPELINE)).toThrow(/resourceArn must be a component, image, image recipe or container recipe of account 123456789012/);
    expect(() => endpoint.addOwnResourceShare(COMPONENT.replace('123456789012', '111122223333'))).toThrow(/resourceArn must be/);
    expect(endpoint.resourceShares()).toEqual([]);
  });

  test('resourceShare of an unknown ARN is undefined', () => {
    expect(endpoint.resourceShare('arn:aws:ram:us-east-1:123456789012:resource-share/missing')).toBeUndefined();
  });

  test('reset forgets the own shares', () => {
    const resourceShareArn = endpoint.addOwnResourceShare(COMPONENT);

    endpoint.reset();

    expect(endpoint.resourceShare(resourceShareArn)).toBeUndefined();
  });
});

describe('RAM managed permissions', () => {
  const PERMISSION_ARN = /^arn:aws:ram:us-east-1:123456789012:permission\/[\w-]+$/;

  test('a share created from a policy has a CREATED_FROM_POLICY customer managed permission', async () => {
    const resourceShareArn = await shareComponent();

    const permissions = await permissionsOf(resourceShareArn);

    expect(permissions).toEqual([expect.objectContaining({
      arn: expect.stringMatching(PERMISSION_ARN),
      featureSet: 'CREATED_FROM_POLICY',
      permissionType: 'CUSTOMER_MANAGED',
      resourceType: 'imagebuilder:Component',
      status: 'ATTACHABLE',
      defaultVersion: true,
      isResourceTypeDefault: false,
    })]);
    expect(permissions[0].creationTime).toBeInstanceOf(Date);
    expect(endpoint.shareOf(COMPONENT)?.permissionArns).toEqual([permissions[0].arn]);
    expect(endpoint.requestsFor('ListResourceSharePermissions')[0]).toMatchObject({ method: 'POST', path: '/listresourcesharepermissions', body: { resourceShareArn } });
  });

  test('promoting the share before its permission is UnmatchedPolicyPermissionException (400) and changes nothing', async () => {
    const resourceShareArn = await shareComponent();

    const error = await errorOf(ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn })));

    expect(error).toBeInstanceOf(UnmatchedPolicyPermissionException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(endpoint.shareOf(COMPONENT)?.featureSet).toBe('CREATED_FROM_POLICY');
  });

  test('PromotePermissionCreatedFromPolicy creates a STANDARD customer managed permission with the name', async () => {
    const resourceShareArn = await shareComponent();
    const [{ arn: permissionArn }] = await permissionsOf(resourceShareArn);

    const result = await ram.send(new PromotePermissionCreatedFromPolicyCommand({ permissionArn, name: 'imagebuilder-policy-1', clientToken: 'token-1' }));

    expect(result.clientToken).toBe('token-1');
    expect(result.permission).toMatchObject({
      arn: 'arn:aws:ram:us-east-1:123456789012:permission/imagebuilder-policy-1',
      name: 'imagebuilder-policy-1',
      featureSet: 'STANDARD',
      permissionType: 'CUSTOMER_MANAGED',
      resourceType: 'imagebuilder:Component',
    });
    expect(endpoint.requestsFor('PromotePermissionCreatedFromPolicy')[0]).toMatchObject({
      method: 'POST', path: '/promotepermissioncreatedfrompolicy', body: { permissionArn, name: 'imagebuilder-policy-1', clientToken: 'token-1' },
    });
    // Promoting the permission leaves the share as it was.
    expect(await permissionsOf(resourceShareArn)).toEqual([expect.objectContaining({ arn: permissionArn, featureSet: 'CREATED_FROM_POLICY' })]);
  });

  test('after its permission, the share is promoted and lists the promoted permission; the one created from the policy is gone', async () => {
    const resourceShareArn = await shareComponent();
    const [{ arn: createdFromPolicy }] = await permissionsOf(resourceShareArn);
    const promoted = await promotePermissionOf(resourceShareArn);

    await ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn }));

    expect(await permissionsOf(resourceShareArn)).toEqual([expect.objectContaining({ arn: promoted, featureSet: 'STANDARD', permissionType: 'CUSTOMER_MANAGED' })]);
    expect(endpoint.permission(createdFromPolicy!)).toBeUndefined();
    expect(endpoint.managedPermissions().map((p) => p.arn)).toEqual([promoted]);
  });

  test('a permission promoted from another policy does not match', async () => {
    const otherComponent = `${ARN_PREFIX}:component/other/1.0.0/1`;
    endpoint.addResource(otherComponent);
    await imagebuilder.send(new PutComponentPolicyCommand({ componentArn: otherComponent, policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }));
    await promotePermissionOf(endpoint.shareOf(otherComponent)!.resourceShareArn, 'for-other');
    const resourceShareArn = await shareComponent();

    const error = await errorOf(ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn })));

    expect(error).toBeInstanceOf(UnmatchedPolicyPermissionException);
  });

  test('the same name with the same clientToken replays the answer; with another token the name is taken', async () => {
    const resourceShareArn = await shareComponent();
    const first = await promotePermissionOf(resourceShareArn, 'imagebuilder-policy-1', 'token-1');

    const again = await promotePermissionOf(resourceShareArn, 'imagebuilder-policy-1', 'token-1');
    const taken = await errorOf(promotePermissionOf(resourceShareArn, 'imagebuilder-policy-1', 'token-2'));
    const mismatch = await errorOf(promotePermissionOf(resourceShareArn, 'imagebuilder-policy-2', 'token-1'));

    expect(again).toBe(first);
    expect(taken).toBeInstanceOf(PermissionAlreadyExistsException);
    expect(taken.$metadata.httpStatusCode).toBe(409);
    expect(mismatch).toBeInstanceOf(RamIdempotentParameterMismatchException);
    expect(endpoint.managedPermissions().filter((p) => p.featureSet === 'STANDARD')).toHaveLength(1);
  });

  test('a name longer than 36 characters is InvalidParameterException', async () => {
    const resourceShareArn = await shareComponent();

    const error = await errorOf(promotePermissionOf(resourceShareArn, 'x'.repeat(37)));

    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  test('promoting an unknown permission is UnknownResourceException; a STANDARD one is OperationNotPermittedException', async () => {
    const promoted = await promotePermissionOf(await shareComponent());

    const unknown = await errorOf(ram.send(new PromotePermissionCreatedFromPolicyCommand({
      permissionArn: 'arn:aws:ram:us-east-1:123456789012:permission/missing', name: 'copy',
    })));
    const standard = await errorOf(ram.send(new PromotePermissionCreatedFromPolicyCommand({ permissionArn: promoted, name: 'copy' })));

    expect(unknown).toBeInstanceOf(UnknownResourceException);
    expect(standard).toBeInstanceOf(OperationNotPermittedException);
  });

  test('with policyMatchesAwsManagedPermission the share has an AWS managed permission and is promoted directly', async () => {
    endpoint.options.policyMatchesAwsManagedPermission = true;
    const resourceShareArn = await shareComponent();

    const [permission] = await permissionsOf(resourceShareArn);
    await ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn }));

    expect(permission).toMatchObject({
      arn: 'arn:aws:ram::aws:permission/AWSRAMDefaultPermissionImageBuilderComponent',
      featureSet: 'STANDARD',
      permissionType: 'AWS_MANAGED',
      isResourceTypeDefault: true,
    });
    expect(endpoint.shareOf(COMPONENT)).toMatchObject({ featureSet: 'STANDARD', permissionArns: [permission.arn] });
    expect(await errorOf(ram.send(new DeletePermissionCommand({ permissionArn: permission.arn! })))).toBeInstanceOf(OperationNotPermittedException);
  });

  test('reset restores the options', () => {
    endpoint.options.policyMatchesAwsManagedPermission = true;
    endpoint.options.listingsBeforeShareAppears = 3;
    endpoint.options.callsWhileSharePromotes = 2;
    endpoint.options.callsWhilePermissionPromotes = Infinity;

    endpoint.reset();

    expect(endpoint.options).toEqual({
      policyMatchesAwsManagedPermission: false, listingsBeforeShareAppears: 0, callsWhileSharePromotes: 0, callsWhilePermissionPromotes: 0,
    });
  });

  test('ListResourceSharePermissions of an unknown share is UnknownResourceException', async () => {
    const error = await errorOf(permissionsOf('arn:aws:ram:us-east-1:123456789012:resource-share/missing'));

    expect(error).toBeInstanceOf(UnknownResourceException);
  });

  test('DeletePermission deletes a customer managed permission no share uses', async () => {
    const resourceShareArn = await promotedShareOf();
    const [{ arn: permissionArn }] = await permissionsOf(resourceShareArn);
    await ram.send(new DeleteResourceShareCommand({ resourceShareArn }));

    const result = await ram.send(new DeletePermissionCommand({ permissionArn, clientToken: 'token-1' }));

    expect(result).toMatchObject({ returnValue: true, clientToken: 'token-1', permissionStatus: 'DELETED' });
    expect(endpoint.requestsFor('DeletePermission')[0]).toMatchObject({ method: 'DELETE', path: '/deletepermission', query: { permissionArn, clientToken: 'token-1' } });
    expect(endpoint.managedPermissions()).toEqual([]);
  });

  test('DeletePermission of an unknown permission is UnknownResourceException; of one a share uses, OperationNotPermittedException', async () => {
    const resourceShareArn = await promotedShareOf();
    const [{ arn: permissionArn }] = await permissionsOf(resourceShareArn);

    const unknown = await errorOf(ram.send(new DeletePermissionCommand({ permissionArn: 'arn:aws:ram:us-east-1:123456789012:permission/missing' })));
    const inUse = await errorOf(ram.send(new DeletePermissionCommand({ permissionArn })));

    expect(unknown).toBeInstanceOf(UnknownResourceException);
    expect(inUse).toBeInstanceOf(OperationNotPermittedException);
    expect(endpoint.permission(permissionArn!)).toBeDefined();
  });

  test('addPermissionToShare associates a permission with a share, and DeletePermission then refuses it', async () => {
    const otherPermission = await promotePermissionOf(await shareComponent(`${ARN_PREFIX}:component/other/1.0.0/1`), 'other');
    const resourceShareArn = await promotedShareOf();
    const [{ arn: ownPermission }] = await permissionsOf(resourceShareArn);

    endpoint.addPermissionToShare(resourceShareArn, otherPermission);

    expect((await permissionsOf(resourceShareArn)).map((p) => p.arn)).toEqual([ownPermission, otherPermission]);
    expect(await errorOf(ram.send(new DeletePermissionCommand({ permissionArn: otherPermission })))).toBeInstanceOf(OperationNotPermittedException);
  });

  test('addPermissionToShare rejects an unknown permission, an unknown share and a share still CREATED_FROM_POLICY', async () => {
    const resourceShareArn = await shareComponent();
    const [{ arn: permissionArn }] = await permissionsOf(resourceShareArn);

    expect(() => endpoint.addPermissionToShare(resourceShareArn, 'arn:aws:ram:us-east-1:123456789012:permission/missing')).toThrow(/permission \S+ does not exist/);
    expect(() => endpoint.addPermissionToShare('arn:aws:ram:us-east-1:123456789012:resource-share/missing', permissionArn!)).toThrow(/resource share \S+ does not exist/);
    expect(() => endpoint.addPermissionToShare(resourceShareArn, permissionArn!)).toThrow(/was created from a resource policy/);
    expect(endpoint.shareOf(COMPONENT)?.permissionArns).toEqual([permissionArn]);
  });
});

describe('pipeline executions', () => {
  test('each GetImage moves a build one state along until AVAILABLE, with its AMIs', async () => {
    endpoint.addPipeline(PIPELINE, { amis: [{ region: 'us-east-1', image: 'ami-0123' }, { region: 'eu-west-1', image: 'ami-0456' }] });

    const imageArn = await startBuild();

    expect(imageArn).toBe(`${ARN_PREFIX}:image/golden/1.0.0/1`);
    expect(endpoint.image(imageArn)?.status).toBe('PENDING');
    expect(await statusesOver(imageArn, 5)).toEqual(['BUILDING', 'TESTING', 'DISTRIBUTING', 'AVAILABLE', 'AVAILABLE']);
    const { image } = await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: imageArn }));
    expect(image).toMatchObject({ arn: imageArn, name: 'golden', version: '1.0.0/1', type: 'AMI', sourcePipelineArn: PIPELINE });
    expect(image?.outputResources?.amis).toEqual([
      { region: 'us-east-1', image: 'ami-0123', name: 'golden 1.0.0/1', accountId: '123456789012' },
      { region: 'eu-west-1', image: 'ami-0456', name: 'golden 1.0.0/1', accountId: '123456789012' },
    ]);
  });

  test('a build has no outputs before it is AVAILABLE', async () => {
    endpoint.addPipeline(PIPELINE, { amis: [{ region: 'us-east-1', image: 'ami-0123' }] });

    const { image } = await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: await startBuild() }));

    expect(image?.state?.status).toBe('BUILDING');
    expect(image?.outputResources).toBeUndefined();
  });

  test('a container build reports its image URI', async () => {
    endpoint.addPipeline(PIPELINE, { containerUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0-1' });
    const imageArn = await startBuild();
    await statusesOver(imageArn, 3);

    const { image } = await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: imageArn }));

    expect(image?.type).toBe('DOCKER');
    expect(image?.outputResources?.containers).toEqual([{ region: 'us-east-1', imageUris: ['123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0-1'] }]);
  });

  test('a failing pipeline ends FAILED with its reason', async () => {
    endpoint.addPipeline(PIPELINE, { outcome: 'FAILED', failureReason: 'component hello failed: exit 1' });
    const imageArn = await startBuild();

    expect(await statusesOver(imageArn, 4)).toEqual(['BUILDING', 'TESTING', 'DISTRIBUTING', 'FAILED']);
    const { image } = await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: imageArn }));
    expect(image?.state).toEqual({ status: 'FAILED', reason: 'component hello failed: exit 1' });
  });

  test('stepsPerState keeps a build in each state for that many polls', async () => {
    endpoint.addPipeline(PIPELINE, { stepsPerState: 2 });

    expect(await statusesOver(await startBuild(), 4)).toEqual(['PENDING', 'BUILDING', 'BUILDING', 'TESTING']);
  });

  test('a build keeps the tags it was started with, and GetImage returns them', async () => {
    endpoint.addPipeline(PIPELINE);
    const tags = { 'cdk-imagebuilder:build-inputs': 'abc123', 'team': 'platform' };

    const started = await imagebuilder.send(new StartImagePipelineExecutionCommand({ imagePipelineArn: PIPELINE, clientToken: 'token-1', tags }));

    const { image } = await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: started.imageBuildVersionArn }));
    expect(image?.tags).toEqual(tags);
    expect(endpoint.image(started.imageBuildVersionArn!)?.tags).toEqual(tags);
  });

  test('a build started without tags has none', async () => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = await startBuild();

    const { image } = await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: imageArn }));

    expect(image?.tags).toBeUndefined();
    expect(endpoint.image(imageArn)?.tags).toBeUndefined();
  });

  test('the same clientToken with other tags returns the first image, which keeps the first call\'s tags', async () => {
    endpoint.addPipeline(PIPELINE);
    const start = (tags: Record<string, string>) =>
      imagebuilder.send(new StartImagePipelineExecutionCommand({ imagePipelineArn: PIPELINE, clientToken: 'token-1', tags }));
    const first = await start({ team: 'platform' });

    const again = await start({ team: 'other' });

    expect(again.imageBuildVersionArn).toBe(first.imageBuildVersionArn);
    expect((await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: first.imageBuildVersionArn }))).image?.tags).toEqual({ team: 'platform' });
  });

  test('each execution gets the next build number', async () => {
    endpoint.addPipeline(PIPELINE);

    expect([await startBuild(), await startBuild()]).toEqual([`${ARN_PREFIX}:image/golden/1.0.0/1`, `${ARN_PREFIX}:image/golden/1.0.0/2`]);
  });

  test('the same clientToken for the same pipeline returns the same image and builds once', async () => {
    endpoint.addPipeline(PIPELINE);

    const first = await startBuild(PIPELINE, 'token-1');
    const again = await startBuild(PIPELINE, 'token-1');
    const next = await startBuild(PIPELINE, 'token-2');

    expect(again).toBe(first);
    expect(next).toBe(`${ARN_PREFIX}:image/golden/1.0.0/2`);
    expect(endpoint.requestsFor('StartImagePipelineExecution').map((r) => r.body)).toEqual([
      { imagePipelineArn: PIPELINE, clientToken: 'token-1' },
      { imagePipelineArn: PIPELINE, clientToken: 'token-1' },
      { imagePipelineArn: PIPELINE, clientToken: 'token-2' },
    ]);
  });

  test('the same clientToken for another pipeline is IdempotentParameterMismatchException (400)', async () => {
    endpoint.addPipeline(PIPELINE);
    endpoint.addPipeline(OTHER_PIPELINE);
    await startBuild(PIPELINE, 'token-1');

    const error = await errorOf(startBuild(OTHER_PIPELINE, 'token-1'));

    expect(error).toBeInstanceOf(IdempotentParameterMismatchException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('starting an unregistered pipeline is ResourceNotFoundException (404)', async () => {
    const error = await errorOf(startBuild(PIPELINE));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  test('cancelling a running build makes it CANCELLED for good', async () => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = await startBuild();
    await statusesOver(imageArn, 1);

    const cancelled = await imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn: imageArn, clientToken: 'cancel-1' }));

    expect(cancelled).toMatchObject({ imageBuildVersionArn: imageArn, clientToken: 'cancel-1' });
    expect(await statusesOver(imageArn, 5)).toEqual(Array(5).fill('CANCELLED'));
  });

  test('cancelling again with the same clientToken replays the answer; another image with it is a mismatch', async () => {
    endpoint.addPipeline(PIPELINE);
    const first = await startBuild();
    const second = await startBuild();
    const cancelled = await imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn: first, clientToken: 'cancel-1' }));

    const replayed = await imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn: first, clientToken: 'cancel-1' }));
    const mismatch = await errorOf(imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn: second, clientToken: 'cancel-1' })));

    expect(replayed.requestId).toBe(cancelled.requestId);
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    expect(endpoint.image(second)?.status).toBe('PENDING');
  });

  test('cancelling a finished build is InvalidParameterValueException (400)', async () => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = await startBuild();
    await statusesOver(imageArn, 4);

    const error = await errorOf(imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn: imageArn })));

    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(endpoint.image(imageArn)?.status).toBe('AVAILABLE');
  });

  test('cancelling or reading an unknown image is ResourceNotFoundException', async () => {
    const imageBuildVersionArn = `${ARN_PREFIX}:image/missing/1.0.0/1`;

    const cancel = await errorOf(imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn })));
    const get = await errorOf(imagebuilder.send(new GetImageCommand({ imageBuildVersionArn })));

    expect([cancel.name, get.name]).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException']);
  });

  test('addPipeline rejects an ARN that is not an image pipeline', () => {
    expect(() => endpoint.addPipeline(IMAGE_RECIPE)).toThrow(/pipelineArn must be an image pipeline ARN/);
  });
});

describe('pipeline images and their lifecycle', () => {
  const LCE_ID = /^lce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const ROLE = 'arn:aws:iam::123456789012:role/lifecycle';

  test('ListImagePipelineImages lists the images of the pipeline, in build order, as ImageSummary', async () => {
    endpoint.addPipeline(PIPELINE, { amis: [{ region: 'us-east-1', image: 'ami-0123' }] });
    endpoint.addPipeline(OTHER_PIPELINE);
    const built = await startBuild();
    endpoint.addPipelineImage(OTHER_PIPELINE, 'AVAILABLE');
    const available = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE', { tags: { team: 'platform' } });
    const failed = endpoint.addPipelineImage(PIPELINE, 'FAILED', { reason: 'component hello failed: exit 1' });

    const { imageSummaryList, nextToken } = await imagebuilder.send(new ListImagePipelineImagesCommand({ imagePipelineArn: PIPELINE }));

    expect(imageSummaryList).toEqual([
      {
        arn: built, name: 'golden', type: 'AMI', version: '1.0.0/1', state: { status: 'PENDING' }, dateCreated: '2026-01-01T00:00:00.000Z', owner: '123456789012',
      },
      {
        arn: available,
        name: 'golden',
        type: 'AMI',
        version: '1.0.0/2',
        state: { status: 'AVAILABLE' },
        dateCreated: '2026-01-01T00:02:00.000Z',
        owner: '123456789012',
        tags: { team: 'platform' },
        outputResources: { amis: [{ region: 'us-east-1', image: 'ami-0123', name: 'golden 1.0.0/2', accountId: '123456789012' }], containers: [] },
      },
      {
        arn: failed,
        name: 'golden',
        type: 'AMI',
        version: '1.0.0/3',
        state: { status: 'FAILED', reason: 'component hello failed: exit 1' },
        dateCreated: '2026-01-01T00:03:00.000Z',
        owner: '123456789012',
      },
    ]);
    expect(nextToken).toBeUndefined();
    expect(endpoint.requestsFor('ListImagePipelineImages')[0]).toMatchObject({ method: 'POST', path: '/ListImagePipelineImages', body: { imagePipelineArn: PIPELINE } });
  });

  test('the images of a container pipeline are DOCKER, as GetImage says', async () => {
    endpoint.addPipeline(PIPELINE, { containerUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0-1' });
    const imageArn = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');

    const { imageSummaryList } = await imagebuilder.send(new ListImagePipelineImagesCommand({ imagePipelineArn: PIPELINE }));
    const { image } = await imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: imageArn }));

    expect(imageSummaryList?.map((i) => i.type)).toEqual(['DOCKER']);
    expect(image?.type).toBe('DOCKER');
  });

  test('addPipelineImage gives a FAILED image the pipeline\'s failure reason and a CANCELLED one the cancel\'s; one still building moves on with GetImage', async () => {
    endpoint.addPipeline(PIPELINE, { failureReason: 'component hello failed: exit 1' });

    const failed = endpoint.addPipelineImage(PIPELINE, 'FAILED');
    const cancelled = endpoint.addPipelineImage(PIPELINE, 'CANCELLED');
    const building = endpoint.addPipelineImage(PIPELINE, 'BUILDING');

    expect(endpoint.image(failed)).toMatchObject({ pipelineArn: PIPELINE, status: 'FAILED', reason: 'component hello failed: exit 1' });
    expect(endpoint.image(cancelled)).toMatchObject({ status: 'CANCELLED', reason: 'cancelled by CancelImageCreation' });
    expect(await statusesOver(building, 3)).toEqual(['TESTING', 'DISTRIBUTING', 'AVAILABLE']);
    expect(building).toBe(`${ARN_PREFIX}:image/golden/1.0.0/3`);
  });

  test('addPipelineImage rejects a pipeline that does not exist', () => {
    expect(() => endpoint.addPipelineImage(PIPELINE, 'AVAILABLE')).toThrow(/call addPipeline first/);
  });

  test('ListImagePipelineImages of an unknown pipeline is ResourceNotFoundException (404)', async () => {
    const error = await errorOf(imagebuilder.send(new ListImagePipelineImagesCommand({ imagePipelineArn: PIPELINE })));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  test('ListImagePipelineImages pages by pageSize, and the SDK paginator follows nextToken', async () => {
    endpoint.addPipeline(PIPELINE);
    const images = [1, 2, 3, 4, 5].map(() => endpoint.addPipelineImage(PIPELINE, 'AVAILABLE'));
    endpoint.pageSize = 2;

    const listed = [];
    for await (const page of paginateListImagePipelineImages({ client: imagebuilder }, { imagePipelineArn: PIPELINE })) {
      listed.push(...page.imageSummaryList ?? []);
    }

    expect(listed.map((i) => i.arn)).toEqual(images);
    expect(endpoint.requestsFor('ListImagePipelineImages').map((r) => r.body.nextToken)).toEqual([undefined, 'offset-2', 'offset-4']);
  });

  test('ListImagePipelineImages: a forged nextToken is InvalidPaginationTokenException; filters are InvalidRequestException', async () => {
    endpoint.addPipeline(PIPELINE);

    const forged = await errorOf(imagebuilder.send(new ListImagePipelineImagesCommand({ imagePipelineArn: PIPELINE, nextToken: 'forged' })));
    const filtered = await errorOf(imagebuilder.send(new ListImagePipelineImagesCommand({
      imagePipelineArn: PIPELINE, filters: [{ name: 'name', values: ['golden'] }],
    })));

    expect(forged).toBeInstanceOf(InvalidPaginationTokenException);
    expect(filtered).toBeInstanceOf(InvalidRequestException);
    expect([forged.$metadata.httpStatusCode, filtered.$metadata.httpStatusCode]).toEqual([400, 400]);
  });

  test('a deletion is PENDING, then IN_PROGRESS, then SUCCESS, and leaves the image DELETED, listed so', async () => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');

    const started = await imagebuilder.send(new StartResourceStateUpdateCommand({
      resourceArn: imageArn,
      state: { status: 'DELETED' },
      executionRole: ROLE,
      includeResources: { amis: true, snapshots: true },
      clientToken: 'delete-1',
    }));
    const lifecycleExecutionId = started.lifecycleExecutionId!;

    expect(started).toMatchObject({ lifecycleExecutionId: expect.stringMatching(LCE_ID), resourceArn: imageArn });
    expect(endpoint.lifecycleExecutions()).toEqual([{
      lifecycleExecutionId, resourceArn: imageArn, requestedStatus: 'DELETED', executionRole: ROLE, includeResources: { amis: true, snapshots: true }, status: 'PENDING',
    }]);
    expect(endpoint.image(imageArn)?.status).toBe('AVAILABLE');
    expect(await executionStatusesOver(lifecycleExecutionId, 3)).toEqual(['IN_PROGRESS', 'SUCCESS', 'SUCCESS']);
    expect(endpoint.image(imageArn)).toMatchObject({ status: 'DELETED', lifecycleExecutionId });
    const { imageSummaryList } = await imagebuilder.send(new ListImagePipelineImagesCommand({ imagePipelineArn: PIPELINE }));
    expect(imageSummaryList).toEqual([expect.objectContaining({ arn: imageArn, state: { status: 'DELETED' }, lifecycleExecutionId })]);
    expect(endpoint.requestsFor('StartResourceStateUpdate')[0]).toMatchObject({
      method: 'PUT',
      path: '/StartResourceStateUpdate',
      body: { resourceArn: imageArn, state: { status: 'DELETED' }, executionRole: ROLE, includeResources: { amis: true, snapshots: true }, clientToken: 'delete-1' },
    });
    expect(endpoint.requestsFor('GetLifecycleExecution')[0]).toMatchObject({ method: 'GET', path: '/GetLifecycleExecution', query: { lifecycleExecutionId } });
  });

  test('GetLifecycleExecution describes the execution with its start and end times', async () => {
    endpoint.addPipeline(PIPELINE);
    const before = Date.now();
    const lifecycleExecutionId = await startDeletion(endpoint.addPipelineImage(PIPELINE, 'AVAILABLE'));

    const running = (await imagebuilder.send(new GetLifecycleExecutionCommand({ lifecycleExecutionId }))).lifecycleExecution;
    const finished = (await imagebuilder.send(new GetLifecycleExecutionCommand({ lifecycleExecutionId }))).lifecycleExecution;
    const after = Date.now();

    expect(running).toEqual({
      lifecycleExecutionId, resourcesImpactedSummary: { hasImpactedResources: true }, state: { status: 'IN_PROGRESS' }, startTime: expect.any(Date),
    });
    expect(finished).toEqual({ ...running, state: { status: 'SUCCESS' }, endTime: expect.any(Date) });
    const [start, end] = [finished!.startTime!.getTime(), finished!.endTime!.getTime()];
    expect(before).toBeLessThanOrEqual(start);
    expect(start).toBeLessThanOrEqual(end);
    expect(end).toBeLessThanOrEqual(after);
  });

  test('lifecyclePollsPerState keeps an execution in each state for that many polls', async () => {
    endpoint.addPipeline(PIPELINE);
    endpoint.lifecyclePollsPerState = 2;

    const lifecycleExecutionId = await startDeletion(endpoint.addPipelineImage(PIPELINE, 'AVAILABLE'));

    expect(await executionStatusesOver(lifecycleExecutionId, 4)).toEqual(['PENDING', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCESS']);
  });

  test.each([
    ['FAILED', undefined],
    ['CANCELLED', 'CANCELLED'],
  ] as const)('failStateUpdatesOf makes the executions of the image end %s with the reason, leaving the image as it was', async (status, outcome) => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');
    const other = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');
    endpoint.failStateUpdatesOf(imageArn, 'the AMI is in use by a launch template', outcome);

    const failing = await startDeletion(imageArn, 'delete-1');
    const succeeding = await startDeletion(other, 'delete-2');
    await executionStatusesOver(failing, 2);
    await executionStatusesOver(succeeding, 2);

    const { lifecycleExecution } = await imagebuilder.send(new GetLifecycleExecutionCommand({ lifecycleExecutionId: failing }));
    expect(lifecycleExecution?.state).toEqual({ status, reason: 'the AMI is in use by a launch template' });
    expect(endpoint.lifecycleExecutions().map((e) => [e.resourceArn, e.status, e.reason]))
      .toEqual([[imageArn, status, 'the AMI is in use by a launch template'], [other, 'SUCCESS', undefined]]);
    expect([endpoint.image(imageArn)?.status, endpoint.image(other)?.status]).toEqual(['AVAILABLE', 'DELETED']);
  });

  test('the same clientToken for the same image and status answers with the first execution; for another image it is a mismatch', async () => {
    endpoint.addPipeline(PIPELINE);
    const first = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');
    const second = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');
    const started = await startDeletion(first, 'delete-1');
    await executionStatusesOver(started, 2);

    // Replayed even after the image is DELETED, as a retried request is.
    const again = await startDeletion(first, 'delete-1');
    const otherImage = await errorOf(startDeletion(second, 'delete-1'));
    const otherStatus = await errorOf(startDeletion(first, 'delete-1', 'DEPRECATED'));

    expect(again).toBe(started);
    expect(otherImage).toBeInstanceOf(IdempotentParameterMismatchException);
    expect(otherStatus).toBeInstanceOf(IdempotentParameterMismatchException);
    expect(otherImage.$metadata.httpStatusCode).toBe(400);
    expect(endpoint.lifecycleExecutions().map((e) => e.lifecycleExecutionId)).toEqual([started]);
  });

  test('updating an unknown image is ResourceNotFoundException (404); an ARN of another resource type is InvalidParameterValueException', async () => {
    const unknown = await errorOf(startDeletion(IMAGE));
    const recipe = await errorOf(startDeletion(IMAGE_RECIPE));

    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown.$metadata.httpStatusCode).toBe(404);
    expect(recipe).toBeInstanceOf(InvalidParameterValueException);
    expect(endpoint.lifecycleExecutions()).toEqual([]);
  });

  test.each([
    ['still building', 'BUILDING', 'DELETED', /is BUILDING: its build has not finished/],
    ['already deleted', 'DELETED', 'DELETED', /is already DELETED/],
    ['FAILED, to anything but DELETED', 'FAILED', 'DEPRECATED', /is FAILED: it can only be DELETED, not DEPRECATED/],
    ['CANCELLED, to anything but DELETED', 'CANCELLED', 'DISABLED', /is CANCELLED: it can only be DELETED, not DISABLED/],
  ] as const)('updating an image %s is InvalidRequestException (400) and starts nothing', async (_label, imageStatus, status, message) => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = endpoint.addPipelineImage(PIPELINE, imageStatus);

    const error = await errorOf(startDeletion(imageArn, 'update-1', status));

    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(message);
    expect(endpoint.lifecycleExecutions()).toEqual([]);
    expect(endpoint.image(imageArn)?.status).toBe(imageStatus);
  });

  test.each([
    ['FAILED', 'DELETED', 'DELETED'],
    ['CANCELLED', 'DELETED', 'DELETED'],
    ['AVAILABLE', 'DEPRECATED', 'DEPRECATED'],
    ['DEPRECATED', 'DISABLED', 'DISABLED'],
    ['DISABLED', 'AVAILABLE', 'AVAILABLE'],
  ] as const)('an image %s can be made %s', async (imageStatus, status, after) => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = endpoint.addPipelineImage(PIPELINE, imageStatus);

    await executionStatusesOver(await startDeletion(imageArn, 'update-1', status), 2);

    expect(endpoint.image(imageArn)).toMatchObject({ status: after, reason: undefined });
  });

  test('an image with an execution still running is ResourceInUseException until it finishes', async () => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');
    const first = await startDeletion(imageArn, 'deprecate-1', 'DEPRECATED');

    const busy = await errorOf(startDeletion(imageArn, 'delete-1'));
    await executionStatusesOver(first, 2);
    const afterwards = await startDeletion(imageArn, 'delete-1');

    expect(busy).toBeInstanceOf(ResourceInUseException);
    expect(busy.message).toBe(`the image ${imageArn} is being updated by lifecycle execution ${first}`);
    expect(afterwards).not.toBe(first);
    expect(endpoint.image(imageArn)?.lifecycleExecutionId).toBe(afterwards);
  });

  test('GetLifecycleExecution of an unknown ID is ResourceNotFoundException (404)', async () => {
    const error = await errorOf(imagebuilder.send(new GetLifecycleExecutionCommand({ lifecycleExecutionId: 'lce-00000000-0000-4000-8000-000000000000' })));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  test('reset forgets executions and their failures, and restores lifecyclePollsPerState', async () => {
    endpoint.addPipeline(PIPELINE);
    const imageArn = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');
    const lifecycleExecutionId = await startDeletion(imageArn);
    endpoint.failStateUpdatesOf(imageArn, 'refused');
    endpoint.lifecyclePollsPerState = 5;

    endpoint.reset();
    endpoint.addPipeline(PIPELINE);
    const again = endpoint.addPipelineImage(PIPELINE, 'AVAILABLE');

    expect(again).toBe(imageArn);
    expect(endpoint.lifecycleExecutions()).toEqual([]);
    expect(endpoint.lifecyclePollsPerState).toBe(1);
    expect((await errorOf(imagebuilder.send(new GetLifecycleExecutionCommand({ lifecycleExecutionId })))).name).toBe('ResourceNotFoundException');
    expect(await executionStatusesOver(await startDeletion(again), 2)).toEqual(['IN_PROGRESS', 'SUCCESS']);
  });

  test('the constructor sets lifecyclePollsPerState', () => {
    expect(new FakeAwsEndpoint({ lifecyclePollsPerState: 3 }).lifecyclePollsPerState).toBe(3);
  });
});

describe('fault injection', () => {
  test('a 429 injected twice is retried by the SDK and the third attempt succeeds', async () => {
    endpoint.addResource(COMPONENT);
    endpoint.injectFault({ operation: 'PutComponentPolicy', status: 429, errorType: 'CallRateLimitExceededException', times: 2 });

    await imagebuilder.send(new PutComponentPolicyCommand({ componentArn: COMPONENT, policy: policyFor(COMPONENT) }));

    expect(endpoint.requestsFor('PutComponentPolicy').map((r) => r.status)).toEqual([429, 429, 200]);
    expect(endpoint.policyOf(COMPONENT)).toBe(policyFor(COMPONENT));
  });

  const faults: Array<[string, FaultOptions, () => Promise<unknown>, new (...args: any[]) => Error, number]> = [
    ['429 CallRateLimitExceededException on every attempt',
      { operation: 'PutComponentPolicy', status: 429, errorType: 'CallRateLimitExceededException', times: Infinity },
      () => imagebuilder.send(new PutComponentPolicyCommand({ componentArn: COMPONENT, policy: '{}' })), CallRateLimitExceededException, 3],
    ['404 ResourceNotFoundException',
      { operation: 'GetImage', status: 404, errorType: 'ResourceNotFoundException' },
      () => imagebuilder.send(new GetImageCommand({ imageBuildVersionArn: IMAGE })), ResourceNotFoundException, 1],
    ['400 ResourceInUseException',
      { operation: 'StartImagePipelineExecution', status: 400, errorType: 'ResourceInUseException' },
      () => startBuild(), ResourceInUseException, 1],
    ['500 ServiceException on every attempt',
      { operation: 'CancelImageCreation', status: 500, errorType: 'ServiceException', times: Infinity },
      () => imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn: IMAGE })), ServiceException, 3],
    ['400 IdempotentParameterMismatchException',
      { operation: 'StartImagePipelineExecution', status: 400, errorType: 'IdempotentParameterMismatchException' },
      () => startBuild(), IdempotentParameterMismatchException, 1],
    ['429 CallRateLimitExceededException on StartResourceStateUpdate on every attempt',
      { operation: 'StartResourceStateUpdate', status: 429, errorType: 'CallRateLimitExceededException', times: Infinity },
      () => imagebuilder.send(new StartResourceStateUpdateCommand({ resourceArn: IMAGE, state: { status: 'DELETED' } })), CallRateLimitExceededException, 3],
    ['400 RAM UnknownResourceException',
      { operation: 'GetResourceShares', status: 400, errorType: 'UnknownResourceException' },
      () => ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' })), UnknownResourceException, 1],
    ['429 RAM ThrottlingException on every attempt',
      { operation: 'ListResources', status: 429, errorType: 'ThrottlingException', times: Infinity },
      () => ram.send(new ListResourcesCommand({ resourceOwner: 'SELF' })), ThrottlingException, 3],
    ['404 Lambda ResourceNotFoundException',
      { operation: 'Invoke', status: 404, errorType: 'ResourceNotFoundException' },
      () => lambda.send(new InvokeCommand({ FunctionName: 'handler', InvocationType: 'Event' })), LambdaResourceNotFoundException, 1],
  ];

  test.each(faults)('%s surfaces as the SDK exception after the SDK retries it or not', async (_name, fault, call, exception, attempts) => {
    endpoint.addPipeline(PIPELINE);
    endpoint.injectFault({ ...fault, message: `${fault.errorType} for the test` });

    const error = await errorOf(call());

    expect(error).toBeInstanceOf(exception);
    expect(error.name).toBe(fault.errorType);
    expect(error.message).toBe(`${fault.errorType} for the test`);
    expect(error.$metadata.httpStatusCode).toBe(fault.status);
    expect(endpoint.requestsFor(fault.operation).map((r) => r.status)).toEqual(Array(attempts).fill(fault.status));
  });

  test('after its last time a fault stops and normal behaviour resumes', async () => {
    endpoint.addPipeline(PIPELINE);
    endpoint.injectFault({ operation: 'StartImagePipelineExecution', status: 400, errorType: 'ResourceInUseException' });

    expect((await errorOf(startBuild())).message).toBe('injected ResourceInUseException');
    expect(await startBuild()).toBe(`${ARN_PREFIX}:image/golden/1.0.0/1`);
  });

  test('a fault fails only its own operation', async () => {
    endpoint.addPipeline(PIPELINE);
    endpoint.injectFault({ operation: 'GetImage', status: 404, errorType: 'ResourceNotFoundException', times: Infinity });

    expect(await startBuild()).toBe(`${ARN_PREFIX}:image/golden/1.0.0/1`);
  });
});

describe('Lambda Invoke', () => {
  test('an Event invocation is answered 202 and recorded with its payload', async () => {
    const result = await lambda.send(new InvokeCommand({
      FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:image-handler',
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify({ RequestType: 'Create', attempt: 2 })),
    }));

    expect(result.StatusCode).toBe(202);
    expect(endpoint.invocations).toEqual([{
      functionName: 'arn:aws:lambda:us-east-1:123456789012:function:image-handler',
      invocationType: 'Event',
      payload: { RequestType: 'Create', attempt: 2 },
    }]);
  });

  test('a RequestResponse invocation is answered 200', async () => {
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'image-handler', Payload: Buffer.from('{}') }));

    expect(result.StatusCode).toBe(200);
    expect(endpoint.invocations.map((i) => i.invocationType)).toEqual(['RequestResponse']);
  });
});

describe('request log', () => {
  test('records service, operation, method, path, query and parsed body', async () => {
    endpoint.addResource(COMPONENT);
    await imagebuilder.send(new PutComponentPolicyCommand({ componentArn: COMPONENT, policy: '{}' }));
    await imagebuilder.send(new GetComponentPolicyCommand({ componentArn: COMPONENT }));

    expect(endpoint.requests).toEqual([
      expect.objectContaining({ service: 'imagebuilder', operation: 'PutComponentPolicy', method: 'PUT', path: '/PutComponentPolicy', body: { componentArn: COMPONENT, policy: '{}' }, status: 200 }),
      expect.objectContaining({ service: 'imagebuilder', operation: 'GetComponentPolicy', method: 'GET', path: '/GetComponentPolicy', query: { componentArn: COMPONENT }, body: undefined }),
    ]);
    expect(endpoint.requests[0].headers.authorization).toContain('/us-east-1/imagebuilder/aws4_request');
  });

  test('a route the endpoint does not serve is answered 404 UnknownOperationException and recorded', async () => {
    const response = await fetch(`${endpoint.url}/ListImages`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(endpoint.requests).toEqual([expect.objectContaining({ service: 'unknown', operation: 'UnknownOperation', path: '/ListImages' })]);
  });

  test('reset forgets requests, state and faults', async () => {
    await shareComponent();
    endpoint.injectFault({ operation: 'GetResourceShares', status: 400, errorType: 'UnknownResourceException', times: Infinity });
    endpoint.pageSize = 1;

    endpoint.reset();

    expect(endpoint.requests).toEqual([]);
    expect(endpoint.policyOf(COMPONENT)).toBeUndefined();
    expect(endpoint.pageSize).toBe(1000);
    expect((await ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF' }))).resourceShares).toEqual([]);
  });
});

describe('CfnResponseServer', () => {
  const server = new CfnResponseServer();
  let url: string;

  beforeAll(async () => {
    url = await server.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => server.reset());

  const put = (body: object) => fetch(`${url}/cfn-response?X-Amz-Signature=abc`, { method: 'PUT', body: JSON.stringify(body) });

  test('records a PUT with its parsed body and answers 200', async () => {
    const response = await put({ Status: 'SUCCESS', PhysicalResourceId: 'p-1' });

    expect(response.status).toBe(200);
    expect(await server.nextResponse()).toMatchObject({
      method: 'PUT', path: '/cfn-response?X-Amz-Signature=abc', body: { Status: 'SUCCESS', PhysicalResourceId: 'p-1' },
    });
  });

  test('nextResponse waits for a response sent later and hands each out once, in order', async () => {
    const first = server.nextResponse();
    await put({ Status: 'FAILED', Reason: 'first' });
    await put({ Status: 'SUCCESS', Reason: 'second' });

    expect((await first).body.Reason).toBe('first');
    expect((await server.nextResponse()).body.Reason).toBe('second');
    expect(server.responses).toHaveLength(2);
  });

  test('answers with statusCode until reset', async () => {
    server.statusCode = 403;
    const refused = await put({ Status: 'SUCCESS' });

    server.reset();

    expect(refused.status).toBe(403);
    expect((await put({ Status: 'SUCCESS' })).status).toBe(200);
  });

  test('nextResponse rejects when no response arrives in time', async () => {
    await expect(server.nextResponse(20)).rejects.toThrow('no custom-resource response within 20 ms (0 received so far)');
  });
});
