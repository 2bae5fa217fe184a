import { randomUUID } from 'crypto';
import * as http from 'http';
import { closeServer, listenLocally } from './local-server';

/**
 * An in-memory stand-in for the parts of EC2 Image Builder, AWS RAM and Lambda that the
 * custom-resource handler calls, spoken over the services' real restJson1 wire protocol so that
 * tests run the real AWS SDK v3 clients against it:
 *
 *   new ImagebuilderClient({ endpoint: await fake.start(), region: 'us-east-1',
 *     credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
 *
 * Routes, HTTP statuses and error names follow the SDK's own schemas
 * (node_modules/@aws-sdk/client-{imagebuilder,ram,lambda}).
 */

export const FAKE_ACCOUNT = '123456789012';
/** When the endpoint's first build started; each later one starts a minute after the one before. */
const FIRST_BUILD_DATE = Date.UTC(2026, 0, 1);
export const FAKE_REGION = 'us-east-1';

export type FakeService = 'imagebuilder' | 'ram' | 'lambda';

/** One request the endpoint received, with the status it was answered with. */
export interface RecordedRequest {
  /** `unknown` for a route the endpoint does not serve. */
  readonly service: FakeService | 'unknown';
  /** The API operation, e.g. `PutComponentPolicy`; `UnknownOperation` for an unknown route. */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: http.IncomingHttpHeaders;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  readonly body: any;
  readonly status: number;
}

/** Makes the next calls of one operation fail; see `FakeAwsEndpoint.injectFault`. */
export interface FaultOptions {
  /** The operation to fail, e.g. `PutComponentPolicy`, `ListResources`, `Invoke`. */
  readonly operation: string;
  /** The HTTP status the SDK models for `errorType` (e.g. 429 for `CallRateLimitExceededException`, 400 for `ResourceInUseException`). */
  readonly status: number;
  /** Sent as `x-amzn-errortype`; the SDK throws the exception class of this name. */
  readonly errorType: string;
  /** @default - `injected <errorType>` */
  readonly message?: string;
  /** How many calls fail before normal behaviour resumes; `Infinity` for every call. @default 1 */
  readonly times?: number;
  /** How many calls of `operation` succeed before the first that fails. @default 0 */
  readonly after?: number;
}

export interface FakeAmi {
  readonly region: string;
  readonly image: string;
  /** The account that owns this copy. @default - the account of the build */
  readonly accountId?: string;
}

export interface FakeContainer {
  readonly region: string;
  readonly uri: string;
}

export interface FakePipelineOptions {
  /** The state every build of this pipeline ends in. @default 'AVAILABLE' */
  readonly outcome?: 'AVAILABLE' | 'FAILED';
  /** `state.reason` of a FAILED image. @default 'the build failed' */
  readonly failureReason?: string;
  /** The AMIs an AVAILABLE image reports in `outputResources.amis`. @default - none */
  readonly amis?: readonly FakeAmi[];
  /** The image URI an AVAILABLE image reports in `outputResources.containers` (in us-east-1). @default - none */
  readonly containerUri?: string;
  /** The container images an AVAILABLE image reports, in this order, in place of `containerUri`'s. @default - none */
  readonly containers?: readonly FakeContainer[];
  /** How many GetImage calls it takes to move the image one state along. @default 1 */
  readonly stepsPerState?: number;
  /** The pipeline's tags, as GetImagePipeline returns them. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

export type FakeImageStatus =
  'PENDING' | 'BUILDING' | 'TESTING' | 'DISTRIBUTING' | 'AVAILABLE' | 'FAILED' | 'CANCELLED' | 'DEPRECATED' | 'DISABLED' | 'DELETED';

export interface FakeImage {
  readonly arn: string;
  readonly pipelineArn: string;
  readonly status: FakeImageStatus;
  readonly reason?: string;
  /** The `tags` StartImagePipelineExecution was called with, which GetImage returns. */
  readonly tags?: Readonly<Record<string, string>>;
  /** The last lifecycle execution started for the image, which GetImage and ListImagePipelineImages return. */
  readonly lifecycleExecutionId?: string;
}

