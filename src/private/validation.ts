import { Duration, Names, Stack, Token } from 'aws-cdk-lib';
import { IRepository } from 'aws-cdk-lib/aws-ecr';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { validationError } from './errors';

/*
 * The checks every construct shares. Each one skips `undefined` (nothing to check) and unresolved
 * tokens (known only at deployment), and throws a ValidationError that names the prop, shows the
 * value given and says what is allowed.
 */

// ---------------------------------------------------------------------------------------------
// The rules, in one place
// ---------------------------------------------------------------------------------------------

/** Image Builder resource names: the CloudFormation registry pattern for every `Name` (3–128 characters). */
const RESOURCE_NAME = /^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$/;
const MAX_NAME_LENGTH = 128;

/**
 * A version node: a whole number. Leading zeros are allowed: the API pattern is
 * `^[0-9]+\.[0-9]+\.[0-9]+$`, and the user guide suggests dates such as 2021.01.01.
 */
const VERSION_NODE = /^[0-9]+$/;
/** Each node of a semantic version is at most 2^30-1 (Image Builder API reference, "Semantic versioning"). */
const MAX_VERSION_NODE = 1_073_741_823;

/** Partitions: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, and any future `aws-…`. */
const PARTITION = 'aws(?:-[a-z]+)*';
/** AWS account IDs are 12 digits (AWS Organizations API reference, `Account.Id`). */
const ACCOUNT_ID = /^[0-9]{12}$/;
/** AWS Marketplace product IDs: `prod-` and lowercase letters or digits. */
const MARKETPLACE_PRODUCT_ID = /^prod-[a-z0-9]+$/;
/**
 * Region codes: us-east-1, us-gov-west-1, cn-north-1, us-iso-east-1, us-isob-east-1, and the
 * European Sovereign Cloud's eusc-de-east-1 (the partitions' region patterns in the AWS SDKs'
 * endpoint data).
 */
