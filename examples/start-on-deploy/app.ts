import { App, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { AwsManagedComponent, AwsManagedImage, ImagePipeline, ImageRecipe, ParentImage, Platform } from '../../src';

/**
 * A pipeline that builds its first image while the stack deploys, and again whenever the recipe
 * changes; the deployment waits for the AMI and records its ID for the rest of the stack.
 */
export class StartOnDeployStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const recipe = new ImageRecipe(this, 'Recipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component: AwsManagedComponent.updateOs(this, 'UpdateOs', { platform: Platform.LINUX }) }],
    });
    const pipeline = new ImagePipeline(this, 'Pipeline', { imageRecipe: recipe });
    const execution = pipeline.startOnDeploy({ waitForCompletion: true, waitTimeout: Duration.minutes(50) });

    new ssm.StringParameter(this, 'BuiltAmi', { parameterName: '/images/app-base/deployed', stringValue: execution.amiId() });
    new CfnOutput(this, 'AmiId', { value: execution.amiId() });
    new CfnOutput(this, 'ImageBuildVersionArn', { value: execution.imageBuildVersionArn });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly is written. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new StartOnDeployStack(app, 'StartOnDeploy', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
