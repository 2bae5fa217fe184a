import { CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PIPELINE_EXECUTION_TYPE } from './handler/events';
import { HandlerFunction } from './handler-function';
import { DistributionConfiguration } from '../distribution-configuration';
import { IImagePipeline, ImagePipeline } from '../image-pipeline';
import { Platform } from '../platform';
import { BuiltMachineImage } from '../private/built-machine-image';
import { validationError } from '../private/errors';
import { START_EXECUTION_ACTIONS } from '../private/pipeline-actions';
import { injectProps } from '../private/property-injection';
import { differsFromKnown, validateRegion, writtenArnFields } from '../private/validation';

/** A custom resource may wait an hour at most; keep room for starting and answering. */
const MAX_WAIT = Duration.minutes(55);
const DEFAULT_WAIT = Duration.minutes(55);
/** Time the handler needs beyond the wait itself: start the build, answer CloudFormation. */
const ANSWER_MARGIN = Duration.minutes(4);
/** The tags the handler puts on each build it starts (BUILD_INPUTS_TAG and STARTED_BY_TAG in ./handler/pipeline-execution). */
const BUILD_TAG_KEYS = ['cdk-imagebuilder:build-inputs', 'cdk-imagebuilder:started-by'];

/**
 * Options for starting a pipeline when the stack deploys.
 */
export interface PipelineExecutionOptions {
  /**
   * Values whose change starts the pipeline again when the stack updates. Any other update of the
   * stack leaves the pipeline alone, and so does a change back to values an earlier build of this
   * execution was started for while that build is AVAILABLE or still running: the execution then
   * answers with that build (add a new value to build again).
   *
   * @default - for a pipeline of this app: its recipe's version and its own configuration; for an
   * imported pipeline: nothing (it starts when the execution is created only)
   */
  readonly triggers?: string[];

  /**
   * Wait for the image to be AVAILABLE before the deployment goes on, and fail the deployment with
   * the image's failure reason if the build fails. Turned on by an update that starts no build, it
   * waits for the execution's current build.
   *
   * @default false
   */
  readonly waitForCompletion?: boolean;

  /**
   * How long to wait for the image when `waitForCompletion` is set. A custom resource may run an
   * hour at most, so at most 55 minutes.
   *
   * @default Duration.minutes(55)
   */
  readonly waitTimeout?: Duration;

  /**
   * Cancel a build that has not finished when this execution is deleted (the stack is deleted, a
   * new execution replaces this one, or CloudFormation cancels its creation because another
   * resource failed), and the build an update started when waiting for it fails (CloudFormation
   * keeps the previous execution, so nothing else would).
   *
   * @default true
   */
  readonly cancelOnDelete?: boolean;
}

/**
 * Properties of a {@link PipelineExecution}.
 */
export interface PipelineExecutionProps extends PipelineExecutionOptions {
  /**
   * The pipeline to start.
   */
  readonly pipeline: IImagePipeline;
}

/**
 * Starts an Image Builder pipeline when the stack deploys (StartImagePipelineExecution), again
 * whenever the trigger values change to values no build of it was started for, and optionally
 * waits for the image. Deleting it cancels an
 * unfinished build (CancelImageCreation).
 *
 * Use it to build an image with a pipeline's full configuration (schedule, workflows, distribution)
 * right away; use the `Image` construct to build one image without a pipeline.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_StartImagePipelineExecution.html
 */
export class PipelineExecution extends Construct {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.PipelineExecution';

  /**
   * The ARN of the image build this execution started, `.../image/<name>/<version>/<build>`.
   *
   * @attribute
   */
  public readonly imageBuildVersionArn: string;

  private readonly resource: CustomResource;
  private readonly waits: boolean;
  private readonly pipeline: IImagePipeline;
  /** The regions whose AMI ID was read by name. */
  private readonly amiRegionsRead = new Set<string>();

