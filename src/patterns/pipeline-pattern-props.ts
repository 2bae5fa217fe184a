import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ComponentDocument } from '../component-document';
import { PipelineExecutionOptions } from '../custom-resources/pipeline-execution';
import { RecipeComponent } from '../image-recipe';
import { PipelineSchedule } from '../pipeline-schedule';
import { ShareWithOptions } from '../sharing';

/**
 * What the pipeline patterns have in common. Give at least one of `components`, `document` and
 * `shellScript`; they run in that order.
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
   * A shell script to run as the last build step (Bash on Linux, PowerShell on Windows).
   *
   * @default - none
   */
  readonly shellScript?: string;

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
   * How long build logs stay in the log bucket.
   *
   * @default Duration.days(90)
   */
  readonly logExpiration?: Duration;

  /**
   * Share the recipe and the components the pattern creates (and, for AMIs, the images through
   * launch permissions).
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
