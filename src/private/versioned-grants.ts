import { Fn, Token } from 'aws-cdk-lib';
import { parseImageBuilderArn } from './validation';

/** How the IAM resources of a versioned Image Builder resource are numbered. */
export interface VersionedResourceOptions {
  /**
   * Whether IAM knows the resource by build version ARN (`.../name/1.0.0/3`): components,
   * workflows and images. Recipes have no build number: IAM knows them by version ARN.
   *
   * @default true
   */
  readonly builds?: boolean;
}

/**
 * The IAM resources of a versioned Image Builder resource. Components, workflows and images are
 * known to IAM by build version ARN (`.../name/1.0.0/3`), so a grant covers the version ARN and
 * every build under it (or the one build an ARN names); recipes are known by version ARN, so a
 * grant covers that ARN alone. A wildcard or unknown version covers every version of the name.
 * `nameArn` gives the ARN up to and including the name, and is only called when needed.
 */
export function versionedResourceArns(
  arn: string, version: string, nameArn: () => string, options: VersionedResourceOptions = {}): string[] {
  if (Token.isUnresolved(version) || version.includes('x')) {
    return [arn, Fn.join('', [nameArn(), '/*'])];
  }
  // Without build numbers, a version ARN names the one resource there is.
  if (options.builds === false) {
    return [arn];
  }
  // An import by build version ARN names one build: nothing lies under it.
  if (!Token.isUnresolved(arn) && parseImageBuilderArn(arn)?.build !== undefined) {
    return [arn];
  }
  return [arn, `${arn}/*`];
}

/**
 * The ARN up to and including the name (`arn:...:image/name`) of a versioned ARN
 * (`arn:...:image/name/1.0.0[/1]`), for resource types without a further path segment before the
 * name. A literal ARN comes out literal, as the split, select and join of a string known at synth
 * time are resolved then; an ARN known only at deployment is split then.
 */
export function arnThroughName(arn: string): string {
  const segments = Fn.split('/', arn);
  return Fn.join('/', [Fn.select(0, segments), Fn.select(1, segments)]);
}
