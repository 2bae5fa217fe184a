import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { differsFromKnown, validateAccountId, validateWholeNumber, writtenArnFields } from './validation';
import type { FastLaunchOptions } from '../distribution-configuration';

/*
 * Where an AMI distribution sends the AMI: accounts, and resources that must be in its region. The
 * distribution configuration and the golden AMI pattern check them, each under its own prop name.
 */

/**
 * `AccountList` (Image Builder API): 1 to 1,536 accounts, for `AmiDistributionConfiguration.targetAccountIds`
 * and `LaunchPermissionConfiguration.userIds`.
 */
const MAX_ACCOUNTS = 1536;
/** `LaunchTemplateConfiguration.launchTemplateId` (Image Builder API). */
const LAUNCH_TEMPLATE_ID = /^lt-[a-z0-9-_]{17}$/;
/** EC2 `EnableFastLaunch.MaxParallelLaunches`: "Value must be 6 or greater". */
const MIN_PARALLEL_LAUNCHES = 6;
/** `FastLaunchSnapshotConfiguration.targetResourceCount`: 1 to 10,000. */
const MAX_TARGET_SNAPSHOTS = 10000;
/** `Distribution.fastLaunchConfigurations` (Image Builder API): 1 to 1,000. */
const MAX_FAST_LAUNCH_CONFIGURATIONS = 1000;

/** A list the API takes with 1 to `max` items: an empty one must be left out, a longer one is refused. */
export function validateListLength(scope: IConstruct, prop: string, list: unknown[] | undefined, max: number, noun: string): void {
  if (list === undefined || Token.isUnresolved(list)) {
    return;
  }
  if (list.length === 0) {
    throw validationError(`${prop} must list at least one ${noun} when given, got none; omit it instead`, scope);
  }
  if (list.length > max) {
    throw validationError(`${prop} must list at most ${max} ${noun}s, got ${list.length}`, scope);
  }
}

/** `AccountList`: 1 to 1,536 account IDs. */
export function validateAccountList(scope: IConstruct, prop: string, accounts: string[] | undefined): void {
  validateListLength(scope, prop, accounts, MAX_ACCOUNTS, 'account');
  for (const account of accounts ?? []) {
    validateAccountId(scope, prop, account);
  }
}

/**
 * Resources this app creates live in their stack's region, which must be the distribution's. Imports
 * are not checked: `fromXxxAttributes` gives them the importing stack's region, whatever region they
 * are really in.
 */
export function validateRegionOfCreated(
  scope: IConstruct, prop: string, resource: IConstruct | undefined, region: string, where = 'where the image is distributed'): void {
  if (!resource || !isCreatedInApp(resource)) {
    return;
  }
  const resourceRegion = Stack.of(resource).region;
  if (Token.isUnresolved(resourceRegion) || Token.isUnresolved(region)) {
    return;
  }
  if (resourceRegion !== region) {
    throw validationError(
      `${prop} must be in region ${region}, ${where}, got ${resource.node.path} of region ${resourceRegion}`, scope);
  }
}

/**
 * A KMS key must be in the region that uses it: a key this app creates in its stack's region, any
 * other in the region its ARN names. An imported key's ARN is what the template holds, so its
 * region field is compared when it is written out (`fromKeyArn` with a literal ARN, or an alias
 * import, whose ARN names the importing stack's region).
 */
export function validateRegionOfKey(
  scope: IConstruct, prop: string, key: kms.IKey | undefined, region: string, where = 'where the image is distributed'): void {
  if (!key || isCreatedInApp(key)) {
    validateRegionOfCreated(scope, prop, key, region, where);
    return;
  }
  const { service, region: keyRegion } = writtenArnFields(key.keyArn);
  if (service === 'kms' && differsFromKnown(keyRegion, region)) {
    const shown = Token.isUnresolved(key.keyArn) ? `${key.node.path}, whose ARN names` : `'${key.keyArn}' of`;
    throw validationError(`${prop} must be in region ${region}, ${where}, got ${shown} region ${keyRegion}; ` +
      `import the key of ${region} by its ARN there (a multi-Region key has one in each region)`, scope);
  }
}

/**
 * A launch template this app creates belongs to its stack's account, which must be the account its
 * setting is for: `accountId`, else the account that runs the build. A template of the build's
 * stack on a target account's entry would otherwise fail only when Image Builder distributes.
 * Imports are not checked, as for regions.
 */
