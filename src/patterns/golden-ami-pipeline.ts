import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  createLogBucket, createNotificationTopic, patternComponents, shareOwnComponents, validateKeepImages,
} from './pattern-resources';
import { ComponentDocument } from '../component-document';
import { PipelineExecution, PipelineExecutionOptions } from '../custom-resources/pipeline-execution';
import { DistributionConfiguration } from '../distribution-configuration';
import { ImagePipeline } from '../image-pipeline';
import { ImageRecipe, RecipeComponent } from '../image-recipe';
import { InfrastructureConfiguration } from '../infrastructure-configuration';
import {
  LifecycleAction, LifecycleFilter, LifecyclePolicy, LifecycleRecipeSelection, LifecycleResourceSelection, LifecycleResourceType,
} from '../lifecycle-policy';
import { AwsManagedImage, ParentImage } from '../parent-image';
import { PipelineSchedule } from '../pipeline-schedule';
import { Platform } from '../platform';
import { validationError } from '../private/errors';
import { ShareWithOptions } from '../sharing';

/**
 * Properties of a {@link GoldenAmiPipeline}. Give at least one of `components`, `document` and
 * `shellScript`; they run in that order.
 */
export interface GoldenAmiPipelineProps {
  /**
   * Components to run, in order.
   *
   * @default - none
   */
  readonly components?: RecipeComponent[];

  /**
   * A component document to run, after `components`.
   *
   * @default - none
   */
  readonly document?: ComponentDocument;

  /**
   * A shell script to run as the last build step (Bash on Linux, PowerShell on Windows).
   *
   * @default - none
   */
  readonly shellScript?: string;

  /**
   * The image to start from.
   *
   * @default - the latest Amazon Linux 2023 (x86_64) AMI, via its AWS-managed image
   */
  readonly parentImage?: ParentImage;

  /**
   * The platform of `parentImage`, for the components made from `document` and `shellScript`.
   *
   * @default Platform.LINUX
   */
  readonly platform?: Platform;

  /**
   * The VPC to build in.
   *
   * @default - the default VPC of the region
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` to build.
   *
   * @default - the VPC's private subnets
   */
  readonly subnetSelection?: ec2.SubnetSelection;

  /**
   * Instance types to build and test on.
   *
   * @default - Image Builder picks (m5.large for x86_64)
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * The regions that receive the AMI, each with the SSM parameter.
   *
   * @default - the stack's region
   */
  readonly regions?: string[];

  /**
   * The AMI name, with Image Builder variables.
   *
   * @default '<id>-{{ imagebuilder:buildDate }}' in lowercase
   */
  readonly amiName?: string;

  /**
   * The SSM parameter that holds the newest AMI ID in each region.
   *
   * @default '/golden-ami/<id>/latest' in lowercase
   */
  readonly ssmParameterName?: string;

  /**
   * When the pipeline runs.
   *
   * @default - Mondays 04:00 UTC, when the parent image or a component has been updated
   */
  readonly schedule?: PipelineSchedule;

  /**
   * How long the image tests may run.
   *
   * @default Duration.hours(12), the service's default
   */
  readonly imageTestsTimeout?: Duration;

  /**
   * Scan images for vulnerabilities with Amazon Inspector.
   *
   * @default true
   */
  readonly imageScanningEnabled?: boolean;

  /**
   * How many of the newest images the lifecycle policy keeps; older ones are deleted with their
   * AMIs and snapshots.
   *
   * @default 5
   */
  readonly keepImages?: number;

  /**
   * How long build logs stay in the log bucket.
   *
   * @default Duration.days(90)
   */
  readonly logExpiration?: Duration;

  /**
   * Share the AMIs (launch permissions), the recipe and the components this pattern owns.
   *
   * @default - not shared
   */
  readonly shareWith?: ShareWithOptions;

  /**
   * Start the pipeline when the stack deploys.
   *
   * @default false
   */
  readonly startOnDeploy?: boolean;

  /**
   * How to start the pipeline on deploy, with `startOnDeploy`.
   *
   * @default - start without waiting, again when the recipe or the pipeline changes
   */
  readonly startOnDeployOptions?: PipelineExecutionOptions;
}

