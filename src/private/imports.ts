import { ArnFormat, Fn, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import {
  ImageBuilderResourceType,
  VersionWildcards,
  arnSafeName,
  parseImageBuilderArn,
  shownValue,
  validateImageBuilderArn,
  validateResourceName,
  validateSemanticVersion,
} from './validation';
import { arnThroughName } from './versioned-grants';

const LATEST_VERSION = 'x.x.x';

/** The attributes of an import of a versioned resource (component, recipe, image), under their prop names. */
export interface VersionedImport {
  readonly type: ImageBuilderResourceType;
  /** e.g. `component`: the props are `componentArn`, `componentName`, `componentVersion`. */
  readonly prop: string;
  readonly arn?: string;
  readonly name?: string;
  readonly version?: string;
  /** Checks a name given on its own (the ARN is checked by its pattern). */
  readonly validateName: (scope: IConstruct, name: string) => void;
}

/** What an import of a versioned resource resolves to. */
export interface ResolvedVersionedImport {
  readonly arn: string;
  readonly name: string;
  readonly version: string;
  /** The ARN up to and including the name (`arn:...:image/name`), for grants on every version. */
  readonly nameArn: () => string;
}

/**
 * Works out ARN, name and version of an imported versioned resource from an ARN, or from a name
 * and version in the stack's account and region, rejecting conflicting or missing attributes.
 */
export function resolveVersionedImport(scope: IConstruct, i: VersionedImport): ResolvedVersionedImport {
  const resolved = resolveArnNameVersion(scope, i);
  // An ARN built from the name gives the name's ARN the same way; a given ARN is cut after the name.
  const nameArn = () => i.arn === undefined
    ? Stack.of(scope).formatArn({ service: 'imagebuilder', resource: i.type, resourceName: arnSafeName(resolved.name) })
    : arnThroughName(resolved.arn);
  return { ...resolved, nameArn };
}

function resolveArnNameVersion(scope: IConstruct, i: VersionedImport): { arn: string; name: string; version: string } {
  const [arnProp, nameProp, versionProp] = [`${i.prop}Arn`, `${i.prop}Name`, `${i.prop}Version`];
  if (i.arn !== undefined && (i.name !== undefined || i.version !== undefined)) {
    throw validationError(arnAndNameMessage([[arnProp, i.arn], [nameProp, i.name], [versionProp, i.version]]), scope);
  }

  if (i.arn !== undefined) {
    validateImageBuilderArn(scope, arnProp, i.arn, i.type);
    const parsed = Token.isUnresolved(i.arn) ? undefined : parseImageBuilderArn(i.arn);
    if (parsed) {
      return { arn: i.arn, name: parsed.name, version: parsed.version! };
    }
    // An ARN with only its partition or region unresolved still splits at synth time.
    const resourceName = Stack.of(scope).splitArn(i.arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
    if (resourceName !== undefined && !Token.isUnresolved(resourceName)) {
      const [name, version] = resourceName.split('/');
      return { arn: i.arn, name, version };
    }
    // Otherwise split the whole `arn:...:<type>/<name>/<version>[/<build>]` at deployment: the
    // resource name of a splitArn at deployment holds only the first segment after the type.
    const segments = Fn.split('/', i.arn);
    return { arn: i.arn, name: Fn.select(1, segments), version: Fn.select(2, segments) };
  }

  if (i.name === undefined) {
    if (i.version !== undefined) {
      throw validationError(`${versionProp} needs a ${nameProp}, got only ${versionProp} '${i.version}'`, scope);
    }
    const article = /^[aeiou]/.test(i.type) ? 'an' : 'a';
    throw validationError(`give ${arnProp} or ${nameProp} to import ${article} ${i.type}, got neither`, scope);
  }

  i.validateName(scope, i.name);
  const version = i.version ?? LATEST_VERSION;
  validateSemanticVersion(scope, versionProp, version, VersionWildcards.TRAILING);
  // The service writes names in ARNs lowercase, with hyphens for spaces and underscores.
  const arn = Stack.of(scope).formatArn({ service: 'imagebuilder', resource: i.type, resourceName: `${arnSafeName(i.name)}/${version}` });
  return { arn, name: i.name, version };
}

/**
 * The message for an import given both an ARN and a name or version (`[prop, value]` in that order).
 * Only the props given are shown, and a token as known only at deployment, not as its placeholder.
 */
export function arnAndNameMessage(given: Array<[string, string | undefined]>): string {
  const [[arnProp], [nameProp], [versionProp]] = given;
  const shown = given.filter(([, value]) => value !== undefined)
    .map(([prop, value]) => `${prop} ${shownValue(value!)}`);
  return `give ${arnProp}, or ${nameProp} with ${versionProp}, not both; ` +
    `got ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** The attributes of an import of an unversioned resource (pipeline, infrastructure, distribution, lifecycle policy). */
export interface UnversionedImport {
  readonly type: ImageBuilderResourceType;
  /** e.g. `infrastructureConfiguration`: the props are `infrastructureConfigurationArn` and `...Name`. */
  readonly prop: string;
  /** How messages name the resource, e.g. `an infrastructure configuration`. */
  readonly label: string;
  readonly arn?: string;
  readonly name?: string;
}

/**
 * Works out ARN and name of an imported unversioned resource. Both may be given when they agree:
 * the name as written and the name as the ARN writes it (`arnSafeName`).
 */
export function resolveUnversionedImport(scope: IConstruct, i: UnversionedImport): { arn: string; name: string } {
  const [arnProp, nameProp] = [`${i.prop}Arn`, `${i.prop}Name`];
  validateImageBuilderArn(scope, arnProp, i.arn, i.type);
  validateResourceName(scope, nameProp, i.name);

  if (i.arn === undefined) {
    if (i.name === undefined) {
      throw validationError(`give ${arnProp} or ${nameProp} to import ${i.label}, got neither`, scope);
    }
    const arn = Stack.of(scope).formatArn({ service: 'imagebuilder', resource: i.type, resourceName: arnSafeName(i.name) });
    return { arn, name: i.name };
  }

  if (Token.isUnresolved(i.arn)) {
    return { arn: i.arn, name: i.name ?? Stack.of(scope).splitArn(i.arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName! };
  }
  const nameInArn = parseImageBuilderArn(i.arn)!.name;
  if (i.name !== undefined && !Token.isUnresolved(i.name) && arnSafeName(i.name) !== nameInArn) {
    throw validationError(`${nameProp} must be the name in ${arnProp}, got '${i.name}' and ARN '${i.arn}' with name '${nameInArn}'`, scope);
  }
  return { arn: i.arn, name: i.name ?? nameInArn };
}