/** An image of a pipeline made to exist without a build; see `FakeAwsEndpoint.addPipelineImage`. */
export interface FakePipelineImageOptions {
  /**
   * `state.reason`.
   * @default - the pipeline's `failureReason` (or 'the build failed') for FAILED, 'cancelled by CancelImageCreation' for CANCELLED, none otherwise
   */
  readonly reason?: string;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The states StartResourceStateUpdate can move an image to. */
export type FakeResourceStatus = 'AVAILABLE' | 'DELETED' | 'DEPRECATED' | 'DISABLED';

/** Where a lifecycle execution stands; SUCCESS, FAILED and CANCELLED are final. */
export type FakeLifecycleExecutionStatus = 'PENDING' | 'IN_PROGRESS' | 'SUCCESS' | 'FAILED' | 'CANCELLED';

/** StartResourceStateUpdate's `includeResources`: the resources the image distributed that the update applies to as well. */
export interface FakeIncludeResources {
  readonly amis?: boolean;
  readonly snapshots?: boolean;
  readonly containers?: boolean;
}

/** A lifecycle execution StartResourceStateUpdate started: what it was asked and where it stands. */
export interface FakeLifecycleExecution {
  readonly lifecycleExecutionId: string;
  readonly resourceArn: string;
  /** The `state.status` asked for. */
  readonly requestedStatus: FakeResourceStatus;
  readonly executionRole?: string;
  readonly includeResources?: FakeIncludeResources;
  readonly status: FakeLifecycleExecutionStatus;
  /** Why a FAILED or CANCELLED execution ended so. */
  readonly reason?: string;
}

/** A tag of a RAM resource share. */
export interface FakeTag {
  readonly key: string;
  readonly value: string;
}

/** An account's own resource share; see `FakeAwsEndpoint.addOwnResourceShare`. */
export interface FakeOwnShareOptions {
  /** @default - none */
  readonly tags?: readonly FakeTag[];
}

/** RAM's featureSet of a share or permission; PROMOTING_TO_STANDARD while a promotion is in progress. */
export type FakeFeatureSet = 'CREATED_FROM_POLICY' | 'PROMOTING_TO_STANDARD' | 'STANDARD';

export interface FakeResourceShare {
  readonly resourceShareArn: string;
  readonly name: string;
  readonly featureSet: FakeFeatureSet;
  readonly status: 'ACTIVE';
  readonly resourceArns: readonly string[];
  /** The managed permissions associated with the share. */
  readonly permissionArns: readonly string[];
  /** As GetResourceShares returns them. */
  readonly tags: readonly FakeTag[];
}

/** A RAM managed permission, as `ListResourceSharePermissions` summarises it. */
export interface FakePermission {
  readonly arn: string;
  readonly name: string;
  /** The RAM resource type it applies to, e.g. `imagebuilder:Component`. */
  readonly resourceType: string;
  readonly permissionType: 'CUSTOMER_MANAGED' | 'AWS_MANAGED';
  readonly featureSet: FakeFeatureSet;
}

export interface LambdaInvocation {
  readonly functionName: string;
  readonly invocationType: string;
  /** The payload parsed as JSON; undefined when empty or not JSON. */
  readonly payload: any;
}

export interface FakeAwsEndpointOptions {
  /**
   * The most items ListResources, GetResourceShares, ListResourceSharePermissions and
   * ListImagePipelineImages return per page. @default 1000
   */
  readonly pageSize?: number;
  /** How many GetLifecycleExecution calls it takes to move a lifecycle execution one state along. @default 1 */
  readonly lifecyclePollsPerState?: number;
  /** @default false */
  readonly policyMatchesAwsManagedPermission?: boolean;
  /** @default 0 */
  readonly listingsBeforeShareAppears?: number;
  /** @default 0 */
  readonly callsWhileSharePromotes?: number;
  /** @default 0 */
  readonly callsWhilePermissionPromotes?: number;
}

/** How RAM treats a resource policy; tests may change these between calls. */
export interface FakeRamBehaviour {
  /**
   * The policies grant exactly what an AWS managed permission grants, so RAM gives the share
   * created from a policy that STANDARD permission and the share can be promoted without first
   * promoting a permission. Otherwise the share gets a CREATED_FROM_POLICY permission of its own.
   */
  policyMatchesAwsManagedPermission: boolean;
  /**
   * RAM creates the share for a policy shortly after the policy is put: this many ListResources
   * calls miss a new share (GetResourceShares misses it too until then).
   */
  listingsBeforeShareAppears: number;
  /**
   * RAM promotes a share in the background: after PromoteResourceShareCreatedFromPolicy the share
   * is PROMOTING_TO_STANDARD for this many RAM calls (any operation; `Infinity`: it never
   * finishes), and cannot be changed, tagged or promoted again until it is STANDARD.
   */
  callsWhileSharePromotes: number;
  /**
   * Likewise for the permission PromotePermissionCreatedFromPolicy creates: PROMOTING_TO_STANDARD
   * (as its answer says) for this many RAM calls, and until then no share's permission matches it
   * (PromoteResourceShareCreatedFromPolicy answers UnmatchedPolicyPermissionException).
   */
  callsWhilePermissionPromotes: number;
}

/** The Image Builder resources that take a resource policy, and how each is named on the wire and in RAM. */
interface PolicyKind {
  readonly arnField: string;
  readonly arnPattern: RegExp;
  readonly arnShape: string;
  readonly ramType: string;
}

const imagebuilderArn = (resource: string, version: string) =>
  new RegExp(`^arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:\\d{12}:${resource}/[a-z0-9_-]+/${version}$`);
const SEMVER = '\\d+\\.\\d+\\.\\d+';

const POLICY_KINDS = {
  component: { arnField: 'componentArn', arnPattern: imagebuilderArn('component', `${SEMVER}/\\d+`), arnShape: 'a component build version ARN (…:component/<name>/x.y.z/N)', ramType: 'imagebuilder:Component' },
  image: { arnField: 'imageArn', arnPattern: imagebuilderArn('image', `${SEMVER}/\\d+`), arnShape: 'an image build version ARN (…:image/<name>/x.y.z/N)', ramType: 'imagebuilder:Image' },
  imageRecipe: { arnField: 'imageRecipeArn', arnPattern: imagebuilderArn('image-recipe', SEMVER), arnShape: 'an image recipe ARN (…:image-recipe/<name>/x.y.z)', ramType: 'imagebuilder:ImageRecipe' },
  containerRecipe: { arnField: 'containerRecipeArn', arnPattern: imagebuilderArn('container-recipe', SEMVER), arnShape: 'a container recipe ARN (…:container-recipe/<name>/x.y.z)', ramType: 'imagebuilder:ContainerRecipe' },
} satisfies Record<string, PolicyKind>;

const PIPELINE_ARN = /^arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:\d{12}:image-pipeline\/([a-z0-9_-]+)$/;

/** The states an image passes through before its pipeline's outcome. */
const BUILD_STATES: readonly FakeImageStatus[] = ['PENDING', 'BUILDING', 'TESTING', 'DISTRIBUTING'];
/** The states an image no longer leaves on its own; a lifecycle action (StartResourceStateUpdate) may still change them. */
const TERMINAL_STATES: ReadonlySet<FakeImageStatus> = new Set(['AVAILABLE', 'FAILED', 'CANCELLED', 'DEPRECATED', 'DISABLED', 'DELETED']);
const RESOURCE_STATUSES: ReadonlySet<string> = new Set<FakeResourceStatus>(['AVAILABLE', 'DELETED', 'DEPRECATED', 'DISABLED']);
const FINAL_EXECUTION_STATES: ReadonlySet<FakeLifecycleExecutionStatus> = new Set(['SUCCESS', 'FAILED', 'CANCELLED']);
const INCLUDED_RESOURCES: ReadonlyArray<keyof FakeIncludeResources> = ['amis', 'snapshots', 'containers'];

/** Lambda answers an invocation with a status that depends on its type. */
const INVOKE_STATUS: Record<string, number> = { RequestResponse: 200, Event: 202, DryRun: 204 };

/** Raised by a handler to answer with a service error. */
class ServiceError extends Error {
  constructor(readonly status: number, readonly errorType: string, message: string) {
    super(message);
  }
}

const notFound = (message: string) => new ServiceError(404, 'ResourceNotFoundException', message);
const invalidValue = (message: string) => new ServiceError(400, 'InvalidParameterValueException', message);
const unknownShare = (arn: string) => new ServiceError(400, 'UnknownResourceException', `resource share ${arn} does not exist`);
const notPermitted = (message: string) => new ServiceError(400, 'OperationNotPermittedException', message);
const invalidRequest = (message: string) => new ServiceError(400, 'InvalidRequestException', message);

/** RAM's rule for a permission name (CreatePermission documents it; promotion creates one the same way). */
const PERMISSION_NAME = /^[\w-]{1,36}$/;
const customerPermissionArn = (name: string) => `arn:aws:ram:${FAKE_REGION}:${FAKE_ACCOUNT}:permission/${name}`;

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

/** What a handler sees of a request. */
interface Call {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

interface Route {
  readonly method: string;
  readonly path: string | RegExp;
  readonly operation: string;
  readonly handle: (call: Call) => Reply;
}

interface PendingFault {
  readonly operation: string;
  readonly error: ServiceError;
  remaining: number;
  /** Calls still to let through before failing. */
  passing: number;
}

/** A promotion in progress ends after RAM call number `promotingUntil` (see `FakeRamBehaviour`). */
interface Promotable {
  featureSet: FakeFeatureSet;
  promotingUntil?: number;
}

interface ShareState extends Promotable {
  readonly resourceShareArn: string;
  readonly name: string;
  readonly resourceArns: Set<string>;
  permissionArns: string[];
  /** Whether RAM created the share from a resource policy (promoted since or not) rather than the account in RAM. */
  readonly fromPolicy: boolean;
  /** ListResources calls that still miss the share. */
  hiddenFor: number;
  /** Set by TagResource, returned by GetResourceShares. */
  tags: FakeTag[];
}

interface PermissionState extends Omit<FakePermission, 'featureSet'>, Promotable {
  /** What the permission grants: a promoted permission matches the CREATED_FROM_POLICY one it was promoted from. */
  readonly grants: string;
  readonly creationTime: Date;
}

interface PipelineState {
  readonly name: string;
  readonly options: FakePipelineOptions;
  builds: number;
}

interface ImageState {
  readonly arn: string;
  readonly pipelineArn: string;
  readonly pipeline: PipelineState;
  readonly buildNumber: number;
  /** When the build started: a minute after the endpoint's previous build. */
  readonly dateCreated: string;
  status: FakeImageStatus;
  reason?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** GetImage calls since the last change of state. */
  polls: number;
  lifecycleExecutionId?: string;
}

interface LifecycleExecutionState {
  readonly lifecycleExecutionId: string;
  readonly resourceArn: string;
  readonly requestedStatus: FakeResourceStatus;
  readonly executionRole?: string;
  readonly includeResources?: FakeIncludeResources;
  readonly startTime: Date;
  endTime?: Date;
  status: FakeLifecycleExecutionStatus;
  reason?: string;
  /** GetLifecycleExecution calls since the last change of state. */
  polls: number;
}

/** How the lifecycle executions of a resource end; see `FakeAwsEndpoint.failStateUpdatesOf`. */
interface StateUpdateFailure {
  readonly status: 'FAILED' | 'CANCELLED';
  readonly reason: string;
}

export class FakeAwsEndpoint {
  /** Every request received, in order, including those answered with an injected fault. */
  public readonly requests: RecordedRequest[] = [];
  /** Every Lambda Invoke that was not answered with a fault. */
  public readonly invocations: LambdaInvocation[] = [];
  /** The most items a RAM list operation or ListImagePipelineImages returns per page; `reset()` restores the constructor's value. */
  public pageSize: number;
  /**
   * How many GetLifecycleExecution calls it takes to move a lifecycle execution one state along
   * (PENDING, IN_PROGRESS, then its outcome); `Infinity`: it never finishes. `reset()` restores the
   * constructor's value.
   */
  public lifecyclePollsPerState: number;
  /** `reset()` restores the constructor's values. */
  public readonly options: FakeRamBehaviour;

