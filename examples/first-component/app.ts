import * as path from 'path';
import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AwsManagedComponent, Component, ComponentData, OsVersion, Platform } from '../../src';

/**
 * Two components of a Linux golden image: one written inline, one from a file, plus a reference
 * to an AWS-managed component.
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
