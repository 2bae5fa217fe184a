import { Duration, IResource, Lazy, Resource, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnImagePipeline, CfnImagePipelineProps } from 'aws-cdk-lib/aws-imagebuilder';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { IContainerRecipe } from './container-recipe';
import { AUTO_DELETE_IMAGES_TAG } from './custom-resources/handler/events';
import { PipelineExecution, PipelineExecutionOptions } from './custom-resources/pipeline-execution';
import { PipelineImageDeletion } from './custom-resources/pipeline-images';
import { IDistributionConfiguration } from './distribution-configuration';
import { IImageRecipe } from './image-recipe';
import { IInfrastructureConfiguration } from './infrastructure-configuration';
import { PipelineSchedule, PipelineStartCondition } from './pipeline-schedule';
import { validateLogGroupName } from './private/build-log-groups';
import {
  allowComponentFileReads, buildInfrastructure, executionRoleFor, recipeOfApp, renderScanning, renderWorkflows, validateOneRecipe,
  validateFastLaunchPlatform, validateInstanceArchitecture, validateTestTimeout, warnRecipeInOtherStack,
} from './private/build-settings';
import { validationError } from './private/errors';
import { fingerprint } from './private/fingerprint';
import { WORKFLOW_STEP_WAITING, grantSendWorkflowStepAction, imageArnPrefixOfRecipe, imageBuilderRule } from './private/image-events';
import { resolveUnversionedImport } from './private/imports';
import { allowContainerDeletion } from './private/lifecycle-access';
import { START_EXECUTION_ACTIONS } from './private/pipeline-actions';
import { injectProps } from './private/property-injection';
import { grantWorkflowExecution } from './private/service-roles';
import { inOneStackTree, keepExported } from './private/stack-trees';
import {
  ImageBuilderResourceType, generateResourceName, nonEmptyTags,
  validateResourceName, validateTagMap, validateTextLength,
} from './private/validation';
import { IWorkflow } from './workflow';

const IMAGE_PIPELINE_SYMBOL = Symbol.for('cdk-imagebuilder.ImagePipeline');

/**
 * Whether a pipeline runs on its schedule.
 */
export enum PipelineStatus {
  /** Runs on its schedule. */
  ENABLED = 'ENABLED',
  /** Runs only when started. */
  DISABLED = 'DISABLED',
}

/**
 * What the build does when a workflow fails.
 */
export enum WorkflowOnFailure {
  /** Stop the build. */
  ABORT = 'ABORT',
  /** Go on with the build. */
  CONTINUE = 'CONTINUE',
}

/**
 * A workflow a pipeline runs, with its parameter values.
 */
export interface PipelineWorkflow {
  /** The workflow. */
  readonly workflow: IWorkflow;

  /**
   * Values of the workflow's `string`, `integer` and `boolean` parameters, by name.
   *
   * @default - every such parameter takes its default
   */
  readonly parameters?: { [name: string]: string };

  /**
   * Values of the workflow's `stringList` parameters, by name, each with all its values. A name
   * goes in `parameters` or here, not both.
   *
   * @default - every `stringList` parameter takes its default
   */
  readonly listParameters?: { [name: string]: string[] };

  /**
   * What the build does when the workflow fails.
   *
   * @default WorkflowOnFailure.ABORT
   */
  readonly onFailure?: WorkflowOnFailure;

  /**
   * For test workflows: workflows of the same group run in parallel. 1 to 100 letters, digits and
   * `- _ + #`, starting with a letter or digit.
   *
   * @default - runs on its own
   */
  readonly parallelGroup?: string;
}

/**
 * An EC2 Image Builder image pipeline.
 */
export interface IImagePipeline extends IResource {
  /**
   * The pipeline's ARN.
   *
   * @attribute
   */
  readonly imagePipelineArn: string;

  /**
   * The pipeline's name.
   *
   * @attribute
   */
  readonly imagePipelineName: string;

  /**
   * Grants the given IAM actions on this pipeline.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetImagePipeline`.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants `imagebuilder:StartImagePipelineExecution`, and `imagebuilder:GetImagePipeline`, which
   * the IAM reference lists as an action it depends on.
   */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant;