  private readonly defaultPageSize: number;
  private readonly defaultLifecyclePollsPerState: number;
  private readonly defaultOptions: FakeRamBehaviour;
  private readonly server = http.createServer((req, res) => this.onRequest(req, res));
  private baseUrl?: string;

  private readonly resources = new Set<string>();
  private readonly policies = new Map<string, string>();
  private readonly shares = new Map<string, ShareState>();
  private readonly permissions = new Map<string, PermissionState>();
  private readonly pipelines = new Map<string, PipelineState>();
  private readonly images = new Map<string, ImageState>();
  /** Builds added since the start or the last `reset()`, which dates each new one. */
  private buildsStarted = 0;
  /** By ID, in the order StartResourceStateUpdate started them. */
  private readonly executions = new Map<string, LifecycleExecutionState>();
  /** Resource ARN → how its lifecycle executions end, instead of SUCCESS. */
  private readonly stateUpdateFailures = new Map<string, StateUpdateFailure>();
  /** `<operation> <clientToken>` → what the first call was about and what it answered. */
  private readonly tokens = new Map<string, { readonly subject: string; readonly reply: Reply }>();
  private faults: PendingFault[] = [];
  /** RAM calls received, which the promotions in progress count. */
  private ramCalls = 0;

  /** One table per service: (method, path) → operation → handler. The services' paths do not overlap. */
  private readonly routes: Record<FakeService, Route[]> = {
    imagebuilder: [
      { method: 'PUT', path: '/PutComponentPolicy', operation: 'PutComponentPolicy', handle: (c) => this.putPolicy(c, POLICY_KINDS.component) },
      { method: 'PUT', path: '/PutImagePolicy', operation: 'PutImagePolicy', handle: (c) => this.putPolicy(c, POLICY_KINDS.image) },
      { method: 'PUT', path: '/PutImageRecipePolicy', operation: 'PutImageRecipePolicy', handle: (c) => this.putPolicy(c, POLICY_KINDS.imageRecipe) },
      { method: 'PUT', path: '/PutContainerRecipePolicy', operation: 'PutContainerRecipePolicy', handle: (c) => this.putPolicy(c, POLICY_KINDS.containerRecipe) },
      { method: 'GET', path: '/GetComponentPolicy', operation: 'GetComponentPolicy', handle: (c) => this.getPolicy(c, POLICY_KINDS.component) },
      { method: 'GET', path: '/GetImagePolicy', operation: 'GetImagePolicy', handle: (c) => this.getPolicy(c, POLICY_KINDS.image) },
      { method: 'GET', path: '/GetImageRecipePolicy', operation: 'GetImageRecipePolicy', handle: (c) => this.getPolicy(c, POLICY_KINDS.imageRecipe) },
      { method: 'GET', path: '/GetContainerRecipePolicy', operation: 'GetContainerRecipePolicy', handle: (c) => this.getPolicy(c, POLICY_KINDS.containerRecipe) },
      { method: 'PUT', path: '/StartImagePipelineExecution', operation: 'StartImagePipelineExecution', handle: (c) => this.startPipelineExecution(c) },
      { method: 'GET', path: '/GetImage', operation: 'GetImage', handle: (c) => this.getImage(c) },
      { method: 'PUT', path: '/CancelImageCreation', operation: 'CancelImageCreation', handle: (c) => this.cancelImageCreation(c) },
      { method: 'GET', path: '/GetImagePipeline', operation: 'GetImagePipeline', handle: (c) => this.getImagePipeline(c) },
      { method: 'POST', path: '/ListImagePipelineImages', operation: 'ListImagePipelineImages', handle: (c) => this.listPipelineImages(c) },
      { method: 'PUT', path: '/StartResourceStateUpdate', operation: 'StartResourceStateUpdate', handle: (c) => this.startResourceStateUpdate(c) },
      { method: 'GET', path: '/GetLifecycleExecution', operation: 'GetLifecycleExecution', handle: (c) => this.getLifecycleExecution(c) },
    ],
    ram: [
      { method: 'POST', path: '/listresources', operation: 'ListResources', handle: (c) => this.listResources(c) },
      { method: 'POST', path: '/getresourceshares', operation: 'GetResourceShares', handle: (c) => this.getResourceShares(c) },
      { method: 'POST', path: '/promoteresourcesharecreatedfrompolicy', operation: 'PromoteResourceShareCreatedFromPolicy', handle: (c) => this.promoteShare(c) },
      { method: 'POST', path: '/disassociateresourceshare', operation: 'DisassociateResourceShare', handle: (c) => this.disassociateShare(c) },
      { method: 'DELETE', path: '/deleteresourceshare', operation: 'DeleteResourceShare', handle: (c) => this.deleteShare(c) },
      { method: 'POST', path: '/tagresource', operation: 'TagResource', handle: (c) => this.tagResource(c) },
      { method: 'POST', path: '/listresourcesharepermissions', operation: 'ListResourceSharePermissions', handle: (c) => this.listSharePermissions(c) },
      { method: 'POST', path: '/promotepermissioncreatedfrompolicy', operation: 'PromotePermissionCreatedFromPolicy', handle: (c) => this.promotePermission(c) },
      { method: 'DELETE', path: '/deletepermission', operation: 'DeletePermission', handle: (c) => this.deletePermission(c) },
    ],
    lambda: [
      { method: 'POST', path: /^\/2015-03-31\/functions\/[^/]+\/invocations$/, operation: 'Invoke', handle: (c) => this.invoke(c) },
    ],
  };

  constructor(options: FakeAwsEndpointOptions = {}) {
    this.defaultPageSize = options.pageSize ?? 1000;
    this.pageSize = this.defaultPageSize;
    this.defaultLifecyclePollsPerState = options.lifecyclePollsPerState ?? 1;
    this.lifecyclePollsPerState = this.defaultLifecyclePollsPerState;
    this.defaultOptions = {
      policyMatchesAwsManagedPermission: options.policyMatchesAwsManagedPermission ?? false,
      listingsBeforeShareAppears: options.listingsBeforeShareAppears ?? 0,
      callsWhileSharePromotes: options.callsWhileSharePromotes ?? 0,
      callsWhilePermissionPromotes: options.callsWhilePermissionPromotes ?? 0,
    };
    this.options = { ...this.defaultOptions };
  }

  /** Listens on 127.0.0.1 on a free port and resolves the base URL to give the SDK clients as `endpoint`. */
  public async start(): Promise<string> {
    this.baseUrl = await listenLocally(this.server);
    return this.baseUrl;
  }

  /** Closes the server, including the keep-alive connections the SDK clients hold open. */
  public async stop(): Promise<void> {
    await closeServer(this.server);
  }

  public get url(): string {
    if (!this.baseUrl) {
      throw new Error('the fake AWS endpoint is not started: call start() first');
    }
    return this.baseUrl;
  }

  /** Makes a component, image, image recipe or container recipe exist, so its policy can be put. */
  public addResource(arn: string): void {
    this.resources.add(arn);
  }

