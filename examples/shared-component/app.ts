import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Component, ComponentDocument, ComponentData, ComponentPhaseName, ComponentStep, Platform } from '../../src';

/** The organization whose accounts may use the component. */
const ORGANIZATION_ARN = 'arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5';

/**
 * A platform team's hardening component, shared with every account of the organization: the
 * resource policy is put and its AWS RAM share promoted at deploy time, so member accounts see it.
 */
export class SharedComponentStack extends Stack {
  public readonly hardening: Component;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const document = new ComponentDocument({ name: 'Hardening', description: 'Organization-wide hardening' });
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('DisableRootLogin', {
      commands: ['sed -i "s/^#\\?PermitRootLogin.*/PermitRootLogin no/" /etc/ssh/sshd_config'],
    }));
    document.addSteps(ComponentPhaseName.VALIDATE, ComponentStep.executeBash('CheckRootLogin', {
      commands: ['grep -q "^PermitRootLogin no" /etc/ssh/sshd_config'],
    }));
    this.hardening = new Component(this, 'Hardening', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) });
    this.hardening.shareWith({ organizationArns: [ORGANIZATION_ARN] });
    new CfnOutput(this, 'ComponentArn', { value: this.hardening.componentArn });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly is written. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new SharedComponentStack(app, 'SharedComponent', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
