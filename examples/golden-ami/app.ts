import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AwsManagedComponent, GoldenAmiPipeline, Platform } from '../../src';

/**
 * A golden Amazon Linux 2023 AMI: patched, with the CloudWatch agent and a hardening script,
 * rebuilt weekly, tested and scanned, copied to two regions with its ID in SSM, the last five kept.
 */
export class GoldenAmiStack extends Stack {
  public readonly golden: GoldenAmiPipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.golden = new GoldenAmiPipeline(this, 'GoldenAl2023', {
      components: [
        { component: AwsManagedComponent.updateOs(this, 'UpdateOs', { platform: Platform.LINUX }) },
        { component: AwsManagedComponent.cloudWatchAgent(this, 'CloudWatchAgent', { platform: Platform.LINUX }) },
      ],
      shellScript: [
        'set -euo pipefail',
        'dnf remove -y telnet || true',
        'echo "Authorized use only" > /etc/motd',
      ].join('\n'),
      regions: ['us-east-1', 'eu-west-1'],
      ssmParameterName: '/images/golden-al2023/latest',
      keepImages: 5,
    });
    new CfnOutput(this, 'PipelineArn', { value: this.golden.pipeline.imagePipelineArn });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly is written. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new GoldenAmiStack(app, 'GoldenAmi', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