  public constructor(scope: Construct, id: string, props: PipelineExecutionProps) {
    props = injectProps(PipelineExecution.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id);
    this.waits = props.waitForCompletion ?? false;
    this.pipeline = props.pipeline;
    const waitTimeout = props.waitTimeout ?? DEFAULT_WAIT;
    if (props.waitTimeout && !this.waits) {
      throw validationError('waitTimeout needs waitForCompletion: true, got waitForCompletion unset or false', this);
    }
    if (!Token.isUnresolved(waitTimeout.toSeconds()) && (waitTimeout.toSeconds() < 60 || waitTimeout.toSeconds() > MAX_WAIT.toSeconds())) {
      throw validationError(`waitTimeout must be between 1 and ${MAX_WAIT.toMinutes()} minutes (a custom resource runs an hour at most), ` +
        `got ${waitTimeout.toHumanString()}`, this);
    }
    validatePipelineEnvironment(this, props.pipeline.imagePipelineArn);
    const ownPipeline = ImagePipeline.isImagePipeline(props.pipeline) ? props.pipeline : undefined;
    const triggers = props.triggers ?? ownPipeline?._defaultExecutionTriggers(this) ?? [];

    const handler = HandlerFunction.of(this);
    const kindPolicy = this.grantHandler(handler, props.pipeline.imagePipelineArn);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.serviceToken,
      resourceType: PIPELINE_EXECUTION_TYPE,
      serviceTimeout: this.waits ? waitTimeout.plus(ANSWER_MARGIN) : undefined,
      properties: {
        PipelineArn: props.pipeline.imagePipelineArn,
        Triggers: triggers,
        WaitForCompletion: this.waits,
        WaitTimeoutSeconds: waitTimeout.toSeconds(),
        CancelOnDelete: props.cancelOnDelete ?? true,
      },
    });
    this.resource.node.addDependency(handler.role, kindPolicy);
    if (this.waits) {
      this.resource.node.addDependency(handler.grantSelfInvoke());
    }
    this.imageBuildVersionArn = this.resource.getAttString('ImageBuildVersionArn');
  }

  /**
   * The ID of the AMI the build made in `region` (default: the stack's region), the copy the
   * building account owns, not those of target accounts. Needs `waitForCompletion`.
   *
   * @param region the region of the distribution
   */
  public amiId(region?: string): string {
    this.requireWait('amiId');
    if (recipesOf(this.pipeline).containerRecipe) {
      throw validationError('amiId is only for pipelines that build AMIs, got a pipeline with a containerRecipe; use containerImageUri', this);
    }
    validateRegion(this, 'amiId region', region);
    if (region !== undefined) {
      if (this.amiRegionsRead.size === 0) {
        // Checked when the app is complete: the distribution may gain regions after this call.
        this.node.addValidation({ validate: () => this.amiRegionProblems() });
      }
      this.amiRegionsRead.add(region);
    }
    return this.resource.getAttString(region ? `AmiId.${region}` : 'AmiId');
  }

  /**
   * The AMI the build made in the stack's region (`amiId()`), for EC2 instances, launch templates
   * and Auto Scaling groups of that region, with the user data of the recipe's platform (Windows,
   * else Linux). Needs `waitForCompletion`; an instance of a stack of another region fails at synth.
   */
  public toMachineImage(): ec2.IMachineImage {
    const imageId = this.amiId();
    const recipe = recipesOf(this.pipeline).imageRecipe as { readonly platform?: Platform } | undefined;
    return new BuiltMachineImage(this, imageId, recipe?.platform);
  }

  /**
   * The URI of the container image the build pushed: the one in the stack's region, else the first
   * the build reports. Needs `waitForCompletion`.
   */
  public get containerImageUri(): string {
    this.requireWait('containerImageUri');
    if (recipesOf(this.pipeline).imageRecipe) {
      throw validationError('containerImageUri is only for pipelines that build container images, got a pipeline with an imageRecipe; use amiId', this);
    }
    return this.resource.getAttString('ContainerImageUri');
  }

  /**
   * The handler answers with the AMI IDs the build reports, one per region its distribution gives
   * an AMI: reading another region's would fail the deployment only after the build. The build's
   * own region is never refused, as the build creates the original AMI there in any case.
   */
  private amiRegionProblems(): string[] {
    const made = amiRegionsOf(this.pipeline);
    const stackRegion = Stack.of(this).region;
    if (!made || [stackRegion, ...made.regions].some((r) => Token.isUnresolved(r))) {
      return [];
    }
    const regions = [...new Set([stackRegion, ...made.regions])];
    return [...this.amiRegionsRead]
      .filter((region) => !Token.isUnresolved(region) && !regions.includes(region))
      .map((region) => `amiId was given region '${region}', where the build makes no AMI: it makes AMIs in ${regions.join(', ')}, ` +
        `${made.why}; read one of those regions, or the deployment fails once the build is done`);
  }

  private requireWait(attribute: string): void {
    if (!this.waits) {
      throw validationError(`${attribute} is only known when the execution waits for the image, set waitForCompletion: true`, this);
    }
  }

  /**
   * Start this pipeline, tagging the build with what it was started for. Listing a pipeline's
   * builds, and reading, tagging and cancelling builds, is granted for every pipeline and image of
   * the account and region, in a policy every execution depends on: an update, a rollback or a
   * delete may reach the builds of a pipeline or recipe the template no longer names, whose
   * narrower grant the update (or the rollback) would already have removed.
   */
  private grantHandler(handler: HandlerFunction, pipelineArn: string): iam.Policy {
    handler.grant(new iam.PolicyStatement({ actions: START_EXECUTION_ACTIONS, resources: [pipelineArn] }));
    const stack = Stack.of(this);
    const images = stack.formatArn({ service: 'imagebuilder', resource: 'image', resourceName: '*' });
    const pipelines = stack.formatArn({ service: 'imagebuilder', resource: 'image-pipeline', resourceName: '*' });
    return handler.policyForKind('PipelineExecution', () => [
      // Listing the pipeline's builds finds the one a rollback returns to, and the build of a
      // creation CloudFormation cancelled (see the handler).
      new iam.PolicyStatement({ actions: ['imagebuilder:ListImagePipelineImages'], resources: [pipelines] }),
      new iam.PolicyStatement({ actions: ['imagebuilder:GetImage', 'imagebuilder:CancelImageCreation'], resources: [images] }),
      // Tags given to StartImagePipelineExecution are put on the new image: the handler's two only.
      new iam.PolicyStatement({
        actions: ['imagebuilder:TagResource'],
        resources: [images],
        conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': BUILD_TAG_KEYS } },
      }),
    ], [{
      reason: 'The builds are created at deploy time, and an update, rollback or delete may reach the builds of a pipeline the ' +
        'template no longer names; the grant covers the pipelines and images of this account and region',
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:imagebuilder:.*:image(-pipeline)?\\/\\*$/' }],
    }]);
  }

}