  /**
   * Gives the role of `grantee` what Image Builder needs to run builds as it (an `executionRole` of
   * your own): the AWS-managed policy `EC2ImageBuilderExecutionPolicy`, which the execution roles
   * this library creates have, with their cdk-nag suppression of it. The role must be created in
   * this app (`iam.Role`): an imported role cannot take a policy, and fails at synth.
   */
  grantDefaultExecutionRolePermissions(grantee: iam.IGrantable): void;

  /**
   * Starts this pipeline when the stack deploys, and again when a trigger value changes
   * (a custom resource; see {@link PipelineExecution}).
   *
   * @param options triggers, waiting for the image, cancelling on delete
   */
  startOnDeploy(options?: PipelineExecutionOptions): PipelineExecution;

  /**
   * An EventBridge rule for CVE findings of this pipeline's image scans.
   */
  onCveDetected(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for when Image Builder disables this pipeline after failed runs.
   */
  onPipelineAutoDisabled(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for any Image Builder event about this pipeline's images. Image events
   * name the image, which is named after the recipe: an imported pipeline needs its recipe.
   */
  onEvent(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for state changes of this pipeline's images (BUILDING, TESTING, …).
   */
  onImageBuildStateChange(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for images of this pipeline that became AVAILABLE.
   */
  onImageBuildSucceeded(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for images of this pipeline whose build FAILED.
   */
  onImageBuildFailed(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for images of this pipeline whose build ended: AVAILABLE, CANCELLED or FAILED.
   */
  onImageBuildCompleted(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * An EventBridge rule for `WaitForAction` workflow steps of this pipeline's images.
   */
  onWaitForAction(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * Grants `imagebuilder:SendWorkflowStepAction` on this pipeline's images and on workflow step
   * executions: what answers a `WaitForAction` step with RESUME or STOP, e.g. a function that
   * `onWaitForAction` targets. The IAM reference requires both resource types. Images are named
   * after the recipe, so an imported pipeline needs its recipe.
   */
  grantSendWorkflowStepAction(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Properties of an {@link ImagePipeline}.
 */
export interface ImagePipelineProps {
  /**
   * The recipe of an AMI pipeline. Give this or `containerRecipe`.
   *
   * @default - a container pipeline
   */
  readonly imageRecipe?: IImageRecipe;

  /**
   * The recipe of a container pipeline. Give this or `imageRecipe`.
   *
   * @default - an AMI pipeline
   */
  readonly containerRecipe?: IContainerRecipe;

  /**
   * Where builds run.
   *
   * For a container recipe, an infrastructure configuration created in this app is given pull and
   * push on the recipe's repositories (`allowContainerBuilds`).
   *
   * @default - a new InfrastructureConfiguration with its secure defaults (and push access to the
   * container recipe's target repository)
   */
  readonly infrastructureConfiguration?: IInfrastructureConfiguration;

  /**
   * Where images go.
   *
   * @default - the image stays in this account and region
   */
  readonly distributionConfiguration?: IDistributionConfiguration;

  /**
   * When the pipeline runs.
   *
   * @default - only when started
   */
  readonly schedule?: PipelineSchedule;

  /**
   * Run the test phase of the components on a test instance.
   *
   * @default true
   */
  readonly imageTestsEnabled?: boolean;

  /**
   * How long tests may run, 60 to 1,440 minutes.
   *
   * @default - 720 minutes (Image Builder's default)
   */
  readonly imageTestsTimeout?: Duration;

  /**
   * Scan images with Amazon Inspector.
   *
   * @default false
   */
  readonly imageScanningEnabled?: boolean;

  /**
   * For container pipelines with `imageScanningEnabled`: the ECR repository Image Builder scans the
   * image in.
   *
   * @default - a repository Image Builder creates
   */
  readonly imageScanningEcrRepository?: ecr.IRepository;

  /**
   * For container pipelines with `imageScanningEnabled`: tags of the scanned image.
   *
   * @default - none
   */
  readonly imageScanningEcrTags?: string[];

  /**
   * Collect the OS version and installed packages of each image.
   *
   * @default true
   */
  readonly enhancedImageMetadataEnabled?: boolean;

  /**
   * Workflows that replace the default build and test steps.
   *
   * @default - the default workflows
   */
  readonly workflows?: PipelineWorkflow[];

  /**
   * The role Image Builder runs workflows as and writes to custom log groups with.
   * A role of this app must trust `imagebuilder.amazonaws.com`, or synthesis fails.
   *
   * @default - created when `workflows` are given, or an `imageLogGroup` or `pipelineLogGroup` whose
   * name is not known to start with `/aws/imagebuilder/` (Image Builder writes there as itself),
   * with the managed workflow execution policy and write access to those log groups
   */
  readonly executionRole?: iam.IRole;

  /**
   * The log group for image build logs. Its name may hold letters, digits and `-_/.` only.
   *
   * @default - `/aws/imagebuilder/<image name>`
   */
  readonly imageLogGroup?: logs.ILogGroup;

  /**
   * The log group for pipeline logs. Its name may hold letters, digits and `-_/.` only.
   *
   * @default - `/aws/imagebuilder/pipeline/<pipeline name>`
   */
  readonly pipelineLogGroup?: logs.ILogGroup;

  /**
   * Whether the pipeline runs on its schedule.
   *
   * @default PipelineStatus.ENABLED
   */
  readonly status?: PipelineStatus;

  /**
   * Delete the images this pipeline built when the pipeline is deleted (removed from the app, or
   * the stack deleted): each image with its AMIs and their snapshots in every region it was
   * distributed to, or with its container images. Builds still running are cancelled. Image
   * Builder deletes them as a role with the AWS-managed lifecycle execution policy, and the
   * deletion waits until they are gone (at most 55 minutes). Container images are deleted only
   * from repositories with the tag `LifecycleExecutionAccess: EC2 Image Builder`, which a target
   * repository this app created gets. Turning it off (or the rollback of turning it on) deletes
   * nothing: the images are deleted only while the pipeline carries the tag
   * `cdk-imagebuilder:auto-delete-images`, which the update removes first.
   *
   * @default false - the images stay, as they may be in use elsewhere
   */
  readonly autoDeleteImages?: boolean;

  /**
   * The pipeline's name.
   *
   * @default - generated from the construct path
   */
  readonly imagePipelineName?: string;

  /**
   * What the pipeline builds.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Tags for the pipeline.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Tags for every image the pipeline builds (the Image Builder image resources), e.g. for a
   * `LifecyclePolicy` that selects images by tag.
   *
   * @default - no tags
   */
  readonly imageTags?: { [key: string]: string };
}

/**
 * How to refer to an existing pipeline.
 */
export interface ImagePipelineAttributes {
  /**
   * The pipeline's ARN.
   *
   * @default - built from `imagePipelineName`
   */
  readonly imagePipelineArn?: string;

  /**
   * The pipeline's name; with `imagePipelineArn`, it must be the name in the ARN.
   *
   * @default - taken from `imagePipelineArn`
   */
  readonly imagePipelineName?: string;

  /**
   * The recipe of an AMI pipeline, for event rules on its images (`onImageBuildFailed` and the
   * like): image events name the image, which is named after the recipe. Give this or
   * `containerRecipe`.
   *
   * @default - unknown: the image event methods fail at synth
   */
  readonly imageRecipe?: IImageRecipe;

  /**
   * The recipe of a container pipeline, for event rules on its images. Give this or `imageRecipe`.
   *
   * @default - unknown: the image event methods fail at synth
   */
  readonly containerRecipe?: IContainerRecipe;
}

abstract class ImagePipelineBase extends Resource implements IImagePipeline {
  public abstract readonly imagePipelineArn: string;
  public abstract readonly imagePipelineName: string;
  /** The recipe of an AMI pipeline, when known. */
  public abstract readonly imageRecipe?: IImageRecipe;
  /** The recipe of a container pipeline, when known. */
  public abstract readonly containerRecipe?: IContainerRecipe;
  private recipeImageArnPrefix?: string;

  /**
   * The ARN of the pipeline's recipe, when known: image events are matched by the recipe's name.
   *
   * @internal
   */
  protected get _recipeArn(): string | undefined {
    return this.imageRecipe?.imageRecipeArn ?? this.containerRecipe?.containerRecipeArn;
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.imagePipelineArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'imagebuilder:GetImagePipeline');
  }

  public startOnDeploy(options: PipelineExecutionOptions = {}): PipelineExecution {
    return new PipelineExecution(this, 'Execution', { ...options, pipeline: this });
  }

  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...START_EXECUTION_ACTIONS);
  }

  public grantDefaultExecutionRolePermissions(grantee: iam.IGrantable): void {
    grantWorkflowExecution(this, grantee);
  }

  public grantSendWorkflowStepAction(grantee: iam.IGrantable): iam.Grant {
    const images = this.imageArnPrefix('grantSendWorkflowStepAction names the images of the pipeline\'s recipe',
      'images are named after their recipe, not the pipeline');
    return grantSendWorkflowStepAction(this, grantee, images);
  }

  /** CVE events list the pipeline among their resources. */
  public onCveDetected(id: string, options: events.OnEventOptions = {}): events.Rule {
    return imageBuilderRule(this, id, options, 'EC2 Image Builder CVE Detected', { resources: [this.imagePipelineArn] });
  }

  /** Auto-disable events have the pipeline as their resource. */
  public onPipelineAutoDisabled(id: string, options: events.OnEventOptions = {}): events.Rule {
    return imageBuilderRule(this, id, options, 'EC2 Image Builder Image Pipeline Automatically Disabled', { resources: [this.imagePipelineArn] });
  }

  /**
   * An EventBridge rule for any Image Builder event about this pipeline's images.
   */
  public onEvent(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.imageRule(id, options, undefined);
  }

  /**
   * An EventBridge rule for state changes of this pipeline's images (BUILDING, TESTING, …).
   */
  public onImageBuildStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.imageRule(id, options, 'EC2 Image Builder Image State Change');
  }

  /**
   * An EventBridge rule for images of this pipeline that became AVAILABLE.
   */
  public onImageBuildSucceeded(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.imageRule(id, options, 'EC2 Image Builder Image State Change', { state: { status: ['AVAILABLE'] } });
  }

  /**
   * An EventBridge rule for images of this pipeline whose build FAILED.
   */
  public onImageBuildFailed(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.imageRule(id, options, 'EC2 Image Builder Image State Change', { state: { status: ['FAILED'] } });
  }

  /**
   * An EventBridge rule for images of this pipeline whose build ended: AVAILABLE, CANCELLED or FAILED.
   */
  public onImageBuildCompleted(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.imageRule(id, options, 'EC2 Image Builder Image State Change', { state: { status: ['AVAILABLE', 'CANCELLED', 'FAILED'] } });
  }

  /**
   * An EventBridge rule for `WaitForAction` workflow steps of this pipeline's images.
   */
  public onWaitForAction(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.imageRule(id, options, WORKFLOW_STEP_WAITING);
  }

  /**
   * Image events name the image, not the pipeline; the image's name is the recipe's, so the
   * pattern matches the recipe's images only (a pipeline of another recipe never matches).
   */
  private imageRule(id: string, options: events.OnEventOptions, detailType: string | undefined, detail?: any): events.Rule {
    const images = this.imageArnPrefix(`rule '${id}' matches the images of the pipeline's recipe`, 'image events name the image, not the pipeline');
    const pattern: events.EventPattern = { resources: events.Match.prefix(images), detail };
    return imageBuilderRule(this, id, options, detailType, pattern);
  }

  /**
   * The ARN of this pipeline's images up to their name: `arn:...:image/<recipe name>/`.
   *
   * @param use what needs the recipe, for the error of an import without one
   * @param why why the recipe, not the pipeline, names the images there
   */
  private imageArnPrefix(use: string, why: string): string {
    const recipeArn = this._recipeArn;
    if (recipeArn === undefined) {
      throw validationError(`${use}, which this import does not know (${why}): `
        + 'import the pipeline with fromImagePipelineAttributes and its imageRecipe or containerRecipe', this);
    }
    this.recipeImageArnPrefix ??= imageArnPrefixOfRecipe(this, recipeArn);
    return this.recipeImageArnPrefix;
  }
}

/**
 * An EC2 Image Builder pipeline: builds images from a recipe, on a schedule or when started, then
 * tests, scans and distributes them.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-pipelines.html
 */
export class ImagePipeline extends ImagePipelineBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.ImagePipeline';

  /**
   * Imports a pipeline by ARN.
   */
  public static fromImagePipelineArn(scope: Construct, id: string, imagePipelineArn: string): IImagePipeline {
    return ImagePipeline.fromImagePipelineAttributes(scope, id, { imagePipelineArn });
  }

  /**
   * Imports a pipeline of this stack's account and region by name.
   */
  public static fromImagePipelineName(scope: Construct, id: string, imagePipelineName: string): IImagePipeline {
    return ImagePipeline.fromImagePipelineAttributes(scope, id, { imagePipelineName });
  }

  /**
   * Imports a pipeline from its attributes.
   */
  public static fromImagePipelineAttributes(scope: Construct, id: string, attrs: ImagePipelineAttributes): IImagePipeline {
    const { arn, name } = resolveUnversionedImport(scope, {
      type: ImageBuilderResourceType.IMAGE_PIPELINE,
      prop: 'imagePipeline',
      label: 'an image pipeline',
      arn: attrs.imagePipelineArn,
      name: attrs.imagePipelineName,
    });

    if (attrs.imageRecipe && attrs.containerRecipe) {
      throw validationError('give imageRecipe or containerRecipe of the imported pipeline, not both', scope);
    }
    class Import extends ImagePipelineBase {
      public readonly imagePipelineArn = arn;
      public readonly imagePipelineName = name;
      public readonly imageRecipe = attrs.imageRecipe;
      public readonly containerRecipe = attrs.containerRecipe;
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is an `ImagePipeline` created by this library.
   */
  public static isImagePipeline(x: any): x is ImagePipeline {
    return x !== null && typeof x === 'object' && IMAGE_PIPELINE_SYMBOL in x;
  }

  public readonly imagePipelineArn: string;
  /** The recipe of an AMI pipeline. */
  public readonly imageRecipe?: IImageRecipe;
  /** The recipe of a container pipeline. */
  public readonly containerRecipe?: IContainerRecipe;
  /** Where builds run. */
  public readonly infrastructureConfiguration: IInfrastructureConfiguration;
  /** Where images go, when given. */
  public readonly distributionConfiguration?: IDistributionConfiguration;
  /** The role that runs workflows, when there is one. */
  public readonly executionRole?: iam.IRole;

  /** Attributes besides the ARN are read from it when asked: each makes a token, and most apps read none. */
  private readonly resource: CfnImagePipeline;
  /** What the default execution triggers fingerprint: the pipeline's properties and its schedule's time zone. */
  private readonly configuration: object;
  // Made on first use, as only starts on deploy need them: they hold tokens.
  private configurationFingerprint?: string;

  public constructor(scope: Construct, id: string, props: ImagePipelineProps) {
    props = injectProps(ImagePipeline.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.imagePipelineName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, IMAGE_PIPELINE_SYMBOL, { value: true });

    const name = props.imagePipelineName ?? generateResourceName(this);
    validateResourceName(this, 'imagePipelineName', name);
    validateTextLength(this, 'description', props.description);
    validateTagMap(this, 'tags', props.tags, props.autoDeleteImages ? { [AUTO_DELETE_IMAGES_TAG]: 'autoDeleteImages' } : {});
    validateTagMap(this, 'imageTags', props.imageTags);
    validateOneRecipe(this, props.imageRecipe, props.containerRecipe);
    warnRecipeInOtherStack(this, props.imageRecipe ?? props.containerRecipe);
    validateTestTimeout(this, props.imageTestsEnabled, props.imageTestsTimeout);
    props.schedule?._validate(this);
    const imageScanningConfiguration = renderScanning(this, props, props.containerRecipe, 'pipelines');

    this.infrastructureConfiguration = buildInfrastructure(this, props.infrastructureConfiguration, props.containerRecipe, props);
    allowComponentFileReads(this, props.imageRecipe ?? props.containerRecipe, this.infrastructureConfiguration);
    validateInstanceArchitecture(this, props.imageRecipe, this.infrastructureConfiguration);
    validateFastLaunchPlatform(this, props.imageRecipe, props.distributionConfiguration);
    validateLogGroupName(this, 'imageLogGroup', props.imageLogGroup);
    validateLogGroupName(this, 'pipelineLogGroup', props.pipelineLogGroup);
    const execution = executionRoleFor(this, props.executionRole, props.workflows, [props.imageLogGroup, props.pipelineLogGroup]);
    this.executionRole = execution.role;

    this.imageRecipe = props.imageRecipe;
    this.containerRecipe = props.containerRecipe;
    this.distributionConfiguration = props.distributionConfiguration;

    const pipelineProperties: CfnImagePipelineProps = {
      name,
      description: props.description,
      imageRecipeArn: props.imageRecipe?.imageRecipeArn,
      containerRecipeArn: props.containerRecipe?.containerRecipeArn,
      infrastructureConfigurationArn: this.infrastructureConfiguration.infrastructureConfigurationArn,
      distributionConfigurationArn: props.distributionConfiguration?.distributionConfigurationArn,
      schedule: props.schedule ? {
        scheduleExpression: props.schedule.expressionString,
        pipelineExecutionStartCondition: props.schedule.options.startCondition
          ?? PipelineStartCondition.EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE,
        autoDisablePolicy: props.schedule.options.autoDisableAfterFailures !== undefined
          ? { failureCount: props.schedule.options.autoDisableAfterFailures } : undefined,
      } : undefined,
      imageTestsConfiguration: {
        imageTestsEnabled: props.imageTestsEnabled ?? true,
        timeoutMinutes: props.imageTestsTimeout?.toMinutes(),
      },
      imageScanningConfiguration,
      enhancedImageMetadataEnabled: props.enhancedImageMetadataEnabled ?? true,
      workflows: renderWorkflows(this, props.workflows, props.containerRecipe),
      executionRole: this.executionRole?.roleArn,
      loggingConfiguration: props.imageLogGroup || props.pipelineLogGroup ? {
        imageLogGroupName: props.imageLogGroup?.logGroupName,
        pipelineLogGroupName: props.pipelineLogGroup?.logGroupName,
      } : undefined,
      status: props.status,
      tags: props.tags,
    };
    this.resource = new CfnImagePipeline(this, 'Resource', pipelineProperties);
    // A start on deploy follows the pipeline: its build must not log before the role may.
    if (execution.logPolicy) {
      this.resource.node.addDependency(execution.logPolicy);
    }
    this.configuration = { ...pipelineProperties, timezone: props.schedule?.options.timezone, imageTags: props.imageTags };
    // The registry schema has Schedule.Timezone and ImageTags; the L1 of this aws-cdk-lib version does not.
    if (props.schedule?.options.timezone !== undefined) {
      this.resource.addPropertyOverride('Schedule.Timezone', props.schedule.options.timezone);
    }
    const imageTags = nonEmptyTags(props.imageTags);
    if (imageTags !== undefined) {
      this.resource.addPropertyOverride('ImageTags', imageTags);
    }
    this.imagePipelineArn = this.resource.attrArn;
    if (props.autoDeleteImages) {
      if (props.containerRecipe) {
        allowContainerDeletion(this, props.containerRecipe, 'autoDeleteImages');
      }
      // The handler deletes only while the pipeline has the tag; not in the configuration, so it starts no build.
      this.resource.tags.setTag(AUTO_DELETE_IMAGES_TAG, 'true');
      new PipelineImageDeletion(this, 'ImageDeletion', { pipelineArn: this.imagePipelineArn, containerImages: props.containerRecipe !== undefined });
    }
  }

  public get imagePipelineName(): string {
    return this.resource.attrName;
  }

  /**
   * The pipeline's deployment ID, which CloudFormation changes whenever the pipeline's
   * configuration changes: an `Image` built by this pipeline refers to it.
   *
   * @attribute
   */
  public get imagePipelineDeploymentId(): string {
    return this.resource.attrDeploymentId;
  }

  /**
   * What a start on deploy (`consumer`) watches by default: the recipe's version ARN (a changed
   * recipe gets a new version) and a fingerprint of this pipeline's configuration. From another tree
   * of stacks than the recipe's, the ARN would pass through an export, which CloudFormation refuses
   * to change while it is imported: a digest of what the recipe builds takes its place. The export
   * is kept, unused, so that a stack whose start imported it before can still be updated.
   *
   * @internal
   */
  public _defaultExecutionTriggers(consumer: IConstruct): string[] {
    this.configurationFingerprint ??= Lazy.string({ produce: () => fingerprint(Stack.of(this).resolve(this.configuration)) });
    const recipe = this.imageRecipe ?? this.containerRecipe;
    const ownRecipe = recipeOfApp(recipe);
    if (!ownRecipe || inOneStackTree(consumer, ownRecipe)) {
      return [this._recipeArn!, this.configurationFingerprint];
    }
    keepExported(ownRecipe, this._recipeArn!);
    return [ownRecipe._buildFingerprint(), this.configurationFingerprint];
  }
}