const REGION = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-[0-9]{1,2}$/;
/** AMI IDs: `ami-` and 8 or 17 hexadecimal digits. */
export const AMI_ID = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;
/** SSM parameter names: `a-zA-Z0-9_.-`, and `/` between the levels of a hierarchy (PutParameter API reference). */
export const SSM_PARAMETER_NAME = /^[a-zA-Z0-9_.\-/]+$/;
/** The names in Image Builder image ARNs (`image/[a-z0-9-_]+/` in the Image Builder API reference). */
export const IMAGE_BUILDER_IMAGE_NAME = /^[a-z0-9_-]+$/;
/** Organization and OU ARNs (AWS Organizations API reference, `Organization.Arn`, `OrganizationalUnit.Arn`). */
const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$`);
const OU_ARN = new RegExp(`^arn:${PARTITION}:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`);

/**
 * Image Builder ARNs (Image Builder API reference, ARN formats). The owner is an account, or `aws`,
 * `aws-marketplace` or `third-party` for published resources. The region is matched loosely so that
 * ARNs from new regions still parse; names in ARNs are the lowercase form of the resource name.
 */
const IMAGE_BUILDER_ARN = new RegExp(
  `^arn:(${PARTITION}):imagebuilder:([a-z0-9-]+):([0-9]{12}|aws|aws-marketplace|third-party):([a-z-]+)/(.+)$`);
const ARN_NAME = /^[a-z0-9-_]{1,128}$/;
/** Image build version: the `/N` after a fully numeric version. */
const BUILD_NUMBER = VERSION_NODE;
const WORKFLOW_TYPES = ['build', 'test', 'distribution'];

/** Values longer than this are cut short in messages. */
const MAX_SHOWN_LENGTH = 128;
const SHOWN_PREFIX_LENGTH = 40;

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** Image Builder resource names: letters, numbers, hyphens, underscores and inner spaces, 3 to 128 of them. */
export function validateResourceName(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  // Said on its own: "bad characters" would mislead for a long but otherwise fine name.
  if (value.length > MAX_NAME_LENGTH) {
    throw validationError(
      `${prop} must be at most ${MAX_NAME_LENGTH} characters, got ${value.length} characters: ${quote(value)}`, scope);
  }
  if (!RESOURCE_NAME.test(value)) {
    throw validationError(
      `${prop} must be 3 to ${MAX_NAME_LENGTH} characters of letters, numbers, hyphens, underscores and spaces, ` +
      `starting and ending with a letter, number, hyphen or underscore, got ${quote(value)}`, scope);
  }
}

/** How the service writes a name inside an ARN: lowercase, with spaces and underscores as hyphens. */
export function arnSafeName(name: string): string {
  if (Token.isUnresolved(name)) {
    return name;
  }
  return name.toLowerCase().replace(/[ _]/g, '-');
}

/**
 * A default name: deterministic, unique per stack, valid, and unchanged by `arnSafeName`, so that
 * ARNs built from it at synth time are exact.
 */
export function generateResourceName(scope: IConstruct): string {
  const name = Names.uniqueResourceName(scope, {
    maxLength: MAX_NAME_LENGTH,
    separator: '-',
    allowedSpecialCharacters: '-',
  }).toLowerCase();
  // A lone path component gets no hash and may be too short (e.g. a stack `S` with a child `Default`).
  if (!RESOURCE_NAME.test(name)) {
    return `${name}-${scope.node.addr.slice(0, 8)}`;
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

/** Where an `x` wildcard may stand in a version. */
export enum VersionWildcards {
  /** The version of a resource being created: numbers only. */
  NONE,
  /** A reference to existing versions: any node may be `x`, and every node right of the first `x` is `x` too. */
  TRAILING,
}

/** Semantic versions `major.minor.patch`, with trailing `x` wildcards where allowed. */
export function validateSemanticVersion(
  scope: IConstruct, prop: string, value: string | undefined, wildcards: VersionWildcards): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const problem = versionProblem(value, wildcards);
  if (problem !== undefined) {
    throw validationError(`${prop} ${problem}, got ${quote(value)}`, scope);
  }
}

/** What is wrong with a version (as the end of "<prop> ..."), or `undefined` when it is fine. */
function versionProblem(value: string, wildcards: VersionWildcards): string | undefined {
  const shape = wildcards === VersionWildcards.NONE
    ? 'must be major.minor.patch with numbers'
    : 'must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x)';
  if (value.includes('/')) {
    return `${shape}, without a /build number`;
  }
  const nodes = value.split('.');
  if (nodes.length !== 3) {
    return shape;
  }
  const firstWildcard = nodes.indexOf('x');
  if (firstWildcard >= 0 && wildcards === VersionWildcards.NONE) {
    return `does not allow x wildcards: it ${shape}`;
  }
  if (firstWildcard >= 0 && nodes.slice(firstWildcard).some((node) => node !== 'x')) {
    return `${shape}; every node after the first x must be x too`;
  }
  const numbers = firstWildcard >= 0 ? nodes.slice(0, firstWildcard) : nodes;
  if (numbers.some((node) => !VERSION_NODE.test(node))) {
    return `${shape}, each a whole number`;
  }
  // Compared as numbers, so that leading zeros (2021.01.01) count for nothing.
  if (numbers.some((node) => Number(node) > MAX_VERSION_NODE)) {
    return `${shape}, each at most ${MAX_VERSION_NODE}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Image Builder ARNs
// ---------------------------------------------------------------------------------------------

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

const RESOURCE_TYPES: ReadonlySet<string> = new Set(Object.values(ImageBuilderResourceType));

/** Types whose ARNs carry `name/version[/build]`; the others end at the name. */
const VERSIONED_TYPES: ReadonlySet<string> = new Set([
  ImageBuilderResourceType.COMPONENT,
  ImageBuilderResourceType.IMAGE,
  ImageBuilderResourceType.IMAGE_RECIPE,
  ImageBuilderResourceType.CONTAINER_RECIPE,
  ImageBuilderResourceType.WORKFLOW,
]);

/** The part after `<account>:` shown in messages. */
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
  readonly resourceType: ImageBuilderResourceType;
  /** `build`, `test` or `distribution`, for workflows. */
  readonly workflowType?: string;
  readonly name: string;
  /** For versioned types; may end in `x` wildcards. */
  readonly version?: string;
  /** The build number after a fully numeric version, as in image ARNs. */
  readonly build?: string;
}

