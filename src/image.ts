import { Duration, Fn, IResource, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnImage, CfnImageProps } from 'aws-cdk-lib/aws-imagebuilder';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { IContainerRecipe } from './container-recipe';
import { ResourcePolicy } from './custom-resources/resource-policy';
import { IDistributionConfiguration } from './distribution-configuration';
import { ImagePipeline, PipelineWorkflow } from './image-pipeline';
import { IImageRecipe } from './image-recipe';
import { IInfrastructureConfiguration } from './infrastructure-configuration';
import { ParentImage } from './parent-image';
import { Platform } from './platform';
import { validateLogGroupName } from './private/build-log-groups';
import {
  allowComponentFileReads, buildInfrastructure, executionRoleFor, renderScanning, renderWorkflows, validateOneRecipe, warnRecipeInOtherStack,
  validateFastLaunchPlatform, validateInstanceArchitecture, validateTestTimeout,
} from './private/build-settings';
import { BuiltMachineImage } from './private/built-machine-image';
import { validationError } from './private/errors';
import { WORKFLOW_STEP_WAITING, grantSendWorkflowStepAction, imageArnPrefixOfRecipe, imageBuilderRule } from './private/image-events';
import { resolveVersionedImport } from './private/imports';
import { allowContainerDeletion } from './private/lifecycle-access';
import { injectProps } from './private/property-injection';
import { IMAGE_BUILDER_SERVICE, requireTrustedBy } from './private/role-trust';
import { grantWorkflowExecution, imageDeletionRole } from './private/service-roles';
import { inOneStackTree, topLevelStack } from './private/stack-trees';
import { IMAGE_BUILDER_IMAGE_NAME, ImageBuilderResourceType, validateTagMap } from './private/validation';
import { versionedResourceArns } from './private/versioned-grants';
import { ShareWithOptions } from './sharing';

const IMAGE_SYMBOL = Symbol.for('cdk-imagebuilder.Image');

/**
 * An image Image Builder built: an AMI or a container image.
 */
export interface IImage extends IResource {
  /**
   * The image's build version ARN, e.g. `.../image/golden/1.0.3/1`.
   *
   * @attribute
   */
  readonly imageArn: string;

  /**
   * The image's name as its ARN writes it (lowercase, hyphens for spaces and underscores).
   *
   * @attribute
   */
  readonly imageName: string;

  /**
   * The image's version, e.g. `1.0.3`, or a wildcard version (`1.0.x`) of an import.
   *
   * @attribute
   */
  readonly imageVersion: string;

  /**
   * The platform of the image, when known.
   */
  readonly platform?: Platform;

  /**
   * Grants the given IAM actions on this image. IAM knows images by build version ARN
   * (`.../image/name/1.0.3/1`): a created image or an import by build version ARN is granted on
   * that build, an import of a version on the version ARN and every build under it
   * (`.../image/name/1.0.3/*`), and an import of a wildcard or unknown version on every version of
   * the name (`.../image/name/*`).
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetImage` on the ARNs `grant` covers.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Gives the role of `grantee` what Image Builder needs to run builds as it (an `executionRole` of
   * your own): the AWS-managed policy `EC2ImageBuilderExecutionPolicy`, which the execution roles
   * this library creates have, with their cdk-nag suppression of it. The role must be created in
   * this app (`iam.Role`): an imported role cannot take a policy, and fails at synth.
   */
  grantDefaultExecutionRolePermissions(grantee: iam.IGrantable): void;

  /**
   * Adds a statement to this image's resource policy (the service's `PutImagePolicy`), which the stack's
   * custom-resource handler puts at deploy time before promoting the AWS RAM share the service
   * creates from it, so the principals see the image. A statement without resources applies to
   * this image. The policy may grant `imagebuilder:GetImage` and `imagebuilder:ListImages` to accounts, organizations and organizational units.
   *
   * @param statement the statement to add
   */
  addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult;

  /**
   * Shares this image with accounts, organizations and organizational units: a resource policy
   * statement granting `imagebuilder:GetImage` and `imagebuilder:ListImages`. Deleting the image or the
   * sharing from the app removes the sharing.
   *
   * @param options who to share with
   */
  shareWith(options: ShareWithOptions): void;

