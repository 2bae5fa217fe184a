import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  addPatternComponents, claimGivenRecipe, createPatternInfrastructure, patternBaseName, patternLifecycleStatus, patternRegions, patternSchedule,
  rejectPropsReplacedBy, sharePatternAndStart,
  validatePatternLifecycle, validatePatternTargets,
} from './pattern-resources';
import { PipelinePatternProps } from './pipeline-pattern-props';
import { shareRepositoryImages } from './repository-sharing';
import { ContainerParentImage } from '../container-parent-image';
import { ContainerRecipe, DockerfileTemplate } from '../container-recipe';
import { PipelineExecution } from '../custom-resources/pipeline-execution';
import { DistributionConfiguration } from '../distribution-configuration';
import { ImagePipeline, PipelineWorkflow } from '../image-pipeline';
import { RecipeComponent } from '../image-recipe';
import { InfrastructureConfiguration } from '../infrastructure-configuration';
import {
  LifecycleAction, LifecycleFilter, LifecyclePolicy, LifecycleRecipeSelection, LifecycleResourceSelection, LifecycleResourceType,
} from '../lifecycle-policy';
import { Platform } from '../platform';
import { warnWorkflowsWithoutBuild } from '../private/build-settings';
import { validationError } from '../private/errors';
import { injectProps } from '../private/property-injection';
import { shownValue, validateContainerTags, validatePushRepository } from '../private/validation';
import { Workflow, WorkflowData, WorkflowType } from '../workflow';

/**
 * Properties of a {@link ContainerImagePipeline}. Give at least one of `components`, `document`
 * and `shellScript` (or a recipe of your own with components); they run in that order.
 */
export interface ContainerImagePipelineProps extends PipelinePatternProps {
  /**
   * The image to start from.
   *
   * @default - Amazon Linux 2023 from the ECR Public Gallery
   */
  readonly parentImage?: ContainerParentImage;

  /**
   * Your own container recipe, in the pattern's stack, instead of the one the pattern creates: for
   * the recipe settings the pattern leaves at their defaults (instance image and block devices,
   * working directory, KMS key, name, version). `parentImage`, `dockerfileTemplate` and
   * `repository`, which shape the created one, must be left out: the images go to the recipe's
   * `targetRepository`. The pattern adds the components of `components`, `document` and
   * `shellScript` to the recipe, after its own, so a recipe serves one pattern; none of them is
   * needed when the recipe has components. The lifecycle policy counts every image of the recipe,
   * whichever pipeline built it.
   *
   * @default - a new one from `parentImage` and `dockerfileTemplate`, pushing to `repository`
   */
  readonly containerRecipe?: ContainerRecipe;

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
   * Your own distribution configuration, created in this app, instead of the one the pattern
   * creates; `regions`, which shapes the created one, must be left out.
   *
   * @default - a new one to `repository` and, with `regions`, the repositories of its name there
   */
  readonly distributionConfiguration?: DistributionConfiguration;

  /**
   * The regions that receive the image. In the stack's region the image goes to `repository`; in
   * each other region to the repository of the same name there, which must exist and whose name
   * must be known at synth time (give `repository` with a `repositoryName`). Add other repositories
   * with `distributionConfiguration.addContainerDistribution`.
   *
   * @default - the stack's region
   */
  readonly regions?: string[];

  /**
   * Tags each image gets in the repositories of `regions`, e.g. `latest`. The repository the pattern
   * creates keeps tags immutable and so takes a fixed tag once: for `latest`, give a `repository`
   * with mutable tags.
   *
   * @default - Image Builder's tag, the image version
   */
  readonly containerTags?: string[];

  /**
   * With `imageScanningEnabled` (the default): the ECR repository Image Builder scans the image in.
   *
   * @default - a repository Image Builder creates
   */
  readonly imageScanningEcrRepository?: ecr.IRepository;

  /**
   * With `imageScanningEnabled` (the default): tags of the scanned image.
   *
   * @default - none
   */
  readonly imageScanningEcrTags?: string[];

  /**
   * Commands run as root on the build instance before the components and the Docker build, e.g.
   * `docker login` to the private registry `parentImage` comes from. The pipeline then builds with
   * a build workflow of the pattern's (`buildWorkflow`, made with
   * `WorkflowData.containerBuildWithSetupCommands`) and an execution role; `workflows` may add
   * test workflows only. The commands run with the role of the instance profile: grant it what
   * they call, e.g. `secretsmanager:GetSecretValue` on the secret with the registry's password.
   *
   * @default - no commands, and Image Builder's default build workflow
   */
  readonly dockerSetupCommands?: string[];

  /**
   * How many of the newest images the lifecycle policy keeps; older ones are deleted with their
   * container images.
   *
   * @default 10
   */
  readonly keepImages?: number;
}