/** The recipe the pipeline names: pipelines of this library do, and imports when given one; others name none. */
function recipesOf(pipeline: IImagePipeline): { readonly imageRecipe?: unknown; readonly containerRecipe?: unknown } {
  return pipeline as { readonly imageRecipe?: unknown; readonly containerRecipe?: unknown };
}

/**
 * The regions a pipeline of this app makes AMIs in besides its own: those its distribution gives
 * an AMI. Unknown (`undefined`) for imported pipelines and distributions, and for a distribution
 * with no AMI settings, where the service decides.
 */
function amiRegionsOf(pipeline: IImagePipeline): { regions: string[]; why: string } | undefined {
  if (!ImagePipeline.isImagePipeline(pipeline)) {
    return undefined;
  }
  const distribution = pipeline.distributionConfiguration;
  if (!distribution) {
    return { regions: [], why: 'its own region only, as it has no distributionConfiguration' };
  }
  if (!DistributionConfiguration.isDistributionConfiguration(distribution)) {
    return undefined;
  }
  const regions = distribution._amiRegions().regions;
  return regions.length > 0 ? { regions, why: 'its own region and those its distributionConfiguration gives an AMI' } : undefined;
}

/**
 * The stack's function starts the pipeline in its own account and region, and may read the images
 * of those only: an imported pipeline of another region or account would fail at deployment.
 */
function validatePipelineEnvironment(scope: Construct, pipelineArn: string): void {
  const { region, account } = writtenArnFields(pipelineArn);
  const stack = Stack.of(scope);
  for (const [what, inArn, ofStack] of [['region', region, stack.region], ['account', account, stack.account]] as const) {
    if (differsFromKnown(inArn, ofStack)) {
      throw validationError(`pipeline must be in the stack's ${what}, ${ofStack}, where the execution's function starts it, ` +
        `got '${pipelineArn}' of ${what} ${inArn}`, scope);
    }
  }
}
