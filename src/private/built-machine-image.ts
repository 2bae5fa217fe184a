import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { validationError } from './errors';
import { Platform } from '../platform';

/**
 * The AMI an image built during the deployment, for instances and launch templates: its ID with
 * the user data of its platform. The AMI exists in the image's region only (distributions aside),
 * so an instance of a stack of another known region fails at synth rather than at launch.
 */
export class BuiltMachineImage implements ec2.IMachineImage {
  public constructor(private readonly image: IConstruct, private readonly imageId: string, private readonly platform: Platform | undefined) {}

  public getImage(scope: Construct): ec2.MachineImageConfig {
    const imageRegion = Stack.of(this.image).region;
    const region = Stack.of(scope).region;
    if (!Token.isUnresolved(imageRegion) && !Token.isUnresolved(region) && region !== imageRegion) {
      throw validationError(`the AMI of ${this.image.node.path} is in ${imageRegion}, where the image was built, ` +
        `got ${scope.node.path} in ${region}; launch it in ${imageRegion}, or distribute the image to ${region} and read its AMI ID there`, scope);
    }
    if (this.platform === undefined) {
      Annotations.of(scope).addWarningV2('cdk-imagebuilder:unknownMachineImagePlatform',
        `the platform of the AMI of ${this.image.node.path} is not known (its recipe does not say), so its user data is for Linux; ` +
        "give the parent image's platform (the platform option of ParentImage.fromAmiId, fromSsmParameterName and the like, or of " +
        'an imported recipe), Platform.LINUX included');
    }
    // macOS user data is a shell script too; an unknown platform is taken as Linux, the default of recipes.
    const osType = this.platform === Platform.WINDOWS ? ec2.OperatingSystemType.WINDOWS : ec2.OperatingSystemType.LINUX;
    return { imageId: this.imageId, osType, userData: ec2.UserData.forOperatingSystem(osType) };
  }
}