  /**
   * This image as the parent image of another recipe.
   */
  toParentImage(): ParentImage;
}

/**
 * Properties of an {@link Image}.
 */
export interface ImageProps {
  /**
   * The recipe of an AMI. Give this, `containerRecipe` or `imagePipeline`.
   *
   * @default - a container image, or the pipeline's recipe
   */
  readonly imageRecipe?: IImageRecipe;

  /**
   * The recipe of a container image. Give this, `imageRecipe` or `imagePipeline`.
   *
   * @default - an AMI, or the pipeline's recipe
   */
  readonly containerRecipe?: IContainerRecipe;

  /**
   * Build the image by running this pipeline of the app, with its recipe, infrastructure,
   * distribution, tests, scanning, workflows and logging (CloudFormation knows a pipeline by its
   * deployment ID, which only a pipeline of the app has). The pipeline must be in the image's stack
   * or a stack nested in the same one: the deployment ID changes with the pipeline, which an export
   * to another stack would not allow. Give this or a recipe; the settings the pipeline decides
   * (`infrastructureConfiguration` to `logGroup`) are then left out.
   *
   * @default - built from `imageRecipe` or `containerRecipe`
   */
  readonly imagePipeline?: ImagePipeline;

  /**
   * With `imagePipeline`: build a new image whenever the stack changes the pipeline (its recipe
   * version, infrastructure, distribution or any other setting), as an image built from a recipe
   * is built anew when the recipe changes. `false` builds the image once, when it is created.
   *
   * @default true
   */
  readonly rebuildOnPipelineUpdate?: boolean;

  /**
   * Where the build runs. For a container recipe, an infrastructure configuration created in this
   * app is given pull and push on the recipe's repositories (`allowContainerBuilds`).
   *
   * @default - a new InfrastructureConfiguration with its secure defaults
   */
  readonly infrastructureConfiguration?: IInfrastructureConfiguration;

  /**
   * Where the image goes.
   *
   * @default - the image stays in this account and region
   */
  readonly distributionConfiguration?: IDistributionConfiguration;

  /**
   * Run the test phase of the components.
   *
   * @default true
   */
  readonly imageTestsEnabled?: boolean;

  /**
   * How long tests may run, 60 to 1,440 minutes.
   *
   * @default - 720 minutes
   */
  readonly imageTestsTimeout?: Duration;

  /**
   * Scan the image with Amazon Inspector.
   *
   * @default false
   */
  readonly imageScanningEnabled?: boolean;

  /**
   * For container images with `imageScanningEnabled`: the ECR repository Image Builder scans the
   * image in.
   *
   * @default - a repository Image Builder creates
   */
  readonly imageScanningEcrRepository?: ecr.IRepository;

  /**
   * For container images with `imageScanningEnabled`: tags of the scanned image.
   *
   * @default - none
   */
  readonly imageScanningEcrTags?: string[];

  /**
   * Collect the OS version and installed packages of the image.
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
   * The role Image Builder runs workflows as and writes to a custom log group with.
   * A role of this app must trust `imagebuilder.amazonaws.com`, or synthesis fails.
   *
   * @default - created when `workflows` are given, or a `logGroup` whose name is not known to start
   * with `/aws/imagebuilder/` (Image Builder writes there as itself), with the managed workflow
   * execution policy and write access to that log group
   */
  readonly executionRole?: iam.IRole;

  /**
   * The log group for the build logs. Its name may hold letters, digits and `-_/.` only.
   *
   * @default - `/aws/imagebuilder/<image name>`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The role Image Builder removes the image's AMIs, snapshots or container images with, when the
   * removal policy is `DESTROY`.
   * A role of this app must trust `imagebuilder.amazonaws.com`, or synthesis fails.
   *
   * @default - a role with the AWS-managed lifecycle execution policy
   */
  readonly deletionExecutionRole?: iam.IRole;