export function validateAccountOfCreated(
  scope: IConstruct, prop: string, resource: IConstruct | undefined, accountId: string | undefined): void {
  if (!resource || !isCreatedInApp(resource)) {
    return;
  }
  const owner = Stack.of(resource).account;
  const wanted = accountId ?? Stack.of(scope).account;
  if (Token.isUnresolved(owner) || Token.isUnresolved(wanted) || owner === wanted) {
    return;
  }
  const whose = accountId === undefined ? 'the account that runs the build' : 'the accountId of its entry';
  throw validationError(`${prop} must be in account ${wanted}, ${whose}, got ${resource.node.path} of account ${owner}`, scope);
}

/** Whether `resource` is created by this app rather than imported. */
export function isCreatedInApp(resource: IConstruct): boolean {
  return CfnResource.isCfnResource(resource.node.defaultChild);
}

/**
 * A launch template of a distribution: one created in the app is in the distribution's region and
 * in the account of its entry (`accountId`, else the build account); an ID known at synth time has
 * the form the API takes.
 */
export function validateLaunchTemplate(
  scope: IConstruct, prop: string, template: ec2.ILaunchTemplate | undefined, accountId: string | undefined, region: string): void {
  validateRegionOfCreated(scope, prop, template, region);
  validateAccountOfCreated(scope, prop, template, accountId);
  const id = template?.launchTemplateId;
  if (id === undefined || Token.isUnresolved(id)) {
    return;
  }
  if (!LAUNCH_TEMPLATE_ID.test(id)) {
    throw validationError(
      `${prop} must have a launch template ID of lt- and 17 lowercase letters, digits, hyphens or underscores, ` +
      `like lt-0123456789abcdef0, got '${id}'`, scope);
  }
}

/** Whether `accounts` includes `account` or may, holding a value known only at deployment. */
export function mayInclude(accounts: string[] | undefined, account: string): boolean {
  return accounts !== undefined && (Token.isUnresolved(accounts) || accounts.some((a) => a === account || Token.isUnresolved(a)));
}

/**
 * Each entry names the owner of one copy of the AMI ("the owner account ID for the fast-launch
 * enabled Windows AMI", Image Builder API): the build account or a target account, each once.
 */
export function validateFastLaunchConfigurations(
  scope: IConstruct, prop: string, list: FastLaunchOptions[] | undefined, targetAccountIds: string[] | undefined, region: string): void {
  validateListLength(scope, prop, list, MAX_FAST_LAUNCH_CONFIGURATIONS, 'Fast Launch configuration');
  if (list === undefined || Token.isUnresolved(list)) {
    return;
  }
  const buildAccount = Stack.of(scope).account;
  const owners = new Set<string>();
  list.forEach((options, i) => {
    validateFastLaunch(scope, `${prop}[${i}]`, options, region);
    // Equal strings are one account even while unknown, as two entries without accountId are.
    const account = options.accountId ?? buildAccount;
    if (owners.has(account)) {
      const named = !Token.isUnresolved(account) ? `account ${account}`
        : options.accountId === undefined ? 'the account that runs the build' : 'one account known only at deployment';
      throw validationError(`${prop} must have one entry per account, got two for ${named} ` +
        '(an entry without accountId is for the account that runs the build)', scope);
    }
    owners.add(account);
    if (account !== buildAccount && !Token.isUnresolved(account) && !Token.isUnresolved(buildAccount)
      && !mayInclude(targetAccountIds, account)) {
      throw validationError(
        `${prop}[${i}].accountId must be the account that runs the build (${buildAccount}) or one of the distribution's ` +
        `targetAccountIds, which own copies of the AMI, got '${account}' with targetAccountIds [${(targetAccountIds ?? []).join(', ')}]`, scope);
    }
  });
}

function validateFastLaunch(scope: IConstruct, prop: string, options: FastLaunchOptions, region: string): void {
  const { maxParallelLaunches, targetSnapshotCount, launchTemplate } = options;
  if (maxParallelLaunches !== undefined && !Token.isUnresolved(maxParallelLaunches)
    && !(Number.isInteger(maxParallelLaunches) && maxParallelLaunches >= MIN_PARALLEL_LAUNCHES)) {
    throw validationError(
      `${prop}.maxParallelLaunches must be a whole number of at least ${MIN_PARALLEL_LAUNCHES}, got ${maxParallelLaunches}`, scope);
  }
  validateWholeNumber(scope, `${prop}.targetSnapshotCount`, targetSnapshotCount, 1, MAX_TARGET_SNAPSHOTS);
  validateAccountId(scope, `${prop}.accountId`, options.accountId);
  validateLaunchTemplate(scope, `${prop}.launchTemplate`, launchTemplate, options.accountId, region);
}