  /** Makes a pipeline exist, so StartImagePipelineExecution can build images from it. */
  public addPipeline(pipelineArn: string, options: FakePipelineOptions = {}): void {
    const name = PIPELINE_ARN.exec(pipelineArn)?.[1];
    if (!name) {
      throw new Error(`pipelineArn must be an image pipeline ARN (…:image-pipeline/<name>), got '${pipelineArn}'`);
    }
    this.pipelines.set(pipelineArn, { name, options, builds: 0 });
  }

  /**
   * Makes an image of the pipeline exist in `status`, as if a build had got there, under the
   * pipeline's next build number; returns its ARN. An image added in a build state moves on with
   * GetImage like a started build.
   */
  public addPipelineImage(pipelineArn: string, status: FakeImageStatus, options: FakePipelineImageOptions = {}): string {
    const pipeline = this.pipelines.get(pipelineArn);
    if (!pipeline) {
      throw new Error(`the pipeline ${pipelineArn} does not exist: call addPipeline first`);
    }
    const defaultReason = status === 'FAILED' ? pipeline.options.failureReason ?? 'the build failed'
      : status === 'CANCELLED' ? 'cancelled by CancelImageCreation' : undefined;
    return this.addImage(pipelineArn, pipeline, status, options.reason ?? defaultReason, options.tags).arn;
  }

  /**
   * Makes the next `times` calls of `operation` fail with `status` and `errorType` before normal
   * behaviour resumes. Faults on the same operation apply one after the other.
   */
  public injectFault(fault: FaultOptions): void {
    const error = new ServiceError(fault.status, fault.errorType, fault.message ?? `injected ${fault.errorType}`);
    this.faults.push({ operation: fault.operation, error, remaining: fault.times ?? 1, passing: fault.after ?? 0 });
  }

  public requestsFor(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  public policyOf(resourceArn: string): string | undefined {
    return this.policies.get(resourceArn);
  }

  public resourceShares(): FakeResourceShare[] {
    return [...this.shares.values()].map(describeShare);
  }

  /** Adds a resource to a share, as AssociateResourceShare would: one share can hold several resources. */
  public addToShare(resourceShareArn: string, resourceArn: string): void {
    this.resources.add(resourceArn);
    this.existingShare(resourceShareArn).resourceArns.add(resourceArn);
  }

  /**
   * Creates a STANDARD share of the resource owned by this account, as the account's own
   * AWS::RAM::ResourceShare would, with the resource type's AWS managed permission; returns its ARN.
   * A policy put on the resource later is still shared through a share created from it.
   */
  public addOwnResourceShare(resourceArn: string, options: FakeOwnShareOptions = {}): string {
    const resourceType = ramTypeOf(resourceArn);
    if (!resourceType || resourceArn.split(':')[4] !== FAKE_ACCOUNT) {
      throw new Error(`resourceArn must be a component, image, image recipe or container recipe of account ${FAKE_ACCOUNT}, got '${resourceArn}'`);
    }
    const id = randomUUID();
    const resourceShareArn = `arn:aws:ram:${FAKE_REGION}:${FAKE_ACCOUNT}:resource-share/${id}`;
    this.resources.add(resourceArn);
    this.shares.set(resourceShareArn, {
      resourceShareArn,
      name: `own-share-${id}`,
      featureSet: 'STANDARD',
      resourceArns: new Set([resourceArn]),
      permissionArns: [this.awsManagedPermission(resourceType).arn],
      fromPolicy: false,
      hiddenFor: 0,
      tags: [...options.tags ?? []],
    });
    return resourceShareArn;
  }

  /** Associates a managed permission with a share, as AssociateResourceSharePermission would. */
  public addPermissionToShare(resourceShareArn: string, permissionArn: string): void {
    this.existingPermission(permissionArn);
    this.modifiableShare(resourceShareArn).permissionArns.push(permissionArn);
  }

  /** The share created from a policy (promoted since or not) that holds the resource, if any; shares of `addOwnResourceShare` are left out. */
  public shareOf(resourceArn: string): FakeResourceShare | undefined {
    const share = this.shareHolding(resourceArn);
    return share && describeShare(share);
  }

  /** The share with this ARN, if it exists. */
  public resourceShare(resourceShareArn: string): FakeResourceShare | undefined {
    const share = this.shares.get(resourceShareArn);
    return share && describeShare(share);
  }

  /** Every managed permission RAM holds for the account: created from a policy, promoted, or AWS managed in use. */
  public managedPermissions(): FakePermission[] {
    return [...this.permissions.values()].map(describePermission);
  }

  public permission(permissionArn: string): FakePermission | undefined {
    const permission = this.permissions.get(permissionArn);
    return permission && describePermission(permission);
  }

  public image(imageArn: string): FakeImage | undefined {
    const image = this.images.get(imageArn);
    return image && {
      arn: image.arn,
      pipelineArn: image.pipelineArn,
      status: image.status,
      reason: image.reason,
      tags: image.tags,
      lifecycleExecutionId: image.lifecycleExecutionId,
    };
  }

  /** Every lifecycle execution StartResourceStateUpdate started, in order: a replayed clientToken starts none. */
  public lifecycleExecutions(): FakeLifecycleExecution[] {
    return [...this.executions.values()].map((e) => ({
      lifecycleExecutionId: e.lifecycleExecutionId,
      resourceArn: e.resourceArn,
      requestedStatus: e.requestedStatus,
      executionRole: e.executionRole,
      includeResources: e.includeResources,
      status: e.status,
      reason: e.reason,
    }));
  }

  /**
   * Makes every lifecycle execution of the resource, started before or after, end `status` with
   * `reason` instead of SUCCESS, leaving the resource as it was.
   */
  public failStateUpdatesOf(resourceArn: string, reason: string, status: StateUpdateFailure['status'] = 'FAILED'): void {
    this.stateUpdateFailures.set(resourceArn, { status, reason });
  }

  /**
   * Deletes an image as a lifecycle policy does: GetImage then answers ResourceNotFoundException,
   * or, with `keepRecord`, still finds the image, in state DELETED and without outputs.
   */
  public deleteImage(imageArn: string, options: { readonly keepRecord?: boolean } = {}): void {
    const image = this.existingImage(imageArn);
    if (options.keepRecord) {
      image.status = 'DELETED';
      image.reason = 'deleted by a lifecycle policy';
    } else {
      this.images.delete(imageArn);
      this.resources.delete(imageArn);
    }
  }

  /**
   * Forgets all resources, policies, shares, permissions, pipelines, images, lifecycle executions
   * and their failures, tokens, faults and recorded requests.
   */
  public reset(): void {
    this.requests.length = 0;
    this.invocations.length = 0;
    this.pageSize = this.defaultPageSize;
    this.lifecyclePollsPerState = this.defaultLifecyclePollsPerState;
    Object.assign(this.options, this.defaultOptions);
    this.resources.clear();
    this.policies.clear();
    this.shares.clear();
    this.permissions.clear();
    this.pipelines.clear();
    this.images.clear();
    this.buildsStarted = 0;
    this.executions.clear();
    this.stateUpdateFailures.clear();
    this.tokens.clear();
    this.faults = [];
    this.ramCalls = 0;
  }

  /** RAM finishes every promotion in progress, as it would given time. */
  public finishPromotions(): void {
    [...this.shares.values(), ...this.permissions.values()]
      .filter((item) => item.featureSet === 'PROMOTING_TO_STANDARD')
      .forEach((item) => item.promotingUntil = this.ramCalls - 1);
    this.settlePromotions();
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const call: Call = {
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: parseJson(Buffer.concat(chunks).toString('utf8')),
      };
      const match = this.route(req.method ?? 'GET', call.path);
      if (match?.service === 'ram') {
        this.ramCalls += 1;
        this.settlePromotions();
      }
      const reply = match ? this.answer(match.route, call) : errorReply(new ServiceError(404, 'UnknownOperationException', `no fake for ${req.method} ${call.path}`));
      // Recorded before answering, so a test sees the request as soon as its SDK call returns.
      this.requests.push({
        service: match?.service ?? 'unknown',
        operation: match?.route.operation ?? 'UnknownOperation',
        method: req.method ?? 'GET',
        ...call,
        status: reply.status,
      });
      send(res, reply);
    });
  }