/** Splits an Image Builder ARN known at synth time, or returns `undefined` if it is not one. */
export function parseImageBuilderArn(arn: string): ParsedImageBuilderArn | undefined {
  return readImageBuilderArn(arn)?.parsed;
}

/**
 * An Image Builder ARN read at synth time: its parts, or, when only its version or build number is
 * wrong, its resource type and what is wrong (as the end of "its ...").
 */
interface ArnReading {
  readonly resourceType: ImageBuilderResourceType;
  readonly parsed?: ParsedImageBuilderArn;
  readonly versionProblem?: string;
}

function readImageBuilderArn(arn: string): ArnReading | undefined {
  const match = IMAGE_BUILDER_ARN.exec(arn);
  if (!match || !RESOURCE_TYPES.has(match[4])) {
    return undefined;
  }
  const [, partition, region, account, type, path] = match;
  const resourceType = type as ImageBuilderResourceType;
  const parts = path.split('/');
  const workflowType = resourceType === ImageBuilderResourceType.WORKFLOW ? parts.shift() : undefined;
  if (workflowType !== undefined && !WORKFLOW_TYPES.includes(workflowType)) {
    return undefined;
  }
  const [name, version, build, ...extra] = parts;
  if (!ARN_NAME.test(name) || extra.length > 0) {
    return undefined;
  }
  if (!VERSIONED_TYPES.has(resourceType)) {
    return version === undefined ? { resourceType, parsed: { partition, region, account, resourceType, name } } : undefined;
  }
  if (version === undefined) {
    return { resourceType, versionProblem: 'version is missing after the name' };
  }
  const problem = versionProblem(version, VersionWildcards.TRAILING);
  if (problem !== undefined) {
    return { resourceType, versionProblem: `version ${problem}` };
  }
  // A build number only follows a fully numeric version.
  if (build !== undefined && !BUILD_NUMBER.test(build)) {
    return { resourceType, versionProblem: 'build number must be a whole number' };
  }
  if (build !== undefined && version.includes('x')) {
    return { resourceType, versionProblem: 'build number may only follow a version without x wildcards' };
  }
  return { resourceType, parsed: { partition, region, account, resourceType, workflowType, name, version, build } };
}

/**
 * An Image Builder ARN of the given resource type. When an ARN of that type is refused for its
 * version or build number, the message says so.
 */
export function validateImageBuilderArn(
  scope: IConstruct, prop: string, value: string | undefined, type: ImageBuilderResourceType): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const reading = readImageBuilderArn(value);
  if (reading?.parsed?.resourceType !== type) {
    const why = reading?.resourceType === type && reading.versionProblem ? `; its ${reading.versionProblem}` : '';
    throw validationError(
      `${prop} must be an Image Builder ${type} ARN like ` +
      `arn:aws:imagebuilder:us-east-1:123456789012:${ARN_EXAMPLES[type]}${why}, got ${quote(value)}`, scope);
  }
}

/**
 * The fields of an ARN that are written out, as in an import by a literal ARN or an ARN built
 * around the partition as a token; a field that is a token, or missing, is `undefined`. The checks
 * of the environment a resource is in compare these only.
 */
export function writtenArnFields(arn: string): { partition?: string; service?: string; region?: string; account?: string } {
  const [prefix, partition, service, region, account] = arn.split(':');
  if (prefix !== 'arn') {
    return {};
  }
  const written = (field: string | undefined) => field !== undefined && !Token.isUnresolved(field) ? field : undefined;
  return { partition: written(partition), service: written(service), region: written(region), account: written(account) };
}

/** Whether a field written out in an ARN differs from a value that is known at synth time. */
export function differsFromKnown(field: string | undefined, known: string): field is string {
  return field !== undefined && !Token.isUnresolved(known) && field !== known;
}

/**
 * An ARN of a regional resource that a resource of the stack uses (a parent image, an SSM
 * parameter, a component) must be of the stack's region and partition, which the service looks
 * in. Each field is compared when it is written out, as in an import by a literal ARN or an ARN
 * whose only token is the partition.
 *
 * @param what what the ARN is of, for messages, e.g. `image`
 * @param why why the region matters, for messages, e.g. `where the image is built`
 * @param owner the construct the ARN is of, named in messages when the ARN holds tokens
 */
