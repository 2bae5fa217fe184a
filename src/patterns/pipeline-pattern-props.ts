import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ComponentDocument } from '../component-document';
import { PipelineExecutionOptions } from '../custom-resources/pipeline-execution';
import { PipelineWorkflow } from '../image-pipeline';
import { RecipeComponent } from '../image-recipe';
import { InfrastructureConfiguration } from '../infrastructure-configuration';
import { PipelineSchedule } from '../pipeline-schedule';
import { Platform } from '../platform';
import { ShareWithOptions } from '../sharing';

/**
 * What the pipeline patterns have in common. Give at least one of `components`, `document` and
 * `shellScript` (or a recipe of your own with components); they run in that order.
 */
export interface PipelinePatternProps {
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
   * A shell script to run as the last build step (Bash on Linux and macOS, PowerShell on Windows).
   *
   * @default - none
   */
  readonly shellScript?: string;

  /**
   * The platform of the components made from `document` and `shellScript`, and the shell that runs
   * `shellScript`. It must be the parent image's, so it is needed only when the parent image's
   * platform is not known (an AMI ID, an SSM parameter or an image ARN given without one).
   *
   * @default - the parent image's platform, or Platform.LINUX when it is not known
   */
  readonly platform?: Platform;

  /**
   * Your own infrastructure configuration, created in this app, instead of the one the pattern
   * creates: the pattern's `logBucket` and `notificationTopic` are then its own, if it has them,
   * and the props that shape the created one must be left out (`vpc`, `subnetSelection`,
   * `securityGroups`, `instanceTypes`, `resourceTags`, `logBucket`, `logExpiration`, `logPrefix`,
   * `notificationTopic`, `notificationKey`).
   *
   * @default - a new one with the secure defaults, logging to `logBucket` and notifying `notificationTopic`
   */
  readonly infrastructureConfiguration?: InfrastructureConfiguration;

  /**
   * The VPC to build in.
   *
   * @default - the default VPC of the region
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` to build: Image Builder takes the first subnet selected.
   *
   * @default - the first private subnet with egress, else isolated, else public (as `vpc.selectSubnets()`)
   */
  readonly subnetSelection?: ec2.SubnetSelection;

  /**
   * The security groups of the build and test instances. Without `vpc` the instances run in the
   * default VPC, so the groups must belong to it.
   *
   * @default - with `vpc`, a new security group that allows no inbound and all outbound traffic;
   * without, the default VPC's default security group
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Instance types to build and test on.
   *
   * @default - Image Builder picks (m5.large for x86_64)
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * Tags of the build and test instances Image Builder launches, e.g. the
   * tags a tag policy or a service control policy requires on `ec2:RunInstances`; at most 30.
   *
   * @default - no tags
   */
  readonly resourceTags?: { [key: string]: string };

  /**
   * When the pipeline runs.
   *
   * @default - Mondays 04:00 UTC, when the parent image or a component has been updated
   */
  readonly schedule?: PipelineSchedule;

  /**
   * Run the pipeline on `schedule`; `false` leaves the pipeline without a schedule, to run only
   * when started (`startOnDeploy`, the console, `StartImagePipelineExecution`).
   *
   * @default true
   */
  readonly runOnSchedule?: boolean;

  /**
   * Scan images for vulnerabilities with Amazon Inspector.
   *
   * @default true
   */
  readonly imageScanningEnabled?: boolean;

  /**
   * Run the test phase of the components on a test instance after each build.
   *
   * @default true
   */
  readonly imageTestsEnabled?: boolean;

  /**
   * How long the image tests may run.
   *
   * @default Duration.hours(12), the service's default
   */
  readonly imageTestsTimeout?: Duration;

  /**
   * Workflows that replace the pipeline's default build and test workflows: one build workflow,
   * such as `AwsManagedWorkflow.buildImage` (`buildContainer` for containers), then up to ten test
   * workflows, such as one of your own. Without a build workflow the pipeline skips the build and
   * the components never run, which warns.
   *
   * @default - the default workflows
   */
  readonly workflows?: PipelineWorkflow[];