/**
 * A golden AMI, ready for production in one construct: a recipe from your components, a document
 * or a shell script; secure build infrastructure with an encrypted, SSL-only log bucket and an
 * encrypted notification topic; distribution to one or more regions with an SSM parameter of the
 * newest AMI; a weekly pipeline with tests and vulnerability scanning; a lifecycle policy that keeps
 * the last images; optional sharing and start on deploy. Every piece is a public property.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/start-build-image-pipeline.html
 */
export class GoldenAmiPipeline extends Construct {
  /** The components the recipe runs, including those made from `document` and `shellScript`. */
  public readonly components: RecipeComponent[];
  /** The recipe the pipeline builds. */
  public readonly recipe: ImageRecipe;
  /** The bucket the build instances write their logs to. */
  public readonly logBucket: s3.Bucket;
  /** The topic Image Builder publishes build notifications to. */
  public readonly notificationTopic: sns.Topic;
  /** The key that encrypts the notification topic. */
  public readonly notificationKey: kms.Key;
  /** Where builds run. */
  public readonly infrastructureConfiguration: InfrastructureConfiguration;
  /** Where AMIs go: the regions, with the SSM parameter and launch permissions. */
  public readonly distributionConfiguration: DistributionConfiguration;
  /** The scheduled pipeline. */
  public readonly pipeline: ImagePipeline;
  /** The policy that deletes all but the newest images. */
  public readonly lifecyclePolicy: LifecyclePolicy;
  /** The start on deploy, with `startOnDeploy`. */
  public readonly execution?: PipelineExecution;

  public constructor(scope: Construct, id: string, props: GoldenAmiPipelineProps) {
    super(scope, id);
    const keepImages = props.keepImages ?? 5;
    validateKeepImages(this, keepImages);
    const baseName = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');

    this.components = patternComponents(this, { ...props, platform: props.platform ?? Platform.LINUX });
    this.recipe = new ImageRecipe(this, 'Recipe', {
      parentImage: props.parentImage ?? ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: this.components,
    });

    this.logBucket = createLogBucket(this, props.logExpiration ?? Duration.days(90));
    ({ topic: this.notificationTopic, key: this.notificationKey } = createNotificationTopic(this));
    this.infrastructureConfiguration = new InfrastructureConfiguration(this, 'Infrastructure', {
      vpc: props.vpc,
      subnetSelection: props.subnetSelection,
      instanceTypes: props.instanceTypes,
      logBucket: this.logBucket,
      logPrefix: `${baseName}/`,
      notificationTopic: this.notificationTopic,
    });

    this.distributionConfiguration = new DistributionConfiguration(this, 'Distribution', {
      amiDistributions: (props.regions ?? [Stack.of(this).region]).map((region) => ({
        region,
        amiName: props.amiName ?? `${baseName}-{{ imagebuilder:buildDate }}`,
        ssmParameters: [{ parameterName: props.ssmParameterName ?? `/golden-ami/${baseName}/latest` }],
        launchPermissionAccountIds: props.shareWith?.accounts,
        launchPermissionOrganizationArns: props.shareWith?.organizationArns,
        launchPermissionOrganizationalUnitArns: props.shareWith?.organizationalUnitArns,
      })),
    });

    this.pipeline = new ImagePipeline(this, 'Pipeline', {
      imageRecipe: this.recipe,
      infrastructureConfiguration: this.infrastructureConfiguration,
      distributionConfiguration: this.distributionConfiguration,
      schedule: props.schedule ?? PipelineSchedule.cron({ hour: '4', weekDay: 'MON' }),
      imageTestsEnabled: true,
      imageTestsTimeout: props.imageTestsTimeout,
      imageScanningEnabled: props.imageScanningEnabled ?? true,
    });

    this.lifecyclePolicy = new LifecyclePolicy(this, 'Lifecycle', {
      resourceType: LifecycleResourceType.AMI_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.imageRecipe(this.recipe)]),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(keepImages), includeAmis: true, includeSnapshots: true }],
    });

    if (props.shareWith) {
      this.recipe.shareWith(props.shareWith);
      shareOwnComponents(this.components, props.shareWith);
    }
    if (props.startOnDeploy) {
      this.execution = this.pipeline.startOnDeploy(props.startOnDeployOptions);
    } else if (props.startOnDeployOptions) {
      throw validationError('startOnDeployOptions needs startOnDeploy: true, got startOnDeploy unset or false', this);
    }
  }
}