export function validateArnInStackRegion(scope: IConstruct, prop: string, arn: string, what: string, why: string, owner?: IConstruct): void {
  const stackRegion = Stack.of(scope).region;
  if (Token.isUnresolved(stackRegion)) {
    return;
  }
  const { partition, region } = writtenArnFields(arn);
  const shown = () => {
    const article = /^[aeiou]/i.test(what) ? 'an' : 'a';
    return !Token.isUnresolved(arn) ? `${what} ARN '${arn}'` : owner ? `${what} ${owner.node.path}, whose ARN is` : `${article} ${what} ARN`;
  };
  if (differsFromKnown(region, stackRegion)) {
    throw validationError(`${prop} must be in the stack's region ${stackRegion}, ${why}, got ${shown()} of region ${region}`, scope);
  }
  // Most ARNs of the app hold the partition as a token: the region table is read only for one written out.
  if (partition === undefined) {
    return;
  }
  const stackPartition = RegionInfo.get(stackRegion).partition;
  if (stackPartition !== undefined && partition !== stackPartition) {
    throw validationError(`${prop} must be in the stack's partition ${stackPartition}, ${why}, got ${shown()} of partition ${partition}`, scope);
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts, regions and organizations
// ---------------------------------------------------------------------------------------------

/** AWS account IDs: exactly 12 digits. */
export function validateAccountId(scope: IConstruct, prop: string, value: string | undefined): void {
  check(scope, prop, value, ACCOUNT_ID, 'an AWS account ID of exactly 12 digits, e.g. 123456789012');
}

/** Region codes such as us-east-1, us-gov-west-1 or cn-north-1. */
export function validateRegion(scope: IConstruct, prop: string, value: string | undefined): void {
  check(scope, prop, value, REGION, 'a region code such as us-east-1, eu-central-2, us-gov-west-1, cn-north-1 or eusc-de-east-1');
}

/**
 * A region that an image is distributed to: of the stack's partition, as Image Builder distributes
 * within one partition. Compared when both regions are known and aws-cdk-lib knows their partitions.
 */
export function validateRegionInStackPartition(scope: IConstruct, prop: string, region: string): void {
  const stackRegion = Stack.of(scope).region;
  if (Token.isUnresolved(region) || Token.isUnresolved(stackRegion)) {
    return;
  }
  const partition = RegionInfo.get(region).partition;
  const stackPartition = RegionInfo.get(stackRegion).partition;
  if (partition !== undefined && stackPartition !== undefined && partition !== stackPartition) {
    throw validationError(`${prop} must be in the partition of the stack's region ${stackRegion}, ${stackPartition}, ` +
      `got '${region}' of partition ${partition}`, scope);
  }
}

/** AWS Organizations organization ARNs. */
export function validateOrganizationArn(scope: IConstruct, prop: string, value: string | undefined): void {
  check(scope, prop, value, ORGANIZATION_ARN,
    'an organization ARN like arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5');
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
    throw validationError(`${prop} must be ${allowed}, got ${quote(value)}`, scope);
  }
}

/** The value in single quotes, cut short when very long so the message stays readable. */
function quote(value: string): string {
  return value.length > MAX_SHOWN_LENGTH ? `'${value.slice(0, SHOWN_PREFIX_LENGTH)}…'` : `'${value}'`;
}

/** A value as a message shows it: quoted, or said to be known only at deployment (a token). */
export function shownValue(value: string): string {
  return Token.isUnresolved(value) ? '(known only at deployment)' : quote(value);
}

/** Descriptions, working directories, prefixes: 1 to 1,024 characters across the Image Builder API. */
const MAX_TEXT_LENGTH = 1024;

/**
 * Image Builder cannot publish to topics encrypted with keys of other accounts (Image Builder user
 * guide); `subject` starts the message, e.g. `notificationKey must be a key`.
 */
export function validateTopicKeyAccount(scope: IConstruct, key: IKey | undefined, subject: string): void {
  const keyAccount = key?.env.account;
  const account = Stack.of(scope).account;
  if (keyAccount === undefined || Token.isUnresolved(keyAccount) || Token.isUnresolved(account)) {
    return;
  }
  if (keyAccount !== account) {
    throw validationError(`${subject} of account ${account}, where Image Builder runs, got a key of account ${keyAccount}`, scope);
  }
}

/**
 * A container recipe names its target repository only, and Image Builder pushes to that name in the
 * build's own account and region: a repository elsewhere would be silently swapped for a namesake.
 * `remedy` ends the message with the way to reach other regions and accounts.
 */
export function validatePushRepository(scope: IConstruct, prop: string, repository: IRepository | undefined, remedy: string): void {
  if (repository === undefined) {
    return;
  }
  const { account, region } = Stack.of(scope);
  const known = (value: string) => !Token.isUnresolved(value);
  const otherAccount = known(account) && known(repository.env.account) && repository.env.account !== account;
  const otherRegion = known(region) && known(repository.env.region) && repository.env.region !== region;
  if (!otherAccount && !otherRegion) {
    return;
  }
  const both = (a: string | false, r: string | false) => [a ? `account ${a}` : '', r ? `region ${r}` : ''].filter(Boolean).join(' and ');
  const name = known(repository.repositoryName) ? quote(repository.repositoryName) : repository.node.path;
  throw validationError(`${prop} must be in the stack's ${both(known(account) && account, known(region) && region)}, ` +
    `where Image Builder pushes the image, got repository ${name} of ${both(otherAccount && repository.env.account, otherRegion && repository.env.region)}; ` +
    remedy, scope);
}

/** The whole number of days, at least one, that a resolved `duration` is (S3 expirations, lifecycle ages). */
export function wholeDays(scope: IConstruct, prop: string, duration: Duration): number {
  const days = duration.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw validationError(`${prop} must be a whole number of days, at least 1, got ${duration.toHumanString()}`, scope);
  }
  return days;
}

