import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  createLogBucket, createNotificationTopic, patternComponents, shareOwnComponents, validateKeepImages,
} from './pattern-resources';
import { ComponentDocument } from '../component-document';
import { ContainerParentImage } from '../container-parent-image';
import { ContainerRecipe, DockerfileTemplate } from '../container-recipe';
import { PipelineExecution, PipelineExecutionOptions } from '../custom-resources/pipeline-execution';
import { ImagePipeline } from '../image-pipeline';
import { RecipeComponent } from '../image-recipe';
import { InfrastructureConfiguration } from '../infrastructure-configuration';
import {
  LifecycleAction, LifecycleFilter, LifecyclePolicy, LifecycleRecipeSelection, LifecycleResourceSelection, LifecycleResourceType,
} from '../lifecycle-policy';
import { PipelineSchedule } from '../pipeline-schedule';
import { Platform } from '../platform';
import { validationError } from '../private/errors';
import { ShareWithOptions } from '../sharing';

/**
 * Properties of a {@link ContainerImagePipeline}. Give at least one of `components`, `document`
 * and `shellScript`; they run in that order.
 */
export interface ContainerImagePipelineProps {
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
   * A shell script to run as the last build step.
   *
   * @default - none
   */
  readonly shellScript?: string;

  /**
   * The image to start from.
   *
   * @default - Amazon Linux 2023 from the ECR Public Gallery
   */
  readonly parentImage?: ContainerParentImage;

  /**
   * The Dockerfile template.
   *
   * @default - the recipe's generated Dockerfile
   */
  readonly dockerfileTemplate?: DockerfileTemplate;

  /**
   * The repository the images are pushed to.
   *
   * @default - a new repository that scans on push and keeps tags immutable, retained when the
   * stack is deleted
   */
  readonly repository?: ecr.IRepository;

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
   * When the pipeline runs.
   *
   * @default - Mondays 04:00 UTC, when the parent image or a component has been updated
   */
  readonly schedule?: PipelineSchedule;

  /**
   * Scan images for vulnerabilities with Amazon Inspector.
   *
   * @default true
   */
  readonly imageScanningEnabled?: boolean;

  /**
   * How many of the newest images the lifecycle policy keeps; older ones are deleted with their
   * container images.
   *
   * @default 10
   */
  readonly keepImages?: number;

  /**
   * How long build logs stay in the log bucket.
   *
   * @default Duration.days(90)
   */
  readonly logExpiration?: Duration;

  /**
   * Share the container recipe and the components this pattern owns.
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
 * A container image pipeline in one construct: a container recipe from your components, a
 * document or a shell script, pushed to an ECR repository that scans on push with immutable tags;
 * secure build infrastructure with an encrypted, SSL-only log bucket and an encrypted notification
 * topic; a weekly pipeline with vulnerability scanning; a lifecycle policy that keeps the last
 * images; optional sharing and start on deploy. Every piece is a public property.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-container-pipelines.html
 */
export class ContainerImagePipeline extends Construct {
  /** The components the recipe runs, including those made from `document` and `shellScript`. */
  public readonly components: RecipeComponent[];
  /** The repository the images are pushed to. */
  public readonly repository: ecr.IRepository;
  /** The recipe the pipeline builds. */
  public readonly recipe: ContainerRecipe;
  /** The bucket the build instances write their logs to. */
  public readonly logBucket: s3.Bucket;
  /** The topic Image Builder publishes build notifications to. */
  public readonly notificationTopic: sns.Topic;
  /** The key that encrypts the notification topic. */
  public readonly notificationKey: kms.Key;
  /** Where builds run. */
  public readonly infrastructureConfiguration: InfrastructureConfiguration;
  /** The scheduled pipeline. */
  public readonly pipeline: ImagePipeline;
  /** The policy that deletes all but the newest images. */
  public readonly lifecyclePolicy: LifecyclePolicy;
  /** The start on deploy, with `startOnDeploy`. */
  public readonly execution?: PipelineExecution;

  public constructor(scope: Construct, id: string, props: ContainerImagePipelineProps) {
    super(scope, id);
    const keepImages = props.keepImages ?? 10;
    validateKeepImages(this, keepImages);
    const baseName = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');

    this.components = patternComponents(this, { ...props, platform: Platform.LINUX });
    this.repository = props.repository ?? new ecr.Repository(this, 'Repository', {
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.recipe = new ContainerRecipe(this, 'Recipe', {
      parentImage: props.parentImage ?? ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
      targetRepository: this.repository,
      components: this.components,
      dockerfileTemplate: props.dockerfileTemplate,
    });

    this.logBucket = createLogBucket(this, props.logExpiration ?? Duration.days(90));
    ({ topic: this.notificationTopic, key: this.notificationKey } = createNotificationTopic(this));
    this.infrastructureConfiguration = new InfrastructureConfiguration(this, 'Infrastructure', {
      vpc: props.vpc,
      subnetSelection: props.subnetSelection,
      logBucket: this.logBucket,
      logPrefix: `${baseName}/`,
      notificationTopic: this.notificationTopic,
    });
    this.infrastructureConfiguration.allowContainerBuilds(this.repository);

    this.pipeline = new ImagePipeline(this, 'Pipeline', {
      containerRecipe: this.recipe,
      infrastructureConfiguration: this.infrastructureConfiguration,
      schedule: props.schedule ?? PipelineSchedule.cron({ hour: '4', weekDay: 'MON' }),
      imageScanningEnabled: props.imageScanningEnabled ?? true,
    });

    this.lifecyclePolicy = new LifecyclePolicy(this, 'Lifecycle', {
      resourceType: LifecycleResourceType.CONTAINER_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.containerRecipe(this.recipe)]),
      rules: [{ action: LifecycleAction.DELETE, filter: LifecycleFilter.count(keepImages), includeContainers: true }],
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
