import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import {
  AwsManagedComponent, AwsManagedImage, ContainerParentImage, ContainerRecipe, DistributionConfiguration, Image, ImagePipeline,
  ImageRecipe, LifecycleAction, LifecycleFilter, LifecyclePolicy, LifecycleRecipeSelection, LifecycleResourceSelection,
  LifecycleResourceType, ParentImage, PipelineSchedule, Platform,
} from '../../src';

/**
 * An image factory: a weekly golden AMI pipeline that distributes to two regions and publishes the
 * newest AMI ID in SSM, a container pipeline for a web image, a base AMI built while the stack
 * deploys, and a lifecycle policy that keeps the last five golden AMIs.
 */
export class ImageFactoryStack extends Stack {
  /** The golden AMI pipeline. */
  public readonly goldenPipeline: ImagePipeline;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const golden = new ImageRecipe(this, 'GoldenRecipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [
        { component: AwsManagedComponent.updateOs(this, 'UpdateLinux', { platform: Platform.LINUX }) },
        { component: AwsManagedComponent.cloudWatchAgent(this, 'CloudWatchAgent', { platform: Platform.LINUX }) },
      ],
    });

    const distribution = new DistributionConfiguration(this, 'GoldenDistribution', {
      amiDistributions: ['us-east-1', 'eu-west-1'].map((region) => ({
        region,
        amiName: 'golden-al2023-{{ imagebuilder:buildDate }}',
        ssmParameters: [{ parameterName: '/images/golden-al2023/latest' }],
      })),
    });

    this.goldenPipeline = new ImagePipeline(this, 'GoldenPipeline', {
      imageRecipe: golden,
      distributionConfiguration: distribution,
      schedule: PipelineSchedule.cron({ hour: '4', weekDay: 'MON' }, { timezone: 'Europe/Paris', autoDisableAfterFailures: 3 }),
      imageScanningEnabled: true,
      imageTestsTimeout: Duration.hours(2),
    });

    // Every version of the golden recipe stays covered: the selection uses a version wildcard.
    new LifecyclePolicy(this, 'GoldenCleanup', {
      resourceType: LifecycleResourceType.AMI_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.imageRecipe(golden)]),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(5), includeAmis: true, includeSnapshots: true }],
    });

    const webRepository = new ecr.Repository(this, 'WebRepository', {
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
    });
    const web = new ContainerRecipe(this, 'WebRecipe', {
      parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
      targetRepository: webRepository,
      components: [{ component: AwsManagedComponent.updateOs(this, 'UpdateContainer', { platform: Platform.LINUX }) }],
    });
    new ImagePipeline(this, 'WebPipeline', {
      containerRecipe: web,
      schedule: PipelineSchedule.expression('rate(7 days)'),
    });

    new Image(this, 'BaseImage', {
      imageRecipe: new ImageRecipe(this, 'BaseRecipe', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.UBUNTU_24_04),
        components: [{ component: AwsManagedComponent.updateOs(this, 'UpdateUbuntu', { platform: Platform.LINUX }) }],
      }),
    });
  }
}

/** Builds the example app; `outdir` is where the cloud assembly is written. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new ImageFactoryStack(app, 'ImageFactory', { env: { account: '123456789012', region: 'us-east-1' } });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
