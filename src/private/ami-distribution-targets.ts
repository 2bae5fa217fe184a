import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { differsFromKnown, validateAccountId, writtenArnFields } from './validation';

/*
 * Where an AMI distribution sends the AMI: accounts, and resources that must be in its region. The
 * distribution configuration and the golden AMI pattern check them, each under its own prop name.
 */

/**
 * `AccountList` (Image Builder API): 1 to 1,536 accounts, for `AmiDistributionConfiguration.targetAccountIds`
 * and `LaunchPermissionConfiguration.userIds`.
 */
const MAX_ACCOUNTS = 1536;

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