/** A whole number from `min` to `max`; undefined and unresolved values pass. */
export function validateWholeNumber(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validationError(`${prop} must be a whole number from ${min} to ${max}, got ${value}`, scope);
  }
}

/**
 * The length of a text in characters (code points), as the service and CloudFormation count it: a
 * surrogate pair is one character. (Counting the pairs spares making an array of the characters.)
 */
export function characterCount(text: string): number {
  return text.length - (text.match(SURROGATE_PAIRS)?.length ?? 0);
}

const SURROGATE_PAIRS = /[\ud800-\udbff][\udc00-\udfff]/g;

/** A text prop of the service's usual length, 1 to 1,024 characters. */
export function validateTextLength(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const count = characterCount(value);
  if (count < 1 || count > MAX_TEXT_LENGTH) {
    throw validationError(`${prop} must be 1 to ${MAX_TEXT_LENGTH} characters, got ${count}`, scope);
  }
}

/** An image tag in ECR (`ImageIdentifier.imageTag`, ECR API reference): 1 to 300 characters. */
const MAX_ECR_TAG_LENGTH = 300;

/**
 * Container image tags as Image Builder takes them (`EcrConfiguration.containerTags`,
 * `ContainerDistributionConfiguration.containerTags`): each 1 to 1,024 characters, and at most the
 * 300 an ECR tag may have when the tag holds no Image Builder variable.
 */
export function validateContainerTags(scope: IConstruct, prop: string, tags: string[] | undefined): void {
  for (const tag of tags ?? []) {
    if (Token.isUnresolved(tag)) {
      continue;
    }
    // A tag with Image Builder variables has a length known only at build time; the API takes up to 1,024 characters.
    const max = tag.includes('{{') ? MAX_TEXT_LENGTH : MAX_ECR_TAG_LENGTH;
    if (tag === '' || characterCount(tag) > max) {
      throw validationError(`${prop} must be 1 to ${max} characters each${max === MAX_ECR_TAG_LENGTH ? ', the longest tag ECR takes' : ''}, ` +
        `got ${tag === '' ? "''" : `a tag of ${characterCount(tag)} characters`}`, scope);
    }
  }
}

/**
 * Image Builder's tag maps: the tags of every resource, `amiTags`, `imageTags` and the lifecycle
 * tag selections (`TagMap` in the Image Builder API: at most 50 entries, keys 1 to 128 characters
 * of `[a-zA-Z0-9 _.:/=+-@]` and white space, not starting with `aws:`, values up to 256).
 */
