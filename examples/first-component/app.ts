import * as path from 'path';
import { App, CfnOutput, Size, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  AwsManagedComponent, AwsManagedImage, Component, ComponentData, EbsVolumeType, ImageRecipe, OsVersion, ParentImage, Platform, RecipeBlockDevice,
} from '../../src';

/**
 * A Linux golden-image recipe: two components of its own (one written inline, one from a file) and
 * an AWS-managed one, on the latest Amazon Linux 2023 with an encrypted gp3 root volume.
 */
export class FirstComponentStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const hardening = new Component(this, 'Hardening', {
      platform: Platform.LINUX,
      description: 'Disables password logins over SSH',
      supportedOsVersions: [OsVersion.AMAZON_LINUX_2023],
      data: ComponentData.fromInline(`
name: ssh-hardening
schemaVersion: 1.0
phases:
  - name: build
    steps:
      - name: DisablePasswordLogin
        action: ExecuteBash
        inputs:
          commands:
            - sed -i 's/^#\\?PasswordAuthentication.*/PasswordAuthentication no/' /etc/ssh/sshd_config
  - name: validate
    steps:
      - name: CheckPasswordLogin
        action: ExecuteBash
        inputs:
          commands:
            - grep -q '^PasswordAuthentication no' /etc/ssh/sshd_config
`),
    });

    const tools = new Component(this, 'Tools', {
      platform: Platform.LINUX,
      componentVersion: '1.2.0',
      description: 'Installs the tools every build host needs',
      data: ComponentData.fromAsset(path.join(__dirname, 'install-tools.yml')),
    });

    const updates = AwsManagedComponent.updateOs(this, 'UpdateOs', { platform: Platform.LINUX });

    const recipe = new ImageRecipe(this, 'GoldenRecipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component: updates }, { component: hardening }, { component: tools }],
      blockDevices: [
        RecipeBlockDevice.ebs('/dev/xvda', { volumeSize: Size.gibibytes(20), volumeType: EbsVolumeType.GP3, encrypted: true }),
      ],
      amiTags: { purpose: 'golden-image' },
    });

    new CfnOutput(this, 'RecipeArn', { value: recipe.imageRecipeArn });
    new CfnOutput(this, 'HardeningComponentArn', { value: hardening.componentArn });
    new CfnOutput(this, 'ToolsComponentArn', { value: tools.componentArn });
    new CfnOutput(this, 'UpdateOsComponentArn', { value: updates.componentArn });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly is written. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new FirstComponentStack(app, 'FirstComponent', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
