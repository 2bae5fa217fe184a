import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import {
  AwsManagedComponent, AwsManagedImage, Image, ImagePipeline, ImageRecipe, ParentImage, PipelineSchedule, Platform,
} from '../../src';

/**
 * A weekly pipeline whose image CloudFormation also builds while the stack deploys, by running the
 * pipeline, and again whenever the stack changes the pipeline (a new recipe version, say); a
 * launch template of the same stack starts instances from that AMI.
 */
export class PipelineImageStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const recipe = new ImageRecipe(this, 'Recipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component: AwsManagedComponent.updateOs(this, 'UpdateOs', { platform: Platform.LINUX }) }],
    });
    const pipeline = new ImagePipeline(this, 'Pipeline', {
      imageRecipe: recipe,
      schedule: PipelineSchedule.cron({ hour: '4', weekDay: 'MON' }),
    });
    const image = new Image(this, 'Current', { imagePipeline: pipeline });

    new ec2.CfnLaunchTemplate(this, 'AppServers', {
      launchTemplateData: {
        imageId: image.imageId,
        instanceType: 't3.micro',
        metadataOptions: { httpTokens: 'required' },
      },
    });
    new CfnOutput(this, 'AmiId', { value: image.imageId });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly is written. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new PipelineImageStack(app, 'PipelineImage', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
