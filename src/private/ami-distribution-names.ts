import { Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { SSM_PARAMETER_NAME } from './validation';

/*
 * The names an AMI distribution gives: the AMI's and the SSM parameter's. The distribution
 * configuration and the golden AMI pattern check them, each under its own prop name.
 */

/**
 * `AmiDistributionConfiguration.name` (Image Builder API reference): 1 to 127 characters; letters,
 * numbers, hyphens, underscores, white space, colons, braces and periods; it starts with a letter,
 * number, hyphen, underscore or `{` and ends with a letter, number, hyphen, underscore or `}`
 * (`\s` in the service's pattern: ASCII white space).
 */
const AMI_NAME = /^[-_A-Za-z0-9{][-_A-Za-z0-9 \t\n\v\f\r:{}.]+[-_A-Za-z0-9}]$/;
const MAX_AMI_NAME_LENGTH = 127;
/** A `{{ ... }}` variable in an AMI name, with the text between the braces. */
const AMI_NAME_VARIABLE = /\{\{([^{}]*)\}\}/g;
const BUILD_DATE = 'imagebuilder:buildDate';
const BUILD_VERSION = 'imagebuilder:buildVersion';
/** The variables Image Builder replaces in AMI names (user guide, "Create and update AMI distribution configurations"). */
const AMI_NAME_VARIABLES = [BUILD_DATE, BUILD_VERSION];

/**
 * `SsmParameterConfiguration.parameterName` (Image Builder API) and the Parameter Store naming rules:
 * "The maximum length for a parameter name, including the full content of the parameter ARN, is 1011
 * characters".
 */
export const MAX_SSM_PARAMETER_NAME_LENGTH = 1011;
const MAX_SSM_HIERARCHY_DEPTH = 15;
const RESERVED_SSM_PREFIX = /^\/?(aws|ssm)/i;

/** The documented length and characters, and only the variables Image Builder replaces, with the build date among them. */
export function validateAmiName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const matches = [...name.matchAll(AMI_NAME_VARIABLE)];
  const variables = matches.map((match) => match[1].trim());
  const unknown = matches.find((match) => !AMI_NAME_VARIABLES.includes(match[1].trim()));
  if (unknown !== undefined) {
    throw validationError(
      `${prop} may only use the variables ${AMI_NAME_VARIABLES.map((v) => `{{ ${v} }}`).join(' and ')}, got '${unknown[0]}' in '${name}'`, scope);
  }
  if (name.length > MAX_AMI_NAME_LENGTH) {
    throw validationError(`${prop} must be at most ${MAX_AMI_NAME_LENGTH} characters, variables included, got ${name.length}: '${name}'`, scope);
  }
  if (!AMI_NAME.test(name)) {
    throw validationError(
      `${prop} must be letters, numbers, hyphens, underscores, spaces, colons, periods and {{ }} variables, starting with a letter, ` +
      `number, hyphen, underscore or '{' and ending with a letter, number, hyphen, underscore or '}', got '${name}'`, scope);
  }
  // CreateDistributionConfiguration refuses such a name: "The EC2 AMI name must contain
  // '{{ imagebuilder:buildDate }}' to ensure that the name will be unique."
  if (!variables.includes(BUILD_DATE)) {
    throw validationError(
      `${prop} must contain {{ ${BUILD_DATE} }} so that each build's AMI gets a new name, got '${name}'`, scope);
  }
}

/** The Image Builder pattern plus the Parameter Store naming rules; `label` names the value in messages. */
export function validateSsmParameterName(scope: IConstruct, label: string, name: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  if (name.length < 1 || name.length > MAX_SSM_PARAMETER_NAME_LENGTH) {
    throw validationError(`${label} must be 1 to ${MAX_SSM_PARAMETER_NAME_LENGTH} characters, got ${name.length}`, scope);
  }
  if (!SSM_PARAMETER_NAME.test(name)) {
    throw validationError(`${label} must be letters, numbers and _.-/ only, got '${name}'`, scope);
  }
  if (RESERVED_SSM_PREFIX.test(name)) {
    throw validationError(`${label} must not start with 'aws' or 'ssm' (in any case), which are reserved, got '${name}'`, scope);
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw validationError(`${label} in a hierarchy must start with '/', got '${name}'; use '/${name}'`, scope);
  }
  const depth = name.split('/').length - 1;
  if (depth > MAX_SSM_HIERARCHY_DEPTH) {
    throw validationError(`${label} must have at most ${MAX_SSM_HIERARCHY_DEPTH} hierarchy levels, got ${depth} in '${name}'`, scope);
  }
}

/** The partition assumed in a parameter's ARN when neither the stack nor the region tells it: the shortest, so valid names pass. */
const DEFAULT_PARTITION = 'aws';

/**
 * Systems Manager counts the parameter's ARN in the 1,011 characters of its name. The ARN is known
 * when the region and account are: the partition is the stack's, else the region's, else `aws`.
 *
 * @param label what the error calls the name
 * @param accountId the account that owns the parameter, default the stack's
 */
export function validateSsmParameterArnLength(
  scope: IConstruct, label: string, name: string, accountId: string | undefined, region: string): void {
  const stack = Stack.of(scope);
  const account = accountId ?? stack.account;
  if (Token.isUnresolved(name) || Token.isUnresolved(account) || Token.isUnresolved(region)) {
    return;
  }
  const partition = !Token.isUnresolved(stack.partition) ? stack.partition : RegionInfo.get(region).partition ?? DEFAULT_PARTITION;
  const prefix = `arn:${partition}:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}`;
  if (prefix.length + name.length > MAX_SSM_PARAMETER_NAME_LENGTH) {
    throw validationError(
      `${label} must be at most ${MAX_SSM_PARAMETER_NAME_LENGTH - prefix.length} characters here: Systems Manager allows ` +
      `${MAX_SSM_PARAMETER_NAME_LENGTH} for the name with its ARN prefix '${prefix}' (${prefix.length} characters), got ${name.length}`, scope);
  }
}

/**
 * A unique AMI name from `base`: `base` is cut to fit the 127 characters of an AMI name with the
 * build date, which keeps each build's name unique.
 */
export function amiNameWithBuildDate(base: string): string {
  const suffix = `-{{ ${BUILD_DATE} }}`;
  return `${base.slice(0, MAX_AMI_NAME_LENGTH - suffix.length)}${suffix}`;
}
