import { Names, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';

/*
 * The rules every construct shares. Each skips `undefined` (nothing to check) and unresolved
 * tokens (known only at deployment), and throws a ValidationError that names the prop, shows the
 * value and says what is allowed.
 */

/** Image Builder resource names: the CloudFormation registry pattern (3–128 characters). */
const RESOURCE_NAME = /^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/;
const MAX_NAME_LENGTH = 128;

/** Each node of a semantic version is at most 2^30-1 (Image Builder API reference). */
const MAX_VERSION_NODE = 1_073_741_823;
const VERSION_NODE = /^(0|[1-9][0-9]*)$/;

const PARTITION = 'aws(?:-[a-z]+)*';
const ACCOUNT_ID = /^[0-9]{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$/;
const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$`);
const OU_ARN = new RegExp(`^arn:${PARTITION}:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`);

/** Where an `x` wildcard may stand in a version. */
export enum VersionWildcards {
  /** A version of a resource being created: numbers only. */
  NONE,
  /** A reference to a version: `x` allowed, and every node right of the first `x` is `x` too. */
  TRAILING,
}

/** Image Builder resource types, as they appear in ARNs. */
export enum ImageBuilderResourceType {
  COMPONENT = 'component',
  IMAGE = 'image',
  IMAGE_RECIPE = 'image-recipe',
  CONTAINER_RECIPE = 'container-recipe',
  IMAGE_PIPELINE = 'image-pipeline',
  INFRASTRUCTURE_CONFIGURATION = 'infrastructure-configuration',
  DISTRIBUTION_CONFIGURATION = 'distribution-configuration',
  WORKFLOW = 'workflow',
  LIFECYCLE_POLICY = 'lifecycle-policy',
}

/** Types whose ARNs carry `name/version[/build]`; the others end at the name. */
const VERSIONED_TYPES: ReadonlySet<string> = new Set([
  ImageBuilderResourceType.COMPONENT,
  ImageBuilderResourceType.IMAGE,
  ImageBuilderResourceType.IMAGE_RECIPE,
  ImageBuilderResourceType.CONTAINER_RECIPE,
  ImageBuilderResourceType.WORKFLOW,
]);

const ARN_EXAMPLES: Record<ImageBuilderResourceType, string> = {
  [ImageBuilderResourceType.COMPONENT]: 'component/my-component/1.0.0',
  [ImageBuilderResourceType.IMAGE]: 'image/my-image/1.0.0/1',
  [ImageBuilderResourceType.IMAGE_RECIPE]: 'image-recipe/my-recipe/1.0.0',
  [ImageBuilderResourceType.CONTAINER_RECIPE]: 'container-recipe/my-recipe/1.0.0',
  [ImageBuilderResourceType.IMAGE_PIPELINE]: 'image-pipeline/my-pipeline',
  [ImageBuilderResourceType.INFRASTRUCTURE_CONFIGURATION]: 'infrastructure-configuration/my-infrastructure',
  [ImageBuilderResourceType.DISTRIBUTION_CONFIGURATION]: 'distribution-configuration/my-distribution',
  [ImageBuilderResourceType.WORKFLOW]: 'workflow/build/my-workflow/1.0.0',
  [ImageBuilderResourceType.LIFECYCLE_POLICY]: 'lifecycle-policy/my-policy',
};

/** The parts of an Image Builder ARN. */
export interface ParsedImageBuilderArn {
  readonly partition: string;
  readonly region: string;
  /** A 12-digit account, or `aws` / `aws-marketplace` / `third-party` for published resources. */
  readonly account: string;
  readonly resourceType: string;
  /** `build`, `test` or `distribution`, for workflows. */
  readonly workflowType?: string;
  readonly name: string;
  readonly version?: string;
  readonly build?: string;
}

const ARN = new RegExp(
  `^arn:(${PARTITION}):imagebuilder:([a-z0-9-]+):([0-9]{12}|aws|aws-marketplace|third-party):([a-z-]+)/(.+)$`);
const ARN_NAME = /^[a-z0-9-_]+$/;
const WORKFLOW_TYPES = ['build', 'test', 'distribution'];

/** Splits an Image Builder ARN known at synth time, or returns `undefined` if it is not one. */
export function parseImageBuilderArn(arn: string): ParsedImageBuilderArn | undefined {
  const match = ARN.exec(arn);
  if (!match) {
    return undefined;
  }
  const [, partition, region, account, resourceType, rest] = match;
  const parts = rest.split('/');
  const workflowType = resourceType === ImageBuilderResourceType.WORKFLOW ? parts.shift() : undefined;
  if (workflowType !== undefined && !WORKFLOW_TYPES.includes(workflowType)) {
    return undefined;
  }
  const [name, version, build, ...extra] = parts;
  if (!name || !ARN_NAME.test(name) || extra.length > 0) {
    return undefined;
  }
  if (!VERSIONED_TYPES.has(resourceType)) {
    return version === undefined ? { partition, region, account, resourceType, name } : undefined;
  }
  if (version === undefined || versionProblem(version, VersionWildcards.TRAILING) !== undefined) {
    return undefined;
  }
  // A build number only follows a fully numeric version.
  if (build !== undefined && (!/^[0-9]+$/.test(build) || version.includes('x'))) {
    return undefined;
  }
  return { partition, region, account, resourceType, workflowType, name, version, build };
}

/** Names: the service's characters, 3 to 128 of them. */
export function validateResourceName(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (value.length > MAX_NAME_LENGTH) {
    throw validationError(`${prop} must be at most ${MAX_NAME_LENGTH} characters, got ${value.length} characters: '${truncate(value)}'`, scope);
  }
  if (!RESOURCE_NAME.test(value)) {
    throw validationError(
      `${prop} must be 3 to 128 characters of letters, numbers, hyphens, underscores and spaces, ` +
      `starting and ending with a letter, number, hyphen or underscore, got '${value}'`, scope);
  }
}

/** How the service writes a name inside an ARN: lowercase, spaces and underscores as hyphens. */
export function arnSafeName(name: string): string {
  if (Token.isUnresolved(name)) {
    return name;
  }
  return name.toLowerCase().replace(/[ _]/g, '-');
}

/** A valid, deterministic default name, unique per stack, that appears unchanged in ARNs. */
export function generateResourceName(scope: IConstruct): string {
  return Names.uniqueResourceName(scope, {
    maxLength: MAX_NAME_LENGTH,
    separator: '-',
    allowedSpecialCharacters: '-',
  }).toLowerCase();
}

/** Semantic versions `major.minor.patch`, with or without trailing `x` wildcards. */
export function validateSemanticVersion(scope: IConstruct, prop: string, value: string | undefined, wildcards: VersionWildcards): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const problem = versionProblem(value, wildcards);
  if (problem) {
    throw validationError(`${prop} ${problem}, got '${value}'`, scope);
  }
}

/** What is wrong with a version, or `undefined` when it is fine. */
function versionProblem(value: string, wildcards: VersionWildcards): string | undefined {
  const shape = wildcards === VersionWildcards.NONE
    ? 'must be major.minor.patch with numbers, e.g. 1.0.0'
    : 'must be major.minor.patch with numbers or trailing x wildcards, e.g. 1.0.0, 1.2.x or x.x.x';
  if (value.includes('/')) {
    return `${shape}, without a build number`;
  }
  const nodes = value.split('.');
  if (nodes.length !== 3) {
    return shape;
  }
  const firstWildcard = nodes.indexOf('x');
  if (firstWildcard >= 0) {
    if (wildcards === VersionWildcards.NONE) {
      return 'must be major.minor.patch with numbers; x wildcards are only for references to existing versions';
    }
    if (nodes.slice(firstWildcard).some((n) => n !== 'x')) {
      return `${shape}; every node after the first x must be x too`;
    }
  }
  for (const node of nodes.slice(0, firstWildcard >= 0 ? firstWildcard : 3)) {
    if (!VERSION_NODE.test(node)) {
      return `${shape} (whole numbers without leading zeros)`;
    }
    if (Number(node) > MAX_VERSION_NODE) {
      return `${shape}, each number at most ${MAX_VERSION_NODE}`;
    }
  }
  return undefined;
}

/** An Image Builder ARN of the given resource type. */
export function validateImageBuilderArn(scope: IConstruct, prop: string, value: string | undefined, type: ImageBuilderResourceType): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const parsed = parseImageBuilderArn(value);
  if (!parsed || parsed.resourceType !== type) {
    throw validationError(
      `${prop} must be an Image Builder ${type} ARN like arn:aws:imagebuilder:us-east-1:123456789012:${ARN_EXAMPLES[type]}, got '${truncate(value)}'`,
      scope);
  }
}

/** AWS account IDs: 12 digits. */
export function validateAccountId(scope: IConstruct, prop: string, value: string | undefined): void {
  check(scope, prop, value, ACCOUNT_ID, 'an AWS account ID of 12 digits, e.g. 123456789012');
}

/** Region codes such as us-east-1, us-gov-west-1 or cn-north-1. */
export function validateRegion(scope: IConstruct, prop: string, value: string | undefined): void {
  check(scope, prop, value, REGION, 'a region code such as us-east-1, eu-central-2 or us-gov-west-1');
}

/** AWS Organizations organization ARNs. */
export function validateOrganizationArn(scope: IConstruct, prop: string, value: string | undefined): void {
  check(scope, prop, value, ORGANIZATION_ARN, 'an organization ARN like arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5');
}

/** AWS Organizations organizational unit ARNs. */
export function validateOrganizationalUnitArn(scope: IConstruct, prop: string, value: string | undefined): void {
  check(scope, prop, value, OU_ARN,
    'an organizational unit ARN like arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56');
}

function check(scope: IConstruct, prop: string, value: string | undefined, pattern: RegExp, allowed: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!pattern.test(value)) {
    throw validationError(`${prop} must be ${allowed}, got '${truncate(value)}'`, scope);
  }
}

/** Keeps very long values readable in messages. */
function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
