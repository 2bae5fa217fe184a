import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { VersionWildcards, validateSemanticVersion } from './validation';

/** Recipes may let the service number the patch (`1.0.x`), nothing else. */
export function validateRecipeVersion(scope: IConstruct, version: string): void {
  validateSemanticVersion(scope, 'recipeVersion', version, VersionWildcards.TRAILING);
  if (!Token.isUnresolved(version) && /^(x|\d+\.x)/.test(version)) {
    throw validationError(`recipeVersion may use x only for the patch number, e.g. 1.0.x, got '${version}'`, scope);
  }
}


export function validateUniqueDevices(
  scope: IConstruct, devices: ReadonlyArray<{ readonly deviceName: string }>, prop = 'blockDevices',
): void {
  const seen = new Set<string>();
  for (const device of devices) {
    if (!Token.isUnresolved(device.deviceName) && device.deviceName.trim() === '') {
      throw validationError(`${prop} deviceName must be a device name such as '/dev/xvda', got ''`, scope);
    }
    if (seen.has(device.deviceName)) {
      throw validationError(`${prop} must name each device once, got '${device.deviceName}' twice`, scope);
    }
    seen.add(device.deviceName);
  }
}

