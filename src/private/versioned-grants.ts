import { Fn, Token } from 'aws-cdk-lib';
import { parseImageBuilderArn } from './validation';

/**
 * The IAM resources of a versioned Image Builder resource (component, workflow). IAM knows them by
 * build version ARN (`.../name/1.0.0/3`), so a grant covers the version ARN and every build under
 * it (or the one build an ARN names); a wildcard or unknown version covers every version of the
 * name. `nameArn` gives the ARN up to and including the name, and is only called when needed.
 */
export function versionedResourceArns(arn: string, version: string, nameArn: () => string): string[] {
  if (Token.isUnresolved(version) || version.includes('x')) {
    return [arn, Fn.join('', [nameArn(), '/*'])];
  }
  // An import by build version ARN names one build: nothing lies under it.
  if (!Token.isUnresolved(arn) && parseImageBuilderArn(arn)?.build !== undefined) {
    return [arn];
  }
  return [arn, `${arn}/*`];
}
