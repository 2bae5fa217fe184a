import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AwsManagedComponent, ContainerImagePipeline, Platform } from '../../src';

/**
 * A web server container image on Amazon Linux 2023, rebuilt weekly and scanned, pushed to an ECR
 * repository that scans on push and keeps tags immutable; the last ten images kept.
 */
export class ContainerImageStack extends Stack {
  public readonly web: ContainerImagePipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.web = new ContainerImagePipeline(this, 'Web', {
      components: [{ component: AwsManagedComponent.updateOs(this, 'UpdateOs', { platform: Platform.LINUX }) }],
      shellScript: 'dnf install -y nginx && dnf clean all',
    });
    new CfnOutput(this, 'RepositoryUri', { value: this.web.repository.repositoryUri });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly is written. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new ContainerImageStack(app, 'ContainerImage', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