  private route(method: string, path: string): { service: FakeService; route: Route } | undefined {
    for (const service of Object.keys(this.routes) as FakeService[]) {
      const route = this.routes[service].find((r) => r.method === method && (typeof r.path === 'string' ? r.path === path : r.path.test(path)));
      if (route) {
        return { service, route };
      }
    }
    return undefined;
  }

  private answer(route: Route, call: Call): Reply {
    try {
      const fault = this.takeFault(route.operation);
      if (fault) {
        throw fault;
      }
      return route.handle(call);
    } catch (error) {
      // A bug in the fake surfaces as a 500 whose message names it, rather than as a hung request.
      return errorReply(error instanceof ServiceError ? error : new ServiceError(500, 'InternalFailure', `fake endpoint failed: ${String(error)}`));
    }
  }

  private takeFault(operation: string): ServiceError | undefined {
    const fault = this.faults.find((f) => f.operation === operation);
    if (!fault) {
      return undefined;
    }
    if (fault.passing > 0) {
      fault.passing -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      this.faults = this.faults.filter((f) => f !== fault);
    }
    return fault.error;
  }

  /**
   * A repeated clientToken replays the first answer; the same token for a different subject is
   * the service's IdempotentParameterMismatchException. Only successful calls claim a token.
   */
  private idempotent(operation: string, token: string | undefined, subject: string, run: () => Reply): Reply {
    if (token === undefined) {
      return run();
    }
    const key = `${operation} ${token}`;
    const earlier = this.tokens.get(key);
    if (earlier) {
      if (earlier.subject !== subject) {
        throw new ServiceError(400, 'IdempotentParameterMismatchException',
          `clientToken ${token} was used for ${earlier.subject}, not ${subject}`);
      }
      return earlier.reply;
    }
    const reply = run();
    this.tokens.set(key, { subject, reply });
    return reply;
  }

  // --- Image Builder: resource policies

  private putPolicy(call: Call, kind: PolicyKind): Reply {
    const arn = requiredString(call.body, kind.arnField);
    const policy = requiredString(call.body, 'policy');
    if (!kind.arnPattern.test(arn)) {
      throw invalidValue(`${kind.arnField} must be ${kind.arnShape}, got '${arn}'`);
    }
    if (!this.resources.has(arn)) {
      throw notFound(`the resource ${arn} does not exist`);
    }
    if (!isJsonObject(policy)) {
      throw invalidValue(`policy must be a JSON policy document, got '${policy}'`);
    }
    this.policies.set(arn, policy);
    this.shareFromPolicy(arn, kind.ramType, policy);
    return ok({ requestId: randomUUID(), [kind.arnField]: arn });
  }

  private getPolicy(call: Call, kind: PolicyKind): Reply {
    const arn = requiredString(call.query, kind.arnField);
    const policy = this.policies.get(arn);
    if (policy === undefined) {
      throw notFound(`the resource ${arn} has no policy`);
    }
    return ok({ requestId: randomUUID(), policy });
  }

  /**
   * Like the service: a policy is shared through a RAM share created from it, with a managed
   * permission granting what the policy grants, or through the share already holding the resource.
   */
  private shareFromPolicy(resourceArn: string, resourceType: string, policy: string): void {
    if (this.shareHolding(resourceArn)) {
      return;
    }
    const id = randomUUID();
    const resourceShareArn = `arn:aws:ram:${FAKE_REGION}:${FAKE_ACCOUNT}:resource-share/${id}`;
    const permission = this.options.policyMatchesAwsManagedPermission
      ? this.awsManagedPermission(resourceType)
      : this.addPermission({
        name: `created-from-policy-${id}`, resourceType, permissionType: 'CUSTOMER_MANAGED', featureSet: 'CREATED_FROM_POLICY', grants: policy,
      });
    this.shares.set(resourceShareArn, {
      resourceShareArn,
      name: `created-from-policy-${id}`,
      featureSet: 'CREATED_FROM_POLICY',
      resourceArns: new Set([resourceArn]),
      permissionArns: [permission.arn],
      fromPolicy: true,
      hiddenFor: this.options.listingsBeforeShareAppears,
      tags: [],
    });
  }

  /** The resource type's default AWS managed permission, e.g. AWSRAMDefaultPermissionImageBuilderComponent. */
  private awsManagedPermission(resourceType: string): PermissionState {
    const name = `AWSRAMDefaultPermission${resourceType.replace(/[^A-Za-z]/g, '').replace(/^imagebuilder/, 'ImageBuilder')}`;
    const arn = `arn:aws:ram::aws:permission/${name}`;
    return this.permissions.get(arn) ?? this.addPermission({
      arn, name, resourceType, permissionType: 'AWS_MANAGED', featureSet: 'STANDARD', grants: `the AWS managed ${resourceType} permission`,
    });
  }

  private addPermission(permission: Omit<PermissionState, 'arn' | 'creationTime'> & { arn?: string }): PermissionState {
    const state = { ...permission, arn: permission.arn ?? customerPermissionArn(permission.name), creationTime: new Date() };
    this.permissions.set(state.arn, state);
    return state;
  }

  /** Image Builder shares a policy through a new share unless one created from a policy holds the resource. */
  private shareHolding(resourceArn: string): ShareState | undefined {
    return [...this.shares.values()].find((s) => s.fromPolicy && s.resourceArns.has(resourceArn));
  }

  // --- Image Builder: pipeline executions

  /** The image keeps the request's `tags`; a repeated clientToken answers with the first call's image and tags. */
  private startPipelineExecution(call: Call): Reply {
    const pipelineArn = requiredString(call.body, 'imagePipelineArn');
    const clientToken = optionalString(call.body, 'clientToken');
    return this.idempotent('StartImagePipelineExecution', clientToken, pipelineArn, () => {
      const pipeline = this.pipelines.get(pipelineArn);
      if (!pipeline) {
        throw notFound(`the image pipeline ${pipelineArn} does not exist`);
      }
      const image = this.addImage(pipelineArn, pipeline, 'PENDING', undefined, optionalStringMap(call.body, 'tags'));
      return ok({ requestId: randomUUID(), clientToken, imageBuildVersionArn: image.arn });
    });
  }

  /** The pipeline's next build. */
  private addImage(
    pipelineArn: string, pipeline: PipelineState, status: FakeImageStatus, reason?: string, tags?: Readonly<Record<string, string>>,
  ): ImageState {
    pipeline.builds += 1;
    const image: ImageState = {
      arn: `arn:aws:imagebuilder:${FAKE_REGION}:${FAKE_ACCOUNT}:image/${pipeline.name}/1.0.0/${pipeline.builds}`,
      pipelineArn,
      pipeline,
      buildNumber: pipeline.builds,
      dateCreated: new Date(FIRST_BUILD_DATE + this.buildsStarted++ * 60_000).toISOString(),
      status,
      reason,
      tags,
      polls: 0,
    };
    this.images.set(image.arn, image);
    // A built image is a resource like any other: PutImagePolicy can share it.
    this.resources.add(image.arn);
    return image;
  }

  /** Moves the image one state along (or every `stepsPerState` calls), then describes it. */
  private getImage(call: Call): Reply {
    const image = this.existingImage(requiredString(call.query, 'imageBuildVersionArn'));
    advance(image);
    return ok({ requestId: randomUUID(), image: describeImage(image) });
  }