/**
 * A container image pipeline in one construct: a container recipe from your components, a
 * document or a shell script, pushed to an ECR repository that scans on push with immutable tags
 * and optionally to the repositories of the same name in other regions; secure build
 * infrastructure with an encrypted, SSL-only log bucket and an encrypted notification
 * topic; a weekly pipeline with vulnerability scanning; a lifecycle policy that keeps the last
 * images; optional sharing and start on deploy. Every piece is a public property.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-container-pipelines.html
 */
export class ContainerImagePipeline extends Construct {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.ContainerImagePipeline';

  /**
   * The components the recipe runs, in order: those of a `containerRecipe` of your own, then those
   * of `components`, then those made from `document` and `shellScript`.
   */
  public readonly components: RecipeComponent[];
  /** The repository the images are pushed to: `repository`, the target of your `containerRecipe`, or the pattern's. */
  public readonly repository: ecr.IRepository;
  /** The recipe the pipeline builds: the pattern's, or your `containerRecipe`. */
  public readonly recipe: ContainerRecipe;
  /** The bucket the build instances write their logs to; none with an `infrastructureConfiguration` of your own that has none. */
  public readonly logBucket?: s3.IBucket;
  /** The topic Image Builder publishes build notifications to; none with an `infrastructureConfiguration` of your own that has none. */
  public readonly notificationTopic?: sns.ITopic;
  /** The key that encrypts the notification topic the pattern created (`notificationKey`, or a new one), undefined with `notificationTopic`. */
  public readonly notificationKey?: kms.IKey;
  /** Where builds run. */
  public readonly infrastructureConfiguration: InfrastructureConfiguration;
  /** Where Image Builder writes each build's logs. */
  public readonly imageLogGroup: logs.ILogGroup;
  /** Where Image Builder writes the pipeline's runs and skipped runs. */
  public readonly pipelineLogGroup: logs.ILogGroup;
  /** Where images go: the repository in each region. */
  public readonly distributionConfiguration: DistributionConfiguration;
  /** The build workflow that runs `dockerSetupCommands`, with them. */
  public readonly buildWorkflow?: Workflow;
  /** The scheduled pipeline. */
  public readonly pipeline: ImagePipeline;
  /** The policy that deletes all but the newest images. */
  public readonly lifecyclePolicy: LifecyclePolicy;
  /** The start on deploy, with `startOnDeploy`. */
  public readonly execution?: PipelineExecution;
  /** The repositories of `regions` other than the stack's, by region: this app cannot change their policies. */
  private readonly otherRegionRepositories = new Map<string, ecr.IRepository>();

  public constructor(scope: Construct, id: string, props: ContainerImagePipelineProps) {
    props = injectProps(ContainerImagePipeline.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id);
    const keepImages = props.keepImages ?? 10;
    validatePatternLifecycle(this, keepImages, props.lifecycleExcludeImageTags);
    validatePatternTargets(this, props);
    const baseName = patternBaseName(id);

    rejectPropsReplacedBy(this, 'containerRecipe', props.containerRecipe, props, ['parentImage', 'dockerfileTemplate', 'repository']);
    claimGivenRecipe(this, 'containerRecipe', props.containerRecipe);
    validatePushRepository(this, 'repository', props.repository,
      'give regions to copy the image to other regions, and shareWith to let other accounts pull it');
    this.repository = props.containerRecipe?.targetRepository ?? props.repository ?? new ecr.Repository(this, 'Repository', {
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.recipe = props.containerRecipe ?? new ContainerRecipe(this, 'Recipe', {
      parentImage: props.parentImage ?? ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
      targetRepository: this.repository,
      dockerfileTemplate: props.dockerfileTemplate,
    });
    this.components = addPatternComponents(this, this.recipe, props);

    ({
      logBucket: this.logBucket,
      imageLogGroup: this.imageLogGroup,
      pipelineLogGroup: this.pipelineLogGroup,
      notificationTopic: this.notificationTopic,
      notificationKey: this.notificationKey,
      infrastructureConfiguration: this.infrastructureConfiguration,
    } = createPatternInfrastructure(this, props, baseName));

    rejectPropsReplacedBy(this, 'distributionConfiguration', props.distributionConfiguration, props, ['regions', 'containerTags']);
    if (props.containerTags !== undefined && props.containerTags.length === 0) {
      throw validationError('containerTags must list at least one tag when given, got none; omit it for the image version', this);
    }
    validateContainerTags(this, 'containerTags', props.containerTags);
    this.distributionConfiguration = props.distributionConfiguration ?? new DistributionConfiguration(this, 'Distribution', {
      containerDistributions: patternRegions(this, props.regions).map((region) => ({
        region,
        repository: region === Stack.of(this).region ? this.repository : this.repositoryIn(region, props.containerRecipe !== undefined),
        containerTags: props.containerTags,
      })),
    });

    this.buildWorkflow = props.dockerSetupCommands && this.setupWorkflow(props.dockerSetupCommands, props.workflows);
    const workflows = this.buildWorkflow ? [{ workflow: this.buildWorkflow }, ...props.workflows ?? []] : props.workflows;
    this.pipeline = new ImagePipeline(this, 'Pipeline', {
      containerRecipe: this.recipe,
      infrastructureConfiguration: this.infrastructureConfiguration,
      distributionConfiguration: this.distributionConfiguration,
      schedule: patternSchedule(this, props),
      imageTestsEnabled: props.imageTestsEnabled ?? true,
      imageTestsTimeout: props.imageTestsTimeout,
      imageScanningEnabled: props.imageScanningEnabled ?? true,
      imageScanningEcrRepository: props.imageScanningEcrRepository,
      imageScanningEcrTags: props.imageScanningEcrTags,
      autoDeleteImages: props.autoDeleteImages,
      imageLogGroup: this.imageLogGroup,
      pipelineLogGroup: this.pipelineLogGroup,
      workflows,
      executionRole: props.executionRole,
    });
    warnWorkflowsWithoutBuild(this, workflows, 'AwsManagedWorkflow.buildContainer(scope, id)');

    this.lifecyclePolicy = new LifecyclePolicy(this, 'Lifecycle', {
      status: patternLifecycleStatus(props),
      resourceType: LifecycleResourceType.CONTAINER_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.containerRecipe(this.recipe)]),
      rules: [{
        action: LifecycleAction.DELETE,
        filter: LifecycleFilter.count(keepImages),
        includeContainers: true,
        excludeImageTags: props.lifecycleExcludeImageTags,
      }],
    });

    this.execution = sharePatternAndStart(this, props, this.recipe, this.components, this.pipeline, (options) => {
      shareRepositoryImages(this, this.repository, options);
      this.otherRegionRepositories.forEach((repository, region) => shareRepositoryImages(this, repository, options, region));
    });
  }