  /**
   * What happens to the image's AMIs, snapshots or container images when the stack deletes or
   * replaces the image: `DESTROY` removes them too, `RETAIN` keeps everything.
   *
   * Image Builder removes container images only from ECR repositories with the tag
   * `LifecycleExecutionAccess: EC2 Image Builder` (the AWS-managed lifecycle execution policy allows
   * nothing else): with `DESTROY`, the target repository of a container recipe gets the tag when
   * this app creates it; otherwise a warning names the tag to add.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Tags for the image.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * An existing image, by ARN or by name and version.
 */
export interface ImageAttributes {
  /**
   * The image's ARN, e.g. `.../image/golden/1.0.3/1`. Give this or `imageName`, not both.
   *
   * @default - built from `imageName` and `imageVersion` in this stack's account and region
   */
  readonly imageArn?: string;

  /**
   * The image's name as its ARN writes it (lowercase, hyphens for spaces and underscores). Give
   * this or `imageArn`, not both.
   *
   * @default - taken from `imageArn`
   */
  readonly imageName?: string;

  /**
   * The image's version, with trailing `x` wildcards allowed. Only with `imageName`.
   *
   * @default x.x.x (the latest version)
   */
  readonly imageVersion?: string;

  /**
   * The platform of the image.
   *
   * @default - unknown
   */
  readonly platform?: Platform;
}

abstract class ImageBase extends Resource implements IImage {
  public abstract readonly imageArn: string;
  public abstract readonly imageName: string;
  public abstract readonly imageVersion: string;
  public abstract readonly platform?: Platform;

  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return ResourcePolicy.of(this, this._policyArn, ImageBuilderResourceType.IMAGE).addStatement(statement);
  }

  public shareWith(options: ShareWithOptions): void {
    this.addToResourcePolicy(ResourcePolicy.shareStatement(this, ImageBuilderResourceType.IMAGE, options));
  }

  /**
   * The ARN the service's `PutImagePolicy` takes.
   *
   * @internal
   */
  protected get _policyArn(): string {
    return this.imageArn;
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: this._iamResourceArns() });
  }

  /**
   * The ARNs IAM checks for requests on this image: the build version ARNs of its builds.
   *
   * @internal
   */
  protected abstract _iamResourceArns(): string[];

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'imagebuilder:GetImage');
  }

  public grantDefaultExecutionRolePermissions(grantee: iam.IGrantable): void {
    grantWorkflowExecution(this, grantee);
  }

  public toParentImage(): ParentImage {
    return ParentImage.fromImage(this);
  }
}

/**
 * An image built while the stack deploys (`AWS::ImageBuilder::Image`): the deployment waits for
 * the build, and `imageId` is the new AMI ID or container URI. By default the AMIs and snapshots
 * (or container images) it made are removed with the stack.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-images.html
 */