  /**
   * An image in a terminal state answers InvalidParameterValueException: the API reference lists
   * only ResourceInUseException and InvalidRequestException, but AWS's own CloudFormation handler
   * for AWS::ImageBuilder::Image catches InvalidParameterValueException for exactly this case.
   */
  private cancelImageCreation(call: Call): Reply {
    const arn = requiredString(call.body, 'imageBuildVersionArn');
    const clientToken = optionalString(call.body, 'clientToken');
    return this.idempotent('CancelImageCreation', clientToken, arn, () => {
      const image = this.existingImage(arn);
      if (TERMINAL_STATES.has(image.status)) {
        throw invalidValue(`the image ${arn} is ${image.status} and can no longer be cancelled`);
      }
      image.status = 'CANCELLED';
      image.reason = 'cancelled by CancelImageCreation';
      return ok({ requestId: randomUUID(), clientToken, imageBuildVersionArn: arn });
    });
  }

  private existingImage(arn: string): ImageState {
    const image = this.images.get(arn);
    if (!image) {
      throw notFound(`the image ${arn} does not exist`);
    }
    return image;
  }

  // --- Image Builder: the images of a pipeline and their lifecycle

  /**
   * The images built from the pipeline, in build order, each as an ImageSummary; an image whose
   * record a deletion kept is listed DELETED. `filters` answers InvalidRequestException: the
   * endpoint does not model them, and ignoring them would list images the caller filtered out.
   */
  /** The pipeline with its name and tags (the fields the handler reads). */
  private getImagePipeline(call: Call): Reply {
    const arn = requiredString(call.query, 'imagePipelineArn');
    const pipeline = this.pipelines.get(arn);
    if (!pipeline) {
      throw notFound(`the image pipeline ${arn} does not exist`);
    }
    return ok({ requestId: randomUUID(), imagePipeline: { arn, name: pipeline.name, tags: pipeline.options.tags } });
  }

  private listPipelineImages(call: Call): Reply {
    const pipelineArn = requiredString(call.body, 'imagePipelineArn');
    if (!this.pipelines.has(pipelineArn)) {
      throw notFound(`the image pipeline ${pipelineArn} does not exist`);
    }
    if (call.body?.filters !== undefined) {
      throw invalidRequest('filters are not supported by the fake endpoint');
    }
    const images = [...this.images.values()].filter((image) => image.pipelineArn === pipelineArn);
    const { items, nextToken } = this.page(images, call.body, 'InvalidPaginationTokenException');
    return ok({ requestId: randomUUID(), imageSummaryList: items.map(summarizeImage), nextToken });
  }

  /**
   * Starts a lifecycle execution that moves the image to `state.status` (see
   * `getLifecycleExecution`). Only an image that has stopped changing can be updated, one update
   * at a time (ResourceInUseException while another runs), and a FAILED or CANCELLED image can
   * only be deleted. A repeated clientToken for the same image and status answers with the
   * execution the first call started.
   */
  private startResourceStateUpdate(call: Call): Reply {
    const resourceArn = requiredString(call.body, 'resourceArn');
    const status = requiredString(call.body?.state, 'status');
    const clientToken = requiredString(call.body, 'clientToken');
    if (!POLICY_KINDS.image.arnPattern.test(resourceArn)) {
      throw invalidValue(`resourceArn must be ${POLICY_KINDS.image.arnShape}, got '${resourceArn}'`);
    }
    if (!RESOURCE_STATUSES.has(status)) {
      throw invalidValue(`state.status must be one of ${[...RESOURCE_STATUSES].join(', ')}, got '${status}'`);
    }
    return this.idempotent('StartResourceStateUpdate', clientToken, `${resourceArn} to ${status}`, () => {
      const image = this.existingImage(resourceArn);
      if (!TERMINAL_STATES.has(image.status)) {
        throw invalidRequest(`the image ${resourceArn} is ${image.status}: its build has not finished`);
      }
      if (image.status === 'DELETED') {
        throw invalidRequest(`the image ${resourceArn} is already DELETED`);
      }
      if ((image.status === 'FAILED' || image.status === 'CANCELLED') && status !== 'DELETED') {
        throw invalidRequest(`the image ${resourceArn} is ${image.status}: it can only be DELETED, not ${status}`);
      }
      const running = [...this.executions.values()].find((e) => e.resourceArn === resourceArn && !FINAL_EXECUTION_STATES.has(e.status));
      if (running) {
        throw new ServiceError(400, 'ResourceInUseException', `the image ${resourceArn} is being updated by lifecycle execution ${running.lifecycleExecutionId}`);
      }
      const execution: LifecycleExecutionState = {
        lifecycleExecutionId: `lce-${randomUUID()}`,
        resourceArn,
        requestedStatus: status as FakeResourceStatus,
        executionRole: optionalString(call.body, 'executionRole'),
        includeResources: optionalIncludeResources(call.body),
        startTime: new Date(),
        status: 'PENDING',
        polls: 0,
      };
      this.executions.set(execution.lifecycleExecutionId, execution);
      image.lifecycleExecutionId = execution.lifecycleExecutionId;
      return ok({ lifecycleExecutionId: execution.lifecycleExecutionId, resourceArn });
    });
  }

  /**
   * Moves the execution one state along (or every `lifecyclePollsPerState` calls): PENDING,
   * IN_PROGRESS, then SUCCESS, which gives the image the status asked for, or the outcome
   * `failStateUpdatesOf` set, which leaves the image as it was. An unknown ID answers
   * ResourceNotFoundException (404), the service's error for a resource that does not exist,
   * although the API reference does not list it for this operation.
   */
  private getLifecycleExecution(call: Call): Reply {
    const id = requiredString(call.query, 'lifecycleExecutionId');
    const execution = this.executions.get(id);
    if (!execution) {
      throw notFound(`the lifecycle execution ${id} does not exist`);
    }
    this.advanceExecution(execution);
    return ok({ lifecycleExecution: describeExecution(execution) });
  }

  private advanceExecution(execution: LifecycleExecutionState): void {
    if (FINAL_EXECUTION_STATES.has(execution.status)) {
      return;
    }
    execution.polls += 1;
    if (execution.polls < this.lifecyclePollsPerState) {
      return;
    }
    execution.polls = 0;
    if (execution.status === 'PENDING') {
      execution.status = 'IN_PROGRESS';
      return;
    }
    execution.endTime = new Date();
    const failure = this.stateUpdateFailures.get(execution.resourceArn);
    if (failure) {
      execution.status = failure.status;
      execution.reason = failure.reason;
      return;
    }
    execution.status = 'SUCCESS';
    const image = this.images.get(execution.resourceArn);
    if (image) {
      image.status = execution.requestedStatus;
      image.reason = undefined;
    }
  }

  // --- RAM

  private listResources(call: Call): Reply {
    const byArn = optionalStrings(call.body, 'resourceArns');
    const byShare = optionalStrings(call.body, 'resourceShareArns');
    const resources = this.ownShares(call).flatMap((share) => [...share.resourceArns].map((arn) => ({
      arn,
      type: ramTypeOf(arn),
      resourceShareArn: share.resourceShareArn,
      status: 'AVAILABLE',
    })));
    const matching = resources.filter((r) => (!byArn || byArn.includes(r.arn)) && (!byShare || byShare.includes(r.resourceShareArn)));
    this.shares.forEach((share) => share.hiddenFor = Math.max(0, share.hiddenFor - 1));
    const { items, nextToken } = this.page(matching, call.body);
    return ok({ resources: items, nextToken });
  }

  private getResourceShares(call: Call): Reply {
    const byArn = optionalStrings(call.body, 'resourceShareArns');
    const matching = this.ownShares(call).filter((s) => !byArn || byArn.includes(s.resourceShareArn));
    const { items, nextToken } = this.page(matching, call.body);
    return ok({
      resourceShares: items.map((share) => ({
        resourceShareArn: share.resourceShareArn,
        name: share.name,
        owningAccountId: FAKE_ACCOUNT,
        allowExternalPrincipals: true,
        status: 'ACTIVE',
        featureSet: share.featureSet,
        tags: share.tags,
      })),
      nextToken,
    });
  }