const TAG_MAP = { maxCount: 50, maxKeyLength: 128, maxValueLength: 256 };
/** `ResourceTagMap` (InfrastructureConfiguration `resourceTags`): the same keys and values, at most 30. */
const RESOURCE_TAG_MAP = { ...TAG_MAP, maxCount: 30 };
/** The key pattern of both (`\s` as in the service's pattern: ASCII white space). */
const TAG_KEY = /^(?!aws:)[a-zA-Z0-9 \t\n\v\f\r_.:/=+\-@]*$/;
const TAG_KEY_CHARACTERS = 'letters, digits, white space and _ . : / = + - @';

/** A tag map with at least one tag, or undefined: TagMap properties take 1 to 50 tags, so an empty map is left out. */
export function nonEmptyTags(tags: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  return tags && Object.keys(tags).length > 0 ? tags : undefined;
}

/**
 * A tag map of an Image Builder resource, `amiTags`, `imageTags` or a lifecycle tag selection.
 * `addedBy` names the tags this library adds to the resource and why, which count against the limit too.
 */
export function validateTagMap(
  scope: IConstruct, prop: string, tags: { [key: string]: string } | undefined, addedBy: { [key: string]: string } = {}): void {
  checkTags(scope, prop, tags, TAG_MAP);
  const added = Object.keys(addedBy).filter((key) => !Object.prototype.hasOwnProperty.call(tags ?? {}, key));
  const count = Object.keys(tags ?? {}).length + added.length;
  if (added.length > 0 && count > TAG_MAP.maxCount) {
    throw validationError(`${prop} must have at most ${TAG_MAP.maxCount} tags, got ${count} with ` +
      `${added.map((key) => `the tag ${key} that ${addedBy[key]} adds`).join(' and ')}`, scope);
  }
}

/** InfrastructureConfiguration `resourceTags`: the tags of the build instances and what they create. */
export function validateResourceTags(scope: IConstruct, prop: string, tags: { [key: string]: string } | undefined): void {
  checkTags(scope, prop, tags, RESOURCE_TAG_MAP);
}

function checkTags(scope: IConstruct, prop: string, tags: { [key: string]: string } | undefined, limits: typeof TAG_MAP): void {
  const entries = Object.entries(tags ?? {});
  if (entries.length > limits.maxCount) {
    throw validationError(`${prop} must have at most ${limits.maxCount} tags, got ${entries.length}`, scope);
  }
  for (const [key, value] of entries) {
    if (!Token.isUnresolved(key) && (key.length < 1 || key.length > limits.maxKeyLength || key.startsWith('aws:'))) {
      throw validationError(`${prop} keys must be 1 to ${limits.maxKeyLength} characters and not start with 'aws:', got '${key}'`, scope);
    }
    if (!Token.isUnresolved(key) && !TAG_KEY.test(key)) {
      throw validationError(`${prop} keys may hold ${TAG_KEY_CHARACTERS}, got '${key}'`, scope);
    }
    if (!Token.isUnresolved(value) && characterCount(value) > limits.maxValueLength) {
      throw validationError(`${prop} values must be at most ${limits.maxValueLength} characters, got ${characterCount(value)} for '${key}'`, scope);
    }
  }
}

/** IAM roles and users of an account, the other principals a resource policy may name. */
const IAM_PRINCIPAL_ARN = new RegExp(`^arn:${PARTITION}:iam::[0-9]{12}:(root|role/.+|user/.+)$`);

/**
 * What kind of principal a resource-policy principal string is, or `undefined` for one that an
 * Image Builder resource policy cannot share with.
 */
export function sharingPrincipalKind(value: string): 'account' | 'organization' | 'organizational-unit' | 'iam' | undefined {
  if (ACCOUNT_ID.test(value)) {
    return 'account';
  }
  if (ORGANIZATION_ARN.test(value)) {
    return 'organization';
  }
  if (OU_ARN.test(value)) {
    return 'organizational-unit';
  }
  return IAM_PRINCIPAL_ARN.test(value) ? 'iam' : undefined;
}

/** Whether a value is an AWS Marketplace product ID (tokens are taken as one). */
export function isMarketplaceProductId(value: string): boolean {
  return Token.isUnresolved(value) || MARKETPLACE_PRODUCT_ID.test(value);
}

/** Whether `value` is a map (a plain object): not null, not a list. */
export function isMap(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `text` matched literally in a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