export class Image extends ImageBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.Image';

  /**
   * Imports an image by ARN, e.g. `.../image/golden/x.x.x` for the latest build of `golden`.
   */
  public static fromImageArn(scope: Construct, id: string, imageArn: string, platform?: Platform): IImage {
    return Image.fromImageAttributes(scope, id, { imageArn, platform });
  }

  /**
   * Imports the latest version of an image of this stack's account and region by name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param imageName the image's name as its ARN writes it
   * @param platform the platform of the image, when known
   */
  public static fromImageName(scope: Construct, id: string, imageName: string, platform?: Platform): IImage {
    return Image.fromImageAttributes(scope, id, { imageName, platform });
  }

  /**
   * Imports an image from its attributes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the image's attributes
   */
  public static fromImageAttributes(scope: Construct, id: string, attrs: ImageAttributes): IImage {
    const { arn, name, version, nameArn } = resolveVersionedImport(scope, {
      type: ImageBuilderResourceType.IMAGE,
      prop: 'image',
      arn: attrs.imageArn,
      name: attrs.imageName,
      version: attrs.imageVersion,
      validateName: validateImageName,
    });
    class Import extends ImageBase {
      public readonly imageArn = arn;
      public readonly imageName = name;
      public readonly imageVersion = version;
      public readonly platform = attrs.platform;

      /** @internal */
      protected _iamResourceArns(): string[] {
        return versionedResourceArns(this.imageArn, this.imageVersion, nameArn);
      }
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is an `Image` created by this library.
   */
  public static isImage(x: any): x is Image {
    return x !== null && typeof x === 'object' && IMAGE_SYMBOL in x;
  }

  public readonly imageArn: string;
  public readonly platform?: Platform;

  /**
   * The AMI ID (AMI images) of the image in this region.
   *
   * @attribute
   */
  public readonly imageId: string;

  /**
   * The container image URI (container images).
   *
   * @attribute
   */
  public readonly imageUri: string;

  /**
   * The image's name (its recipe's name).
   *
   * @attribute
   */
  public readonly imageName: string;

  /**
   * The image's version, e.g. `1.0.3`: its recipe's version.
   *
   * @attribute
   */
  public readonly imageVersion: string;

  /** Where the build ran. */
  public readonly infrastructureConfiguration: IInfrastructureConfiguration;
  /** The role that runs workflows and writes to the custom log group, when there is one. */
  public readonly executionRole?: iam.IRole;

  /**
   * Whether the image is a container image, for the parent images made from it.
   *
   * @internal
   */
  public readonly _isContainerImage: boolean;

  private readonly resource: CfnImage;
  /** The recipe the image is built from, which names it: known before the build, unlike the image's own ARN. */
  private readonly recipe: { readonly arn: string; readonly version: string };

  public constructor(scope: Construct, id: string, props: ImageProps) {
    props = injectProps(Image.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id);
    Object.defineProperty(this, IMAGE_SYMBOL, { value: true });

    validateTagMap(this, 'tags', props.tags);
    const build = props.imagePipeline ? buildWithPipeline(this, props, props.imagePipeline) : buildWithRecipe(this, props);
    this.platform = build.recipe.platform;
    this._isContainerImage = build.containerRecipe !== undefined;
    this.infrastructureConfiguration = build.infrastructureConfiguration;
    this.executionRole = build.executionRole;
    this.recipe = { arn: build.recipeArn, version: build.recipeVersion };
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    if (props.deletionExecutionRole && removalPolicy !== RemovalPolicy.DESTROY) {
      throw validationError(`deletionExecutionRole is only used with removalPolicy DESTROY, got ${removalPolicy.toUpperCase()}; leave it out`, this);
    }

    requireTrustedBy(this, 'deletionExecutionRole', props.deletionExecutionRole, IMAGE_BUILDER_SERVICE,
      'Image Builder removes the image\'s AMIs, snapshots and containers as it');

    const resource = this.resource = new CfnImage(this, 'Resource', {
      ...build.properties,
      deletionSettings: removalPolicy === RemovalPolicy.DESTROY
        ? { executionRole: (props.deletionExecutionRole ?? this.deletionRole()).roleArn } : undefined,
      tags: props.tags,
    });
    resource.applyRemovalPolicy(removalPolicy);
    if (build.executionRoleLogPolicy) {
      resource.node.addDependency(build.executionRoleLogPolicy);
    }
    if (removalPolicy === RemovalPolicy.DESTROY && build.containerRecipe) {
      allowContainerDeletion(this, build.containerRecipe, 'removalPolicy DESTROY');
    }

    this.imageArn = resource.attrArn;
    this.imageId = resource.attrImageId;
    this.imageUri = resource.attrImageUri;
    this.imageName = resource.attrName;
    // The Arn attribute is the build version ARN, `arn:...:image/<name>/<version>/<build>`.
    this.imageVersion = Fn.select(2, Fn.split('/', resource.attrArn));
  }

  /**
   * Lets `grantee` answer the `WaitForAction` steps of this image's workflows:
   * `imagebuilder:SendWorkflowStepAction` on the builds of the image's recipe version
   * (`.../image/<recipe name>/<version>/*`) and on workflow step executions, the two resource types
   * IAM requires. The build starts once the grant is in place: the deployment waits for the image,
   * and the image waits for the answer.
   *
   * @param grantee who answers, e.g. the function an `onWaitForAction` rule invokes
   */
  public grantSendWorkflowStepAction(grantee: iam.IGrantable): iam.Grant {
    const grant = grantSendWorkflowStepAction(this, grantee, this.buildArnPrefix());
    grant.applyBefore(this.resource);
    return grant;
  }

  /**
   * An EventBridge rule for the `WaitForAction` steps of this image's workflows. The image's ARN
   * is known only when the build ends, so the rule matches the builds of its recipe version
   * (`.../image/<recipe name>/<version>/`), a pipeline's builds of that version too. The build
   * starts once the rule exists.
   *
   * @param id the rule's construct ID
   * @param options the target, and more of the event pattern
   */
  public onWaitForAction(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = imageBuilderRule(this, id, options, WORKFLOW_STEP_WAITING,
      { resources: events.Match.prefix(this.buildArnPrefix()) });
    this.resource.node.addDependency(rule);
    return rule;
  }

  /**
   * The AMI this image built, for EC2 instances, launch templates and Auto Scaling groups of the
   * image's region: its `imageId`, with the user data of its platform (Windows, else Linux). Only
   * for images of an image recipe; an instance of a stack of another region fails at synth.
   */
  public toMachineImage(): ec2.IMachineImage {
    if (this._isContainerImage) {
      throw validationError('toMachineImage is only for images that build AMIs, got an image of a container recipe; use imageUri', this);
    }
    return new BuiltMachineImage(this, this.imageId, this.platform);
  }

  /**
   * The ARN CloudFormation returns, the build version ARN of the one build this image is.
   *
   * @internal
   */
  protected _iamResourceArns(): string[] {
    return [this.imageArn];
  }

  /** The start of the ARNs of this image's builds, `.../image/<recipe name>/<version>/`. */
  private buildArnPrefix(): string {
    return imageArnPrefixOfRecipe(this, this.recipe.arn, this.recipe.version);
  }

  /** The role Image Builder removes the image's AMIs, snapshots and containers with. */
  private deletionRole(): iam.IRole {
    return imageDeletionRole(this, 'DeletionRole');
  }
}

/** How an image is built: the properties of `AWS::ImageBuilder::Image` that say so, and what the image exposes of them. */
interface ImageBuild {
  readonly properties: CfnImageProps;
  readonly recipe: { readonly platform?: Platform };
  readonly recipeArn: string;
  readonly recipeVersion: string;
  readonly containerRecipe?: IContainerRecipe;
  readonly infrastructureConfiguration: IInfrastructureConfiguration;
  readonly executionRole?: iam.IRole;
  /** What the image resource must wait for, as the build starts when it is created. */
  readonly executionRoleLogPolicy?: iam.Policy;
}

function buildWithRecipe(image: Image, props: ImageProps): ImageBuild {
  validateOneRecipe(image, props.imageRecipe, props.containerRecipe, 'imagePipeline');
  warnRecipeInOtherStack(image, props.imageRecipe ?? props.containerRecipe);
  if (props.rebuildOnPipelineUpdate !== undefined) {
    throw validationError(`rebuildOnPipelineUpdate is only used with imagePipeline, got ${props.rebuildOnPipelineUpdate} without one; leave it out`, image);
  }
  validateTestTimeout(image, props.imageTestsEnabled, props.imageTestsTimeout);
  const recipe = (props.imageRecipe ?? props.containerRecipe)!;
  const infrastructureConfiguration = buildInfrastructure(image, props.infrastructureConfiguration, props.containerRecipe, props);
  allowComponentFileReads(image, recipe, infrastructureConfiguration);
  validateInstanceArchitecture(image, props.imageRecipe, infrastructureConfiguration);
  validateFastLaunchPlatform(image, props.imageRecipe, props.distributionConfiguration);
  validateLogGroupName(image, 'logGroup', props.logGroup);
  const { role: executionRole, logPolicy } = executionRoleFor(image, props.executionRole, props.workflows, [props.logGroup]);
  return {
    recipe,
    recipeArn: props.imageRecipe?.imageRecipeArn ?? props.containerRecipe!.containerRecipeArn,
    recipeVersion: props.imageRecipe?.imageRecipeVersion ?? props.containerRecipe!.containerRecipeVersion,
    containerRecipe: props.containerRecipe,
    infrastructureConfiguration,
    executionRole,
    executionRoleLogPolicy: logPolicy,
    properties: {
      imageRecipeArn: props.imageRecipe?.imageRecipeArn,
      containerRecipeArn: props.containerRecipe?.containerRecipeArn,
      infrastructureConfigurationArn: infrastructureConfiguration.infrastructureConfigurationArn,
      distributionConfigurationArn: props.distributionConfiguration?.distributionConfigurationArn,
      imageTestsConfiguration: {
        imageTestsEnabled: props.imageTestsEnabled ?? true,
        timeoutMinutes: props.imageTestsTimeout?.toMinutes(),
      },
      imageScanningConfiguration: renderScanning(image, props, props.containerRecipe, 'images'),
      enhancedImageMetadataEnabled: props.enhancedImageMetadataEnabled ?? true,
      workflows: renderWorkflows(image, props.workflows, props.containerRecipe),
      executionRole: executionRole?.roleArn,
      loggingConfiguration: props.logGroup ? { logGroupName: props.logGroup.logGroupName } : undefined,
    },
  };
}

/** The props of a build from a recipe, which a pipeline's own settings replace. */
const PIPELINE_SETTINGS: ReadonlyArray<keyof ImageProps> = [
  'imageRecipe', 'containerRecipe', 'infrastructureConfiguration', 'distributionConfiguration', 'imageTestsEnabled',
  'imageTestsTimeout', 'imageScanningEnabled', 'imageScanningEcrRepository', 'imageScanningEcrTags',
  'enhancedImageMetadataEnabled', 'workflows', 'executionRole', 'logGroup',
];

/**
 * A build by the pipeline: CloudFormation takes only the pipeline's deployment ID (with a recipe
 * and infrastructure too, the registry schema matches two kinds of image and rejects it).
 */
function buildWithPipeline(image: Image, props: ImageProps, pipeline: ImagePipeline): ImageBuild {
  const given = PIPELINE_SETTINGS.filter((prop) => props[prop] !== undefined);
  if (given.length > 0) {
    throw validationError(`imagePipeline builds with the pipeline's recipe and settings; leave out ${given.join(', ')} `
      + '(set them on the pipeline)', image);
  }
  validatePipelineInReach(image, pipeline);
  return {
    recipe: (pipeline.imageRecipe ?? pipeline.containerRecipe)!,
    recipeArn: pipeline.imageRecipe?.imageRecipeArn ?? pipeline.containerRecipe!.containerRecipeArn,
    recipeVersion: pipeline.imageRecipe?.imageRecipeVersion ?? pipeline.containerRecipe!.containerRecipeVersion,
    containerRecipe: pipeline.containerRecipe,
    infrastructureConfiguration: pipeline.infrastructureConfiguration,
    properties: {
      imagePipelineExecutionSettings: {
        deploymentId: pipeline.imagePipelineDeploymentId,
        onUpdate: props.rebuildOnPipelineUpdate ?? true,
      },
    },
  };
}

/**
 * The deployment ID changes with every change of the pipeline. Between stacks that are not nested in
 * one another, CDK passes it through an export, and CloudFormation refuses to change an export that
 * another stack imports: the pipeline's stack could then never change its pipeline.
 */
function validatePipelineInReach(image: Image, pipeline: ImagePipeline): void {
  if (!inOneStackTree(image, pipeline)) {
    const pipelineStack = topLevelStack(Stack.of(pipeline)).stackName;
    throw validationError(
      `imagePipeline must be in the image's stack (or a stack nested in the same one), got ${pipeline.node.path} of stack ${pipelineStack}: ` +
      "the image refers to the pipeline's deployment ID, which changes with every change of the pipeline, and CloudFormation cannot " +
      'change an export that another stack imports, so no later update of the pipeline would deploy; create the Image in ' +
      `${pipelineStack}, or start the pipeline from this stack with a PipelineExecution`, image);
  }
}

/** Names in image ARNs are lowercase, with hyphens: the form the name must be given in to build the ARN. */
function validateImageName(scope: IConstruct, name: string): void {
  if (!Token.isUnresolved(name) && !IMAGE_BUILDER_IMAGE_NAME.test(name)) {
    throw validationError(
      `imageName must be the name as image ARNs write it, lowercase letters, digits, hyphens and underscores, got '${name}'`, scope);
  }
}