  /**
   * The role Image Builder runs the workflows as and writes to the log groups with. A role of this
   * app must trust `imagebuilder.amazonaws.com`.
   *
   * @default - created when `workflows` are given, or log groups of your own whose names are not
   * known to start with `/aws/imagebuilder/`, as for `ImagePipeline`
   */
  readonly executionRole?: iam.IRole;

  /**
   * The bucket the build instances write their logs to, under a prefix named after the pattern.
   *
   * @default - a new bucket, encrypted, SSL only, with public access blocked, whose logs expire
   * after `logExpiration`, retained when the stack is deleted
   */
  readonly logBucket?: s3.IBucket;

  /**
   * How long build logs stay in the log bucket the pattern creates, in whole days; only without
   * `logBucket`.
   *
   * @default Duration.days(90)
   */
  readonly logExpiration?: Duration;

  /**
   * The prefix of the build logs in the log bucket, e.g. to keep the logs of several patterns
   * apart in one bucket of your own.
   *
   * @default '<id>/' in lowercase
   */
  readonly logPrefix?: string;

  /**
   * The log group Image Builder writes each build's logs to. Its name may hold letters, digits and
   * `-_/.` only; outside `/aws/imagebuilder/`, the pipeline gets an execution role that may write to it.
   *
   * @default - a new log group, `/aws/imagebuilder/<unique name of the pattern>/images`, whose logs
   * expire after `logRetention`, deleted with the stack (the log bucket keeps the build logs)
   */
  readonly imageLogGroup?: logs.ILogGroup;

  /**
   * The log group Image Builder writes the pipeline's runs and skipped runs to. The same names are
   * allowed as for `imageLogGroup`.
   *
   * @default - a new log group, `/aws/imagebuilder/<unique name of the pattern>/pipeline`, whose logs
   * expire after `logRetention`, deleted with the stack
   */
  readonly pipelineLogGroup?: logs.ILogGroup;

  /**
   * How long the log groups the pattern creates keep their logs; only without both `imageLogGroup`
   * and `pipelineLogGroup`.
   *
   * @default logs.RetentionDays.THREE_MONTHS, as long as the log bucket keeps them by default
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The topic Image Builder publishes build notifications to. When it is encrypted with a key
   * created in this app, the key lets Image Builder publish.
   *
   * @default - a new topic, SSL only, encrypted with a new customer managed key that rotates
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * The key that encrypts the notification topic the pattern creates; only without
   * `notificationTopic`. A key created in this app lets Image Builder publish; for another, the
   * infrastructure configuration warns what its key policy must allow.
   *
   * @default - a new customer managed key that rotates
   */
  readonly notificationKey?: kms.IKey;

  /**
   * Share the recipe, the components of this app it runs (those made from `document` and
   * `shellScript`, those given in `components` and those a recipe of your own has already; one
   * added later with `recipe.addComponent` needs its own `shareWith`), and the images: AMIs through launch permissions, container images
   * through the repository's policy (pull only).
   *
   * @default - not shared
   */
  readonly shareWith?: ShareWithOptions;

  /**
   * Delete the images the pipeline built, with their AMIs and snapshots or their container images,
   * when the pipeline or the stack is deleted (see `ImagePipelineProps.autoDeleteImages`).
   *
   * @default false - the images stay, as they may be in use elsewhere
   */
  readonly autoDeleteImages?: boolean;

  /**
   * Whether the lifecycle policy deletes old images; `false` creates it disabled, to enable later.
   *
   * @default true
   */
  readonly lifecyclePolicyEnabled?: boolean;

  /**
   * Images with any of these tags are never deleted by the pattern's lifecycle policy, however
   * many newer ones there are: give the same tags to an `Image` that the pattern's pipeline builds
   * for the stack, whose AMI or container image the stack keeps using.
   *
   * @default - the lifecycle policy keeps the newest `keepImages` images, whatever their tags
   */
  readonly lifecycleExcludeImageTags?: { [key: string]: string };

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