  /** Tags a resource share; like any other change, not one created from a policy before its promotion. */
  private tagResource(call: Call): Reply {
    const share = this.modifiableShare(requiredString(call.body, 'resourceShareArn', 'MissingRequiredParameterException'));
    const tags: FakeTag[] = call.body?.tags ?? [];
    share.tags = [...share.tags.filter((t) => !tags.some((n) => n.key === t.key)), ...tags];
    return { status: 200 };
  }

  /** Every share is this account's: `resourceOwner: 'OTHER-ACCOUNTS'` sees none. A share not yet visible is left out. */
  private ownShares(call: Call): ShareState[] {
    const owner = requiredString(call.body, 'resourceOwner', 'MissingRequiredParameterException');
    return owner === 'SELF' ? [...this.shares.values()].filter((s) => s.hiddenFor === 0) : [];
  }

  /**
   * Promoting a share that is already STANDARD answers InvalidStateTransitionException, whose
   * documented meaning ("the requested operation isn't valid for the resource share in its current
   * state") fits best among the operation's documented errors.
   *
   * As documented, promotion needs a STANDARD permission that grants exactly what each
   * CREATED_FROM_POLICY permission of the share grants (UnmatchedPolicyPermissionException
   * otherwise); the share then uses that permission, and a CREATED_FROM_POLICY permission no other
   * share uses is deleted.
   */
  private promoteShare(call: Call): Reply {
    const share = this.existingShare(requiredString(call.query, 'resourceShareArn', 'MissingRequiredParameterException'));
    if (share.featureSet !== 'CREATED_FROM_POLICY') {
      throw new ServiceError(400, 'InvalidStateTransitionException', `resource share ${share.resourceShareArn} is already ${share.featureSet}`);
    }
    const replacements = share.permissionArns.map((arn) => this.promotedEquivalent(this.permissions.get(arn)!));
    const replaced = share.permissionArns.filter((arn, i) => replacements[i].arn !== arn);
    share.permissionArns = replacements.map((p) => p.arn);
    this.startPromotion(share, this.options.callsWhileSharePromotes);
    replaced.filter((arn) => !this.isAssociated(arn)).forEach((arn) => this.permissions.delete(arn));
    return ok({ returnValue: true });
  }

  /** STANDARD at once, or PROMOTING_TO_STANDARD for the next `calls` RAM calls. */
  private startPromotion(item: Promotable, calls: number): void {
    item.featureSet = calls > 0 ? 'PROMOTING_TO_STANDARD' : 'STANDARD';
    item.promotingUntil = calls > 0 ? this.ramCalls + calls : undefined;
  }

  private settlePromotions(): void {
    for (const item of [...this.shares.values(), ...this.permissions.values()]) {
      if (item.featureSet === 'PROMOTING_TO_STANDARD' && this.ramCalls > item.promotingUntil!) {
        item.featureSet = 'STANDARD';
        item.promotingUntil = undefined;
      }
    }
  }

  /** The permission a promoted share uses in place of `permission`; one still PROMOTING_TO_STANDARD matches nothing yet. */
  private promotedEquivalent(permission: PermissionState): PermissionState {
    if (permission.featureSet !== 'CREATED_FROM_POLICY') {
      return permission;
    }
    const match = [...this.permissions.values()].find((p) =>
      p.featureSet === 'STANDARD' && p.resourceType === permission.resourceType && p.grants === permission.grants);
    if (!match) {
      throw new ServiceError(400, 'UnmatchedPolicyPermissionException',
        `no managed permission matches ${permission.arn}: promote it with PromotePermissionCreatedFromPolicy first`);
    }
    return match;
  }

  private isAssociated(permissionArn: string): boolean {
    return [...this.shares.values()].some((s) => s.permissionArns.includes(permissionArn));
  }

  /** Removing a resource from its share also removes its policy: RAM manages the policy of a shared resource. */
  private disassociateShare(call: Call): Reply {
    const share = this.modifiableShare(requiredString(call.body, 'resourceShareArn', 'MissingRequiredParameterException'));
    const removed = (optionalStrings(call.body, 'resourceArns') ?? []).filter((arn) => share.resourceArns.delete(arn));
    removed.forEach((arn) => this.policies.delete(arn));
    return ok({
      resourceShareAssociations: removed.map((arn) => ({
        resourceShareArn: share.resourceShareArn,
        resourceShareName: share.name,
        associatedEntity: arn,
        associationType: 'RESOURCE',
        status: 'DISASSOCIATING',
        external: false,
      })),
      clientToken: optionalString(call.body, 'clientToken'),
    });
  }

  private deleteShare(call: Call): Reply {
    const share = this.modifiableShare(requiredString(call.query, 'resourceShareArn', 'MissingRequiredParameterException'));
    share.resourceArns.forEach((arn) => this.policies.delete(arn));
    this.shares.delete(share.resourceShareArn);
    return ok({ returnValue: true, clientToken: call.query.clientToken });
  }

  /**
   * RAM documents that a share created from a policy "can't be modified by using RAM" until it is
   * promoted, and the promotion is complete only once the share is STANDARD.
   */
  private modifiableShare(arn: string): ShareState {
    const share = this.existingShare(arn);
    if (share.featureSet === 'CREATED_FROM_POLICY') {
      throw notPermitted(`resource share ${arn} was created from a resource policy: promote it with PromoteResourceShareCreatedFromPolicy first`);
    }
    if (share.featureSet === 'PROMOTING_TO_STANDARD') {
      throw notPermitted(`resource share ${arn} is still being promoted (PROMOTING_TO_STANDARD)`);
    }
    return share;
  }

  private existingShare(arn: string): ShareState {
    const share = this.shares.get(arn);
    if (!share) {
      throw unknownShare(arn);
    }
    return share;
  }

  // --- RAM: managed permissions

  private listSharePermissions(call: Call): Reply {
    const share = this.existingShare(requiredString(call.body, 'resourceShareArn', 'MissingRequiredParameterException'));
    const { items, nextToken } = this.page(share.permissionArns.map((arn) => this.permissions.get(arn)!), call.body);
    return ok({ permissions: items.map(permissionSummary), nextToken });
  }

  /**
   * Creates a STANDARD customer managed permission granting what a CREATED_FROM_POLICY one grants.
   * A name already taken is PermissionAlreadyExistsException, as CreatePermission documents (the
   * promotion's own error list leaves it out, but a name must be unique all the same); a repeated
   * clientToken with the same permission and name replays the first answer.
   */
  private promotePermission(call: Call): Reply {
    const permissionArn = requiredString(call.body, 'permissionArn', 'MissingRequiredParameterException');
    const name = requiredString(call.body, 'name', 'MissingRequiredParameterException');
    const clientToken = optionalString(call.body, 'clientToken');
    return this.idempotent('PromotePermissionCreatedFromPolicy', clientToken, `${permissionArn} as ${name}`, () => {
      const source = this.existingPermission(permissionArn);
      if (source.featureSet !== 'CREATED_FROM_POLICY') {
        throw notPermitted(`permission ${permissionArn} was not created from a policy`);
      }
      if (!PERMISSION_NAME.test(name)) {
        throw new ServiceError(400, 'InvalidParameterException', `name must be 1 to 36 letters, digits, hyphens or underscores, got '${name}'`);
      }
      if (this.permissions.has(customerPermissionArn(name))) {
        throw new ServiceError(409, 'PermissionAlreadyExistsException', `a permission named ${name} already exists`);
      }
      const promoted = this.addPermission({
        name, resourceType: source.resourceType, permissionType: 'CUSTOMER_MANAGED', featureSet: 'STANDARD', grants: source.grants,
      });
      this.startPromotion(promoted, this.options.callsWhilePermissionPromotes);
      return ok({ permission: permissionSummary(promoted), clientToken });
    });
  }

