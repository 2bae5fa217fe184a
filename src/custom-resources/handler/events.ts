/** The request CloudFormation sends to a custom resource's Lambda function. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, any>;
  readonly OldResourceProperties?: Record<string, any>;
  /** Set by this handler when it hands a long wait over to a fresh invocation of itself. */
  readonly Continuation?: WaitContinuation;
}

/** Where a wait stands when it continues in another invocation. */
export interface WaitContinuation {
  /** The build a pipeline execution waits for; a deletion of a pipeline's images runs its request again instead. */
  readonly imageBuildVersionArn?: string;
  /** Epoch milliseconds after which the wait fails. */
  readonly deadline: number;
  /** Whether the request started the build it waits for, which a failed Update then cancels. */
  readonly startedHere?: boolean;
}

/** What a successful request returns to CloudFormation. */
export interface CustomResourceResult {
  readonly physicalResourceId: string;
  readonly data?: Record<string, string>;
}

/** The part of the Lambda context the handler needs. */
export interface InvocationContext {
  readonly functionName: string;
  getRemainingTimeInMillis(): number;
}

/** The custom resource types this handler serves. */
export const RESOURCE_POLICY_TYPE = 'Custom::ImageBuilderResourcePolicy';
export const PIPELINE_EXECUTION_TYPE = 'Custom::ImageBuilderPipelineExecution';
export const PIPELINE_IMAGES_TYPE = 'Custom::ImageBuilderPipelineImages';

/**
 * The tag a pipeline with `autoDeleteImages` carries: its images are deleted only while it does, so
 * an update that turns the setting off (which removes the tag first) deletes nothing.
 */
export const AUTO_DELETE_IMAGES_TAG = 'cdk-imagebuilder:auto-delete-images';

/** CloudFormation passes every property as a string; accept both forms. */
export function booleanProperty(value: unknown, defaultValue: boolean): boolean {
  if (value === undefined) {
    return defaultValue;
  }
  return value === true || value === 'true';
}

export function numberProperty(value: unknown, defaultValue: number): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  return value === undefined || Number.isNaN(parsed) ? defaultValue : parsed;
}
