import { Token } from 'aws-cdk-lib';
import { CfnImageRecipe } from 'aws-cdk-lib/aws-imagebuilder';
import { Construct, IConstruct } from 'constructs';
import { validationError } from './errors';
import type { RecipeBlockDevice } from '../image-recipe';
import { VersionWildcards, validateSemanticVersion } from './validation';

/** Recipes may let the service number the patch (`1.0.x`), nothing else. */
export function validateRecipeVersion(scope: IConstruct, version: string): void {
  validateSemanticVersion(scope, 'recipeVersion', version, VersionWildcards.TRAILING);
  if (!Token.isUnresolved(version) && /^(x|\d+\.x)/.test(version)) {
    throw validationError(`recipeVersion may use x only for the patch number, e.g. 1.0.x, got '${version}'`, scope);
  }
}

/**
 * The block devices of a recipe or of its build instance, rendered as they are added (which checks
 * each against the EBS rules) and each device name once. `prop` names them in messages.
 */
export class BlockDeviceList {
  private readonly mappings: CfnImageRecipe.InstanceBlockDeviceMappingProperty[] = [];
  private readonly names = new Set<string>();

  public constructor(private readonly prop: string) {}

  public add(scope: Construct, device: RecipeBlockDevice): void {
    if (!Token.isUnresolved(device.deviceName) && device.deviceName.trim() === '') {
      // Quoted as given, so that a blank name does not read as an empty one.
      throw validationError(`${this.prop} deviceName must be a device name such as '/dev/xvda', got '${device.deviceName}'`, scope);
    }
    if (this.names.has(device.deviceName)) {
      throw validationError(`${this.prop} must name each device once, got '${device.deviceName}' twice`, scope);
    }
    this.mappings.push(device._render(scope, this.prop));
    this.names.add(device.deviceName);
  }

  /** The mappings, or `undefined` when there are none. */
  public render(): CfnImageRecipe.InstanceBlockDeviceMappingProperty[] | undefined {
    return this.mappings.length > 0 ? this.mappings : undefined;
  }
}