  /** Only a customer managed permission that no share uses can be deleted. */
  private deletePermission(call: Call): Reply {
    const permissionArn = requiredString(call.query, 'permissionArn', 'MissingRequiredParameterException');
    const clientToken = call.query.clientToken;
    return this.idempotent('DeletePermission', clientToken, permissionArn, () => {
      const permission = this.existingPermission(permissionArn);
      if (permission.permissionType === 'AWS_MANAGED') {
        throw notPermitted(`permission ${permissionArn} is AWS managed and cannot be deleted`);
      }
      if (this.isAssociated(permissionArn)) {
        throw notPermitted(`permission ${permissionArn} is associated with a resource share`);
      }
      this.permissions.delete(permissionArn);
      return ok({ returnValue: true, clientToken, permissionStatus: 'DELETED' });
    });
  }

  private existingPermission(arn: string): PermissionState {
    const permission = this.permissions.get(arn);
    if (!permission) {
      throw new ServiceError(400, 'UnknownResourceException', `permission ${arn} does not exist`);
    }
    return permission;
  }

  /**
   * `nextToken` is an opaque offset; a page holds at most `pageSize` or the request's `maxResults`.
   * A token not handed out is `invalidTokenError`: RAM's InvalidNextTokenException, or Image
   * Builder's InvalidPaginationTokenException.
   */
  private page<T>(all: T[], body: any, invalidTokenError = 'InvalidNextTokenException'): { items: T[]; nextToken?: string } {
    const token = optionalString(body, 'nextToken');
    const start = token === undefined ? 0 : Number(/^offset-(\d+)$/.exec(token)?.[1] ?? NaN);
    if (Number.isNaN(start)) {
      throw new ServiceError(400, invalidTokenError, `nextToken '${token}' is not valid`);
    }
    const end = start + Math.min(this.pageSize, body?.maxResults ?? Infinity);
    return { items: all.slice(start, end), nextToken: end < all.length ? `offset-${end}` : undefined };
  }

  // --- Lambda

  private invoke(call: Call): Reply {
    const invocationType = String(call.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const status = INVOKE_STATUS[invocationType];
    if (status === undefined) {
      throw invalidValue(`X-Amz-Invocation-Type must be one of ${Object.keys(INVOKE_STATUS).join(', ')}, got '${invocationType}'`);
    }
    const functionName = decodeURIComponent(call.path.split('/')[3]);
    this.invocations.push({ functionName, invocationType, payload: call.body });
    return { status, headers: status === 200 ? { 'x-amz-executed-version': '$LATEST' } : {} };
  }
}

function advance(image: ImageState): void {
  if (TERMINAL_STATES.has(image.status)) {
    return;
  }
  image.polls += 1;
  if (image.polls < (image.pipeline.options.stepsPerState ?? 1)) {
    return;
  }
  image.polls = 0;
  const next = BUILD_STATES[BUILD_STATES.indexOf(image.status) + 1];
  if (next) {
    image.status = next;
  } else if (image.pipeline.options.outcome === 'FAILED') {
    image.status = 'FAILED';
    image.reason = image.pipeline.options.failureReason ?? 'the build failed';
  } else {
    image.status = 'AVAILABLE';
  }
}

/** The `image` of a GetImage response; outputs exist once the image is AVAILABLE. */
function describeImage(image: ImageState): Record<string, unknown> {
  const { name, options } = image.pipeline;
  const version = `1.0.0/${image.buildNumber}`;
  return {
    arn: image.arn,
    name,
    type: options.containerUri || options.containers ? 'DOCKER' : 'AMI',
    version,
    sourcePipelineArn: image.pipelineArn,
    state: { status: image.status, reason: image.reason },
    dateCreated: image.dateCreated,
    tags: image.tags,
    lifecycleExecutionId: image.lifecycleExecutionId,
    outputResources: image.status !== 'AVAILABLE' ? undefined : {
      amis: (options.amis ?? []).map((ami) => ({
        region: ami.region, image: ami.image, name: `${name} ${version}`, accountId: ami.accountId ?? FAKE_ACCOUNT,
      })),
      containers: options.containers?.map((container) => ({ region: container.region, imageUris: [container.uri] }))
        ?? (options.containerUri ? [{ region: FAKE_REGION, imageUris: [options.containerUri] }] : []),
    },
  };
}

/** An ImageSummary of ListImagePipelineImages: what GetImage describes but the source pipeline, which it leaves out, and the owner. */
function summarizeImage(image: ImageState): Record<string, unknown> {
  const { sourcePipelineArn: _source, ...summary } = describeImage(image);
  return { ...summary, owner: FAKE_ACCOUNT };
}

/** The `lifecycleExecution` of a GetLifecycleExecution response; timestamps are epoch seconds on the restJson1 wire. */
function describeExecution(execution: LifecycleExecutionState): object {
  return {
    lifecycleExecutionId: execution.lifecycleExecutionId,
    resourcesImpactedSummary: { hasImpactedResources: true },
    state: { status: execution.status, reason: execution.reason },
    startTime: execution.startTime.getTime() / 1000,
    endTime: execution.endTime && execution.endTime.getTime() / 1000,
  };
}

function describeShare(share: ShareState): FakeResourceShare {
  return {
    resourceShareArn: share.resourceShareArn,
    name: share.name,
    featureSet: share.featureSet,
    status: 'ACTIVE',
    resourceArns: [...share.resourceArns],
    permissionArns: [...share.permissionArns],
    tags: share.tags.map((t) => ({ ...t })),
  };
}

function describePermission(permission: PermissionState): FakePermission {
  const { arn, name, resourceType, permissionType, featureSet } = permission;
  return { arn, name, resourceType, permissionType, featureSet };
}

/** A ResourceSharePermissionSummary; timestamps are epoch seconds on the restJson1 wire. */
function permissionSummary(permission: PermissionState): object {
  return {
    ...describePermission(permission),
    version: '1',
    defaultVersion: true,
    status: 'ATTACHABLE',
    isResourceTypeDefault: permission.permissionType === 'AWS_MANAGED',
    creationTime: permission.creationTime.getTime() / 1000,
    lastUpdatedTime: permission.creationTime.getTime() / 1000,
  };
}

function ramTypeOf(arn: string): string | undefined {
  return Object.values(POLICY_KINDS).find((kind) => kind.arnPattern.test(arn))?.ramType;
}

/** A missing parameter is InvalidParameterValueException in Image Builder; RAM callers pass its own error name. */
function requiredString(source: any, name: string, errorType = 'InvalidParameterValueException'): string {
  const value = source?.[name];
  if (typeof value !== 'string' || value === '') {
    throw new ServiceError(400, errorType, `${name} is required`);
  }
  return value;
}

function optionalString(source: any, name: string): string | undefined {
  const value = source?.[name];
  return typeof value === 'string' ? value : undefined;
}

function optionalStrings(source: any, name: string): string[] | undefined {
  const value = source?.[name];
  return Array.isArray(value) ? value.map(String) : undefined;
}

/** The flags of `includeResources` that are booleans; undefined without the structure. */
function optionalIncludeResources(source: any): FakeIncludeResources | undefined {
  const value = source?.includeResources;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  return Object.fromEntries(INCLUDED_RESOURCES.filter((key) => typeof value[key] === 'boolean').map((key) => [key, value[key]]));
}

function optionalStringMap(source: any, name: string): Record<string, string> | undefined {
  const value = source?.[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
    : undefined;
}

function parseJson(text: string): any {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isJsonObject(text: string): boolean {
  const value = parseJson(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** restJson1 errors: the status, the error name in `x-amzn-errortype`, the message in the body. */
function errorReply(error: ServiceError): Reply {
  return { status: error.status, headers: { 'x-amzn-errortype': error.errorType }, body: { message: error.message } };
}

function send(res: http.ServerResponse, reply: Reply): void {
  const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...reply.headers,
  });
  res.end(body);
}
