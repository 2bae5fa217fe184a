import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validationError } from './errors';
import { VersionWildcards, validateSemanticVersion } from './validation';
import { Component, IComponent } from '../component';
import { Platform } from '../platform';

const LATEST_VERSION = 'x.x.x';

/** The version (trailing `x` wildcards allowed; default the latest) and platform of the import. */
export interface OwnedComponentOptions {
  readonly componentVersion?: string;
  readonly platform?: Platform;
}

/** Names of the components AWS and AWS Marketplace publish: lowercase letters, numbers and hyphens. */
export function validateOwnedComponentName(scope: Construct, componentName: string, kind: string): void {
  if (!Token.isUnresolved(componentName) && !/^[a-z0-9][a-z0-9-]*$/.test(componentName)) {
    throw validationError(
      `componentName must be ${kind} component name of lowercase letters, numbers and hyphens, got '${componentName}'`, scope);
  }
}

/**
 * A component an owner other than the account publishes (`aws`, `aws-marketplace`), by the name in
 * its ARN, in the stack's partition and region.
 */
export function importOwnedComponent(
  scope: Construct, id: string, owner: string, nameInArn: string, options: OwnedComponentOptions,
): IComponent {
  const componentVersion = options.componentVersion ?? LATEST_VERSION;
  validateSemanticVersion(scope, 'componentVersion', componentVersion, VersionWildcards.TRAILING);
  const componentArn = Stack.of(scope).formatArn({
    service: 'imagebuilder',
    account: owner,
    resource: 'component',
    resourceName: `${nameInArn}/${componentVersion}`,
  });
  return Component.fromComponentAttributes(scope, id, { componentArn, platform: options.platform });
}