  /** The build workflow that runs the setup commands; `workflows` may not hold a build workflow of their own. */
  private setupWorkflow(commands: string[], workflows: PipelineWorkflow[] | undefined): Workflow {
    if (commands.length === 0) {
      throw validationError("dockerSetupCommands must list at least one command when given, got none; leave it out for Image Builder's default build workflow", this);
    }
    const build = (workflows ?? []).findIndex((w) => w.workflow.workflowType === WorkflowType.BUILD);
    if (build >= 0) {
      throw validationError(`dockerSetupCommands runs in a build workflow of the pattern's, and workflows[${build}] is a build workflow too; ` +
        'give the commands in that workflow (WorkflowData.containerBuildWithSetupCommands) or leave one out', this);
    }
    return new Workflow(this, 'BuildWorkflow', {
      workflowType: WorkflowType.BUILD,
      description: 'Runs the setup commands on the build instance, then builds the container image',
      data: WorkflowData.containerBuildWithSetupCommands(commands, { platform: this.recipe.platform ?? Platform.LINUX }),
    });
  }

  /** The repository of the same name as `repository` in another region. */
  private repositoryIn(region: string, recipeGiven: boolean): ecr.IRepository {
    const name = repositoryNameAtSynth(this.repository);
    const example = 'e.g. new ecr.Repository(this, id, { repositoryName })';
    if (name === undefined && Token.isUnresolved(Stack.of(this).region)) {
      throw validationError(`regions can be told apart from the stack's region only when the stack has one at synth time, got ${shownValue(region)} ` +
        "in a stack without env.region and a repository with a generated name: give the stack's env.region, or " +
        `${recipeGiven ? 'a containerRecipe whose targetRepository has' : 'a repository whose'} name is known, ${example}`, this);
    }
    if (name === undefined) {
      throw validationError(`regions other than the stack's need a repository whose name is known at synth time, got ${shownValue(region)} ` +
        `and a repository with a generated name: give ${recipeGiven ? 'a containerRecipe whose targetRepository has a known name' : 'repository'}, ${example}`, this);
    }
    const repository = ecr.Repository.fromRepositoryName(this, `Repository-${region}`, name);
    this.otherRegionRepositories.set(region, repository);
    return repository;
  }
}

/** The name of a repository when this app knows it: given to a repository created here, or imported by name. */
function repositoryNameAtSynth(repository: ecr.IRepository): string | undefined {
  const resource = repository.node.defaultChild;
  const name = resource instanceof ecr.CfnRepository ? resource.repositoryName : repository.repositoryName;
  return name === undefined || Token.isUnresolved(name) ? undefined : name;
}
